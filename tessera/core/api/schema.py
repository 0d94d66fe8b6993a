"""OpenAPI details every Tessera endpoint shares: the X-Company and Idempotency-Key headers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import authentication, openapi
from drf_spectacular.utils import OpenApiParameter

COMPANY_HEADER = OpenApiParameter(
    "X-Company", str, OpenApiParameter.HEADER, required=False,
    description=_("Code of the company to work in; the user's default company when omitted."),
)
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description=_("Send the same key to repeat a write safely: the second request creates nothing."),
)


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "module", None):
            parameters.append(COMPANY_HEADER)
        handler_name = getattr(self.view, "action", None) or self.method.lower()
        if getattr(getattr(self.view, handler_name, None), "idempotent", False):
            parameters.append(IDEMPOTENCY_HEADER)
        return parameters


class SessionScheme(authentication.SessionScheme):
    """The browser session (our SessionAuthentication subclass) in the schema's security schemes."""

    target_class = "tessera.core.api.authentication.SessionAuthentication"
