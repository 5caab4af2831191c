"""Institution API: doctors (being built)."""

urlpatterns: list = []
