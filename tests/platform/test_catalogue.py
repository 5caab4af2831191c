"""The English catalogue is complete: every entry translated, none fuzzy, placeholders checked (msgfmt)."""

import subprocess
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    """English when the user picks it: a missing translation would show Chinese in an English page."""
    run = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    statistics = run.stderr.strip()
    assert "translated message" in statistics
    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics
