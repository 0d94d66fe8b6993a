"""What the accounting screens share: the module, the url namespace, company-scoped forms, and
POST buttons that run one state transition (post, reverse, close, reopen)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tessera.core.views.actions import ActionView, error_text  # noqa: F401  (error_text: for the screens)
from tessera.core.views.records import RecordCreateView, RecordUpdateView


class Accounting:
    """Mixed into every accounting screen (before the generic view)."""

    module = "accounting"
    url_namespace = "accounting"


class CompanyFormKwargs:
    """Forms whose choices are limited to the company's records get `company`."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "company": self.company}


class AccountingCreateView(Accounting, CompanyFormKwargs, RecordCreateView):
    pass


class AccountingUpdateView(Accounting, CompanyFormKwargs, RecordUpdateView):
    pass


class DraftUpdateMixin:
    """The edit screen of a draft document (entry, invoice, payment): loads the record before the access
    check, titles the page after it, and sends anyone opening a posted one back to its page with
    `not_draft_message` (a format string with %(number)s)."""

    action = "change"
    not_draft_message = ""

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_title(self):
        return _("Edit %(record)s") % {"record": self.object}

    def get(self, request, *args, **kwargs):
        if self.object.state != "draft":
            messages.error(request, self.not_draft_message % {"number": self.object.number})
            return redirect(self.url("detail", self.object))
        return super().get(request, *args, **kwargs)


class TransitionView(Accounting, ActionView):
    """POST only: run `transition(obj)` (a service, which checks its own permission) and go back to the
    record's page; a refusal (no permission, wrong state, closed period...) shows there as a message
    (core's ActionView). Mixed with core's Screen; the screen itself needs only the view permission."""

    def transition(self, obj):
        raise NotImplementedError

    def run(self, obj):
        return self.transition(obj)

    def get_redirect_url(self, obj, result) -> str:
        return self.url("detail", obj) or self.url("list")


