"""Users' company access, roles and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .company import Company


class UserProfile(models.Model):
    """What a user may reach beyond their roles: the companies they work in, and their default one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    companies = models.ManyToManyField(Company, blank=True, related_name="+", verbose_name=_("allowed companies"))
    default_company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("default company")
    )
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)


class Role(models.Model):
    """A role is a Django group (its permissions) with a stable code and a description.

    Seeded roles have `is_seeded`: they can be edited but not deleted or renamed by code.
    """

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role", verbose_name=_("group"))
    code = models.SlugField(_("code"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_seeded = models.BooleanField(_("seeded"), default=False, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the user's language (seeded roles are translated)."""
        from ..roles import role_label

        return role_label(self.group)

    @property
    def description_display(self) -> str:
        from ..roles import role_description

        return role_description(self)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A named API token. Only its SHA-256 is stored: the raw key is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """A new raw key with its prefix and hash."""
        raw = secrets.token_hex(20)
        return raw, raw[:8], hash_token(raw)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class RoleSeededModel(models.Model):
    """Remembers that a role has received its default permissions for a model (see roles.seed_roles)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="role_seeded_models")
    model_label = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "model_label"], name="uniq_role_seeded_model")]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.model_label}"
