"""What the products screens share: the module and url namespace, company-scoped forms, POST buttons
that run one service and go back to the record."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect

from tessera.core import errors


class MasterData:
    """Mixed into every products screen (before the generic view)."""

    module = "masterdata"
    url_namespace = "products"


class CompanyFormKwargs:
    """Forms whose choices are limited to the company's records get `company`."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "company": self.company}


class ActionView(MasterData):
    """POST only: run `run(obj)` (a service, which checks its own permission) and go back to the record's
    page; a refusal (no permission, wrong state, in use) shows there as a message. Mixed with core's
    Screen; the screen itself needs only the view permission of the model."""

    http_method_names = ["post"]
    action = "view"
    success_message = ""

    def run(self, obj):
        raise NotImplementedError

    def get_redirect_url(self, obj) -> str:
        return self.url("detail", obj) or self.url("list")

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            result = self.run(obj)
        except (errors.PermissionDenied, errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
            messages.error(request, str(error.message))
            return redirect(self.get_redirect_url(obj))
        if self.success_message:
            messages.success(request, self.success_message % {"record": result or obj})
        return redirect(self.get_redirect_url(obj))


def price(value: Decimal | None) -> Decimal | None:
    """A price as shown: two decimals at least, more only when the price has them (99.00, 0.0125)."""
    if value is None:
        return None
    places = max(2, -value.normalize().as_tuple().exponent)
    return value.quantize(Decimal(1).scaleb(-places))
