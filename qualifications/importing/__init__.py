"""QUA-3: bulk import of the exam centre's files (CSV/XLSX) into exam results, certificates, assessments.

``files`` reads the upload (type decoded from the content), ``cells`` and ``specs`` parse each row the
same way for all three kinds, ``staging`` streams the valid rows into a temporary table and upserts
them with their history in set-based SQL, ``service`` ties it together.
"""

from .errors import ImportRefused, RowError, RowErrors
from .files import check_upload, count_lines, read_rows, sniff_format
from .service import records_import
from .specs import SPECS, Spec

__all__ = [
    "SPECS",
    "ImportRefused",
    "RowError",
    "RowErrors",
    "Spec",
    "check_upload",
    "count_lines",
    "read_rows",
    "records_import",
    "sniff_format",
]
