"""Practice records and what changes them: filings, 多地点, information changes, applications (SPEC §6)."""

from .applications import (
    CLOSED_STATES,
    DOCTOR_KINDS,
    INSTITUTION_KINDS,
    OPEN_STATES,
    Action,
    Application,
    ApplicationEvent,
    Attachment,
    CertificateSequence,
    Initiator,
    Kind,
    MaterialList,
    State,
)
from .changes import RecordChange
from .records import (
    DoctorLookup,
    ExtraLocation,
    MultiInstitutionFiling,
    PracticeRecord,
    ProfileChange,
    resident_sex_birth,
)

__all__ = [
    "CLOSED_STATES",
    "DOCTOR_KINDS",
    "INSTITUTION_KINDS",
    "OPEN_STATES",
    "Action",
    "Application",
    "ApplicationEvent",
    "Attachment",
    "CertificateSequence",
    "DoctorLookup",
    "ExtraLocation",
    "Initiator",
    "Kind",
    "MaterialList",
    "MultiInstitutionFiling",
    "PracticeRecord",
    "ProfileChange",
    "RecordChange",
    "State",
    "resident_sex_birth",
]
