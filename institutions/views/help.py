"""Console pages: help (being built)."""

urlpatterns: list = []
