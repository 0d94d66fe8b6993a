"""POST buttons that run one service on a record and go back to its page: what every module's
transition buttons (post, confirm, cancel, submit...) share."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .. import errors


def error_text(error: errors.DomainError) -> str:
    """A domain error as one line: its message, then any field messages."""
    parts = [str(error.message)]
    for field_messages in (error.fields or {}).values():
        listed = field_messages if isinstance(field_messages, list | tuple) else [field_messages]
        parts.extend(str(message) for message in listed if str(message) != str(error.message))
    return " ".join(parts) if parts else _("The request could not be carried out.")


class ActionView:
    """POST only: run `run(obj)` (a service, which checks its own permission) and go back to the record's
    page — to the list when the service deleted it; a refusal (no permission, wrong state, closed
    period...) shows there as a message. `success_message` may name %(record)s (what the service
    returned, else the record), %(state)s (its state's label) and %(result)s (what the service
    returned). Mixed with core's Screen before it; the screen needs only the model's view permission."""

    http_method_names = ["post"]
    action = "view"
    success_message = ""

    def run(self, obj):
        raise NotImplementedError

    def get_redirect_url(self, obj, result) -> str:
        if not type(obj)._default_manager.filter(pk=obj.pk).exists():
            return self.url("list")
        return self.url("detail", obj) or self.url("list")

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            result = self.run(obj)
        except errors.DomainError as error:
            messages.error(request, error_text(error))
            return redirect(self.get_redirect_url(obj, None))
        if self.success_message:
            record = result if isinstance(result, type(obj)) else obj
            state = record.get_state_display() if hasattr(record, "get_state_display") else ""
            messages.success(request, self.success_message % {"record": record, "state": state, "result": result})
        return redirect(self.get_redirect_url(obj, result))
