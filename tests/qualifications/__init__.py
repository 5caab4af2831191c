"""Tests of the qualifications app: imports (QUA-3), lookups (QUA-4), admin."""
