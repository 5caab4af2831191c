"""Institution API: accounts (being built)."""

urlpatterns: list = []
