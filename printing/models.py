"""Printing (PRN-*): models arrive with the printing issue."""
