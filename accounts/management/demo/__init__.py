"""Demo data of the institution console's areas, one module each; `load_demo` runs them in this order.

Each module has ``load(command)``: idempotent (find by natural key, create when missing), inside
load_demo's transaction, after its doctors, institutions and practice records exist. ``command`` is the
running load_demo (``command.institutions`` by registration number, ``command.created`` to count).
"""

from . import applications, doctors, documents, help, review, system, verify

AREAS = [system, doctors, review, help, verify, applications, documents]
