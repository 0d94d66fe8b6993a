"""Placeholder: filled by the revaluation_urls screens."""

urlpatterns: list = []
