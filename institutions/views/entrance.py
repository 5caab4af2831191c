"""Console pages: entrance (being built)."""

urlpatterns: list = []
