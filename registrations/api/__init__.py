"""REST and FHIR interfaces over practice records (API-2): the FHIR R4 endpoints arrive with issue 11."""
