"""Console pages: doctors (being built)."""

urlpatterns: list = []
