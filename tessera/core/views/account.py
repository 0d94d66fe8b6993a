"""The signed-in user's own account: password change and API tokens."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import errors
from ..forms import ApiTokenForm, PasswordChangeForm
from ..models import ApiToken
from ..services.users import api_token_create, api_token_revoke, user_set_password
from .generic import FormScreen, Screen, apply_domain_error


class PasswordChangeView(FormScreen):
    """Anyone signed in changes their own password, giving the old one."""

    form_class = PasswordChangeForm
    title = gettext_lazy("Change password")
    success_message = gettext_lazy("Your password was changed.")

    def perform(self, form):
        user = self.request.user
        user_set_password(actor=user, user=user, password=form.cleaned_data["password"],
                          old_password=form.cleaned_data["old_password"])
        update_session_auth_hash(self.request, user)  # stay signed in with the new password
        return None

    def get_success_url(self, obj):
        return reverse("home")

    def get_cancel_url(self):
        return reverse("home")

    def get_breadcrumbs(self, obj=None):
        return [(self.get_title(), None)]


class TokenListView(Screen):
    """My API tokens: create one (its key is shown once, now), revoke one."""

    model = ApiToken
    template_name = "core/account/tokens.html"
    title = gettext_lazy("My API tokens")

    def get_permission(self):
        return None  # one's own tokens need no permission

    def get_breadcrumbs(self, obj=None):
        return [(self.get_title(), None)]

    def page(self, form, raw_key=None, status=200):
        tokens = ApiToken.objects.filter(user=self.request.user).order_by("-created_at")
        return self.render({"form": form, "tokens": tokens, "raw_key": raw_key}, status=status)

    def get(self, request, *args, **kwargs):
        return self.page(ApiTokenForm())

    def post(self, request, *args, **kwargs):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw = api_token_create(actor=request.user, name=form.cleaned_data["name"],
                                              expires_at=form.cleaned_data["expires_at"])
            except errors.ValidationFailed as error:
                apply_domain_error(form, error)
            else:
                # The key is rendered now and never again: it is not stored (only its hash) nor redirected.
                messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
                return self.page(ApiTokenForm(), raw_key=raw)
        return self.page(form)


class TokenRevokeView(Screen):
    model = ApiToken
    http_method_names = ["post"]

    def get_permission(self):
        return None  # the service allows one's own tokens, and administrators' anyone's

    def post(self, request, *args, **kwargs):
        token = ApiToken.objects.filter(user=request.user, pk=kwargs["pk"]).first()
        if token is None:
            raise errors.NotFound(_("Token not found."))
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("core:token_list")
