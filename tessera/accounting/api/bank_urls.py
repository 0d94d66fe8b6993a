"""Placeholder: filled by the bank_urls screens."""

urlpatterns: list = []
