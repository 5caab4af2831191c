"""Console pages: system (being built)."""

urlpatterns: list = []
