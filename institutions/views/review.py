"""Console pages: review (being built)."""

urlpatterns: list = []
