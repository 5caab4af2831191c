"""Console pages: verify (being built)."""

urlpatterns: list = []
