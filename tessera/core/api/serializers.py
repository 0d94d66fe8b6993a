"""Serializers of the core API: set-up records, users and roles, tokens, the logs."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..menu import MODULES
from ..models import ApiToken, AuditEntry, Company, Currency, DomainEvent, ExchangeRate, Job, Role, Sequence
from .base import DecimalField, ModelSerializer, Serializer

User = get_user_model()


class CompanySerializer(ModelSerializer):
    modules = serializers.ListField(
        child=serializers.CharField(), write_only=True, required=False,
        help_text=_("Modules to switch on at creation, e.g. [\"sales\", \"accounting\"]."),
    )

    class Meta:
        model = Company
        fields = ["id", "code", "name", "base_currency", "country", "fiscal_year_start_month", "tax_id", "address",
                  "is_active", "created_at", "modules"]
        read_only_fields = ["created_at"]


class CompanyModuleSerializer(Serializer):
    module = serializers.CharField()
    name = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField()
    always_on = serializers.BooleanField(read_only=True)

    def validate_module(self, value):
        if value not in MODULES:
            raise serializers.ValidationError(_("Unknown module: %(module)s.") % {"module": value})
        return value


class CurrencySerializer(ModelSerializer):
    class Meta:
        model = Currency
        fields = ["id", "code", "name", "symbol", "decimal_places", "rounding", "is_active"]


class ExchangeRateSerializer(ModelSerializer):
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    quote_currency_code = serializers.CharField(source="quote_currency.code", read_only=True)

    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "currency_code", "quote_currency", "quote_currency_code", "rate_on", "rate"]
        validators = []  # a second rate for the same day corrects the first (exchange_rate_set)


class RateLookupQuerySerializer(Serializer):
    currency = serializers.SlugRelatedField(slug_field="code", queryset=Currency.objects.all())
    quote = serializers.SlugRelatedField(slug_field="code", queryset=Currency.objects.all())
    date = serializers.DateField()


class RateLookupSerializer(Serializer):
    currency = serializers.CharField()
    quote = serializers.CharField()
    date = serializers.DateField()
    rate = DecimalField(max_digits=20, decimal_places=10)


class SequenceSerializer(ModelSerializer):
    class Meta:
        model = Sequence
        fields = ["id", "company", "code", "name", "prefix", "padding", "reset"]
        validators = []  # (company, code) is unique: the service validates it with the company set


class UserSerializer(Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    is_active = serializers.BooleanField(required=False)
    roles = serializers.PrimaryKeyRelatedField(many=True, queryset=Role.objects.all(), required=False)
    companies = serializers.PrimaryKeyRelatedField(many=True, queryset=Company.objects.all(), required=False)
    default_company = serializers.PrimaryKeyRelatedField(
        queryset=Company.objects.all(), required=False, allow_null=True
    )
    last_login = serializers.DateTimeField(read_only=True)
    date_joined = serializers.DateTimeField(read_only=True)

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": [_("This field is required.")]})
        if self.instance is not None:
            if "password" in attrs:
                raise serializers.ValidationError(
                    {"password": [_("Use the reset-password action to change a password.")]}
                )
            if attrs.get("username", self.instance.username) != self.instance.username:
                raise serializers.ValidationError({"username": [_("A username cannot change.")]})
        return attrs

    def to_representation(self, user):
        profile = user.profile
        return {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "roles": sorted(group.role.pk for group in user.groups.all() if hasattr(group, "role")),
            "companies": sorted(profile.companies.values_list("pk", flat=True)),
            "default_company": profile.default_company_id,
            "last_login": serializers.DateTimeField().to_representation(user.last_login) if user.last_login else None,
            "date_joined": serializers.DateTimeField().to_representation(user.date_joined),
        }


class PasswordResetSerializer(Serializer):
    password = serializers.CharField(style={"input_type": "password"})
    old_password = serializers.CharField(required=False, style={"input_type": "password"},
                                         help_text=_("Required when you change your own password."))


class CompanySummarySerializer(ModelSerializer):
    class Meta:
        model = Company
        fields = ["id", "code", "name"]


class RoleSerializer(ModelSerializer):
    name = serializers.CharField(max_length=150)

    class Meta:
        model = Role
        fields = ["id", "code", "name", "description", "is_seeded"]


class RolePermissionsSerializer(Serializer):
    permissions = serializers.ListField(
        child=serializers.CharField(), help_text=_("Permissions as app_label.codename, e.g. sales.view_order.")
    )


class UserAccessSerializer(Serializer):
    user = serializers.IntegerField()
    username = serializers.CharField()
    is_superuser = serializers.BooleanField()
    is_active = serializers.BooleanField()
    default_company = serializers.IntegerField(allow_null=True)
    companies = CompanySummarySerializer(many=True)
    roles = RoleSerializer(many=True)
    permissions = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Model label -> actions the user may take, e.g. {\"core.company\": [\"view\"]}."),
    )


class MeSerializer(Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_superuser = serializers.BooleanField()
    company = CompanySummarySerializer(allow_null=True)
    companies = CompanySummarySerializer(many=True)
    modules = serializers.ListField(child=serializers.CharField())


class ApiTokenSerializer(ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.SerializerMethodField(help_text=_("The key itself: shown once, never again."))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]

    @extend_schema_field(serializers.CharField())
    def get_token(self, token) -> str:
        return self.context["raw_key"]


class TokenLoginSerializer(Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(Serializer):
    token = serializers.CharField()


class AuditEntrySerializer(ModelSerializer):
    model = serializers.SerializerMethodField()
    actor_username = serializers.CharField(source="actor_repr", read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "company", "model", "object_id", "object_repr", "action", "changes", "actor",
                  "actor_username", "channel", "api_token", "request_id", "at"]

    def get_model(self, entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


class DomainEventSerializer(ModelSerializer):
    model = serializers.SerializerMethodField()

    class Meta:
        model = DomainEvent
        fields = ["id", "company", "name", "model", "object_id", "payload", "actor", "at"]

    def get_model(self, event) -> str | None:
        ct = event.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None


class JobSerializer(ModelSerializer):
    class Meta:
        model = Job
        fields = ["id", "company", "user", "kind", "state", "progress", "message", "params", "result", "error",
                  "created_at", "started_at", "finished_at"]
