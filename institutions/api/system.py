"""Institution API: system (being built)."""

urlpatterns: list = []
