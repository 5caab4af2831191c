"""Institution API: help (being built)."""

urlpatterns: list = []
