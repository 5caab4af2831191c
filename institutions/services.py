"""Writes for institutions: deactivation instead of deletion (APP-3)."""

from django.db import transaction


@transaction.atomic
def institution_deactivate(*, institutions, actor) -> int:
    """Deactivate the given active institutions, one history row each; returns how many changed."""
    changed = 0
    for institution in institutions.select_for_update().filter(is_active=True):
        institution.is_active = False
        institution._history_user = actor
        institution.save(update_fields=["is_active"])
        changed += 1
    return changed
