"""Institution API: review (being built)."""

urlpatterns: list = []
