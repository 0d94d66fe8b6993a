"""The purchasing module's areas: each has its services, API, screens and menu in its own files, and is
wired here once (web URLs, API routes, menu entries, registrations)."""

from importlib import import_module
from importlib.util import find_spec

AREAS = ("orders", "prices", "receipts", "returns", "bills", "requisitions", "rfqs", "reports")


def area_modules(package: str) -> list:
    """The modules `tessera.purchasing.<package>.<area>` that exist, in AREAS order."""
    found = []
    for area in AREAS:
        name = f"tessera.purchasing.{package}.{area}"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return found
