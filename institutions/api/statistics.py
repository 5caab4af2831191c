"""Institution API: statistics (being built)."""

urlpatterns: list = []
