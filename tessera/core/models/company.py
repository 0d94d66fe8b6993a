"""Companies, the modules each one has switched on, and the base of every company-owned record."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_tax_id_for_country
from .currency import Currency


class Company(models.Model):
    """A legal entity whose books Tessera keeps. Every business record belongs to exactly one."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, '-' and '_' only."))],
    )
    name = models.CharField(_("name"), max_length=200)
    base_currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("base currency")
    )
    country = models.CharField(
        _("country"), max_length=2, default="CN", validators=[RegexValidator(r"^[A-Z]{2}$")],
        help_text=_("ISO 3166 two-letter code, e.g. CN, US, DE."),
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year start month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    tax_id = models.CharField(_("tax id"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="company_fiscal_month_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        validate_tax_id_for_country(self.tax_id, self.country)

    def fiscal_year_of(self, day) -> int:
        """The fiscal year a date falls in, named by the calendar year in which that fiscal year starts."""
        return day.year if day.month >= self.fiscal_year_start_month else day.year - 1


class CompanyModule(models.Model):
    """Whether a module (sales, accounting, ...) is live for a company: phased go-live by module."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="modules", verbose_name=_("company"))
    module = models.CharField(_("module"), max_length=40)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        ordering = ["company", "module"]
        verbose_name = _("company module")
        verbose_name_plural = _("company modules")
        constraints = [models.UniqueConstraint(fields=["company", "module"], name="uniq_company_module")]

    def __str__(self) -> str:
        return f"{self.company.code}:{self.module}"


class CompanyOwned(models.Model):
    """Abstract base for every business record: it belongs to one company, fixed at creation."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company"), editable=False
    )

    class Meta:
        abstract = True
