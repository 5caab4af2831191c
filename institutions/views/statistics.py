"""Console pages: statistics (being built)."""

urlpatterns: list = []
