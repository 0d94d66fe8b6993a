"""Forms of the core screens. They parse input only; the services validate and write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Company, Currency, ExchangeRate, Role, Sequence

User = get_user_model()


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that only parses input. The service validates (full_clean) and writes, so the
    model is neither validated nor changed here: one place decides, for the UI and the API alike."""

    def _post_clean(self):
        pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CompanyForm(ServiceModelForm):
    class Meta:
        model = Company
        fields = ["code", "name", "base_currency", "country", "fiscal_year_start_month", "tax_id", "address", "logo",
                  "is_active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_currency"].queryset = Currency.objects.filter(is_active=True)
        if self.instance.pk:
            # The code names the company everywhere (API header, numbering): it never changes.
            self.fields["code"].disabled = True


class CurrencyForm(ServiceModelForm):
    class Meta:
        model = Currency
        fields = ["code", "name", "symbol", "decimal_places", "rounding", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


class ExchangeRateLineForm(ServiceModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["quote_currency", "rate_on", "rate"]
        widgets = {"rate_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quote_currency"].queryset = Currency.objects.filter(is_active=True)


class SequenceForm(ServiceModelForm):
    class Meta:
        model = Sequence
        fields = ["code", "name", "prefix", "padding", "reset"]
        help_texts = {"prefix": _("May use {year}, {month} and {fy} (fiscal year), e.g. SO-{fy}-.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


class UserAccessFields(forms.Form):
    """Roles and companies, shared by the create and edit forms of users."""

    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"), queryset=Role.objects.select_related("group"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    companies = forms.ModelMultipleChoiceField(
        label=_("Allowed companies"), queryset=Company.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    default_company = forms.ModelChoiceField(
        label=_("Default company"), queryset=Company.objects.filter(is_active=True), required=False,
    )


class UserCreateForm(UserAccessFields):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False)
    email = forms.EmailField(label=_("Email"), required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    field_order = ["username", "password", "email", "first_name", "last_name", "is_active", "roles", "companies",
                   "default_company"]


class UserUpdateForm(UserAccessFields):
    email = forms.EmailField(label=_("Email"), required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)
    field_order = ["email", "first_name", "last_name", "is_active", "roles", "companies", "default_company"]

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            profile = instance.profile
            kwargs["initial"] = {
                "email": instance.email, "first_name": instance.first_name, "last_name": instance.last_name,
                "is_active": instance.is_active,
                "roles": Role.objects.filter(group__user=instance),
                "companies": profile.companies.all(), "default_company": profile.default_company,
            }
        super().__init__(*args, **kwargs)


class NewPasswordForm(forms.Form):
    """A new password typed twice (an administrator's reset)."""

    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("New password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class PasswordChangeForm(NewPasswordForm):
    """One's own password: the old one first."""

    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput, strip=False)
    field_order = ["old_password", "password", "password_again"]


class RoleForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ApiTokenForm(ServiceModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "expires_at"]
        widgets = {"expires_at": DateTimeInput()}
