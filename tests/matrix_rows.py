"""The vocabulary of the access matrix's rows: personas, groups, ``who`` and ``row``, shared answers.

tests/test_access_matrix.py holds the project's table; each area of the institution console adds its own
rows in tests/matrix_areas/<area>.py with the same words.
"""

from __future__ import annotations

from tests import personas
from tests.matrix_support import LOGIN

P = personas.PERSONAS
DOCTORS = ("doctor_a", "doctor_b", "unactivated_doctor")
ACTIVATED = ("doctor_a", "doctor_b")
OFFICERS = ("officer_x", "officer_y")
REVIEWERS = ("county_reviewer", "tianxin_reviewer", "other_province_reviewer")
STAFF = (*REVIEWERS, "superuser")


def who(default, **answers):
    """A full row: ``default`` for every persona, overridden per persona or per group.

    Groups: ``doctors``, ``activated``, ``officers``, ``reviewers``, ``staff`` (reviewers + superuser),
    ``users`` (everyone logged in); single personas by name. Later keywords win over earlier ones.
    """
    groups = {
        "users": P[1:],
        "doctors": DOCTORS,
        "activated": ACTIVATED,
        "officers": OFFICERS,
        "reviewers": REVIEWERS,
        "staff": STAFF,
    }
    row = dict.fromkeys(P, default)
    for key, answer in answers.items():
        for name in groups.get(key, (key,)):
            assert name in row, f"unknown persona {name}"
            row[name] = answer
    return row


# ------------------------------------------------------------------------------------------ the table

OK = "ok"  # may act: what the action does is tested elsewhere; the matrix sends unsafe methods only to refusals
HOME, CHECK, SIGNUP = "→home", "→accounts:check", "→accounts:signup"
PUBLIC = who(200)
DOCTOR_PAGE = who(403, anonymous=LOGIN, doctors=200)  # doctor_required
ACTIVATED_PAGE = who(403, anonymous=LOGIN, activated=200)  # activated_required: the others see why (403)
ACCOUNT_PAGE = who(
    403, anonymous=LOGIN, doctors=200, officers=200
)  # doctors and officers manage their account
STAFF_PAGE = who(LOGIN, staff=200)  # the admin: reviewers and the superuser
API_DOCTOR = who(403, doctors=200)  # DRF: anonymous and other roles 403 (session auth has no 401)
API_PUBLIC_POST = who(400)  # an empty body is refused by validation, whoever asks
API_ACTIVATED = who(403, activated=200)
# The account holder's own channels and password: doctors and officers; an empty body is a 400.
API_HOLDER = who(403, doctors=400, officers=400)
API_HOLDER_GET = who(403, doctors=405, officers=405)


def row(get, post=None):
    """GET answers and POST answers (the same as GET unless given)."""
    return (get, post if post is not None else get)


# The institution console: officers only; anonymous visitors are sent to the console's login.
OFFICER_PAGE = who(403, anonymous=LOGIN, officers=200)
# One object of institution X (芙蓉医院): its officer opens it, Y's officer gets 404 like a missing page.
OFFICER_X_OBJECT = who(403, anonymous=LOGIN, officer_x=200, officer_y=404)
API_OFFICER = who(403, officers=200)
API_OFFICER_X_OBJECT = who(403, officer_x=200, officer_y=404)
