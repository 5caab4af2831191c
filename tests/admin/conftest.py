"""The admin tests use the shared personas (tests/personas.py via tests/conftest.py); ``doctor`` is the
unactivated one, who has no business in the admin either."""

import pytest


@pytest.fixture
def doctor(unactivated_doctor):
    return unactivated_doctor
