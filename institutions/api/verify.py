"""Institution API: verify (being built)."""

urlpatterns: list = []
