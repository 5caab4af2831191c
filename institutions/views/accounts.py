"""Console pages: accounts (being built)."""

urlpatterns: list = []
