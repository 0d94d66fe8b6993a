"""API access: denied by default; views declare the module and permissions they need."""

from rest_framework import permissions


class DenyAll(permissions.BasePermission):
    """The default: a view is open only when it names its own permission classes."""

    def has_permission(self, request, view):
        return False
