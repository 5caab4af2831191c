"""PRN-3 electronic practice certificates (电子证照): the kind arrives with the certificates' work (issue 11)."""
