"""Domain errors: raised by services, turned into the API error shape and into form errors.

Each error has a machine `code` (API.md) and an HTTP status; `fields` maps field names to messages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, fields: dict | None = None, code: str | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "validation_error"
    status = 400
    default_message = _("Some fields are not valid.")

    @classmethod
    def from_django(cls, error: DjangoValidationError) -> "ValidationFailed":
        if hasattr(error, "error_dict"):
            fields = {name: [str(m) for e in errs for m in e.messages] for name, errs in error.error_dict.items()}
            non_field = fields.pop("__all__", None)
            message = non_field[0] if non_field else None
            if non_field:
                fields["non_field_errors"] = non_field
            return cls(message, fields=fields)
        return cls(" ".join(str(m) for m in error.messages))


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class InvalidState(DomainError):
    code = "invalid_state"
    status = 409
    default_message = _("The record's current state does not allow this.")


class Conflict(DomainError):
    """A valid request the current state forbids, with a specific code (insufficient_stock, ...)."""

    code = "conflict"
    status = 409
