"""Partners (customers and suppliers) and payment terms."""

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tessera.core.models import CompanyOwned, Currency
from tessera.core.validators import validate_tax_id_for_country


class TermBasis(models.TextChoices):
    INVOICE_DATE = "invoice_date", _("Days after the invoice date")
    END_OF_MONTH = "end_of_month", _("Days after the end of the invoice's month")


class PaymentTerm(CompanyOwned):
    """When an invoice falls due, and any early-payment discount: net 30, 2/10 net 30, end of month + 30."""

    code = models.CharField(_("code"), max_length=20, validators=[RegexValidator(r"^[A-Za-z0-9_.-]+$")])
    name = models.CharField(_("name"), max_length=100)
    basis = models.CharField(_("basis"), max_length=20, choices=TermBasis.choices, default=TermBasis.INVOICE_DATE)
    days = models.PositiveSmallIntegerField(_("days"), default=30, validators=[MaxValueValidator(730)])
    discount_percent = models.DecimalField(
        _("early payment discount %"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    discount_days = models.PositiveSmallIntegerField(_("discount days"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "days", "code"]
        verbose_name = _("payment term")
        verbose_name_plural = _("payment terms")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_payment_term_code")]

    def __str__(self) -> str:
        return self.name

    def due_on(self, invoice_on: datetime.date) -> datetime.date:
        """The due date of an invoice dated `invoice_on`."""
        if self.basis == TermBasis.END_OF_MONTH:
            last_day = calendar.monthrange(invoice_on.year, invoice_on.month)[1]
            return invoice_on.replace(day=last_day) + datetime.timedelta(days=self.days)
        return invoice_on + datetime.timedelta(days=self.days)

    def discount_until(self, invoice_on: datetime.date) -> datetime.date | None:
        """The last day the early-payment discount applies, or None without a discount."""
        if not self.discount_percent:
            return None
        return invoice_on + datetime.timedelta(days=self.discount_days)


class Partner(CompanyOwned):
    """A customer, a supplier, or both. Receivables and payables are kept per partner.

    Addresses, contacts and bank accounts are rows of their own (PartnerAddress, PartnerContact,
    PartnerBankAccount, below); `address`, `contact_name`, `phone`, `email`, `bank_name` and
    `bank_account` here are the main values copied from the default rows (see the note above
    PartnerAddress). `tags` group partners for lists and filters.
    """

    code = models.CharField(_("code"), max_length=30, validators=[RegexValidator(r"^[A-Za-z0-9_.-]+$")])
    name = models.CharField(_("name"), max_length=200)
    is_customer = models.BooleanField(_("customer"), default=False)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    country = models.CharField(_("country"), max_length=2, default="CN", validators=[RegexValidator(r"^[A-Z]{2}$")])
    tax_id = models.CharField(_("tax id"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    currency = models.ForeignKey(
        Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"),
        help_text=_("Leave empty to use the company's base currency."),
    )
    payment_term = models.ForeignKey(
        PaymentTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("payment term")
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=18, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))], help_text=_("Empty means no limit."),
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    tags = models.ManyToManyField("PartnerTag", blank=True, related_name="partners", verbose_name=_("tags"))

    class Meta:
        ordering = ["company", "code"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="uniq_partner_code"),
            models.CheckConstraint(
                condition=models.Q(is_customer=True) | models.Q(is_supplier=True), name="partner_customer_or_supplier",
                violation_error_message=_("A partner is a customer, a supplier or both."),
            ),
        ]
        indexes = [models.Index(fields=["company", "tax_id"]), models.Index(fields=["company", "name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        validate_tax_id_for_country(self.tax_id, self.country)


# --- Addresses, contacts, bank accounts, tags ----------------------------------------------------
#
# A partner has any number of addresses (invoice, delivery, other), contacts and bank accounts. These
# rows are the truth. The partner's single fields `address`, `contact_name`, `phone`, `email`,
# `bank_name` and `bank_account` stay as its *main* values, a copy that other modules read (the
# invoice print, bank statement matching, imports): the partner services rewrite them from the
# default invoice address, the primary contact and the default bank account whenever those change,
# in the same transaction and under the partner's row lock. Writing a main value through the partner
# services (the API, imports, the new-partner form) writes through to that default row. Migration
# 0003 copied the single values of existing partners into the new rows (reversible: it removes them).

PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{4,30}([ ]*(ext\.?|x|转|分机)[ ]*[0-9]{1,6})?$"
phone_validator = RegexValidator(
    PHONE_PATTERN, _("Enter a phone number: digits, spaces, + ( ) -, and an extension (转 123) if any."),
)
SWIFT_PATTERN = r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$"


def normalise_account_number(number: str | None) -> str:
    """Account numbers compare without spaces and hyphens, upper-case (IBANs): "6222 0210-01" -> "622202101"."""
    return "".join(char for char in (number or "") if char not in " -\t").upper()


class AddressKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice address")
    DELIVERY = "delivery", _("Delivery address")
    OTHER = "other", _("Other address")


class TagColour(models.TextChoices):
    # Values name Bootstrap's colour classes, so a colour never reaches the page as free text.
    BLUE = "primary", _("Blue")
    GREEN = "success", _("Green")
    RED = "danger", _("Red")
    YELLOW = "warning", _("Yellow")
    CYAN = "info", _("Cyan")
    GREY = "secondary", _("Grey")
    BLACK = "dark", _("Black")


class PartnerTag(CompanyOwned):
    """A label to group partners ("VIP", "华东", "dropship"); the name is unique per company whatever its case."""

    name = models.CharField(_("name"), max_length=50)
    colour = models.CharField(_("colour"), max_length=12, choices=TagColour.choices, default=TagColour.BLUE)

    class Meta:
        ordering = ["company", "name"]
        verbose_name = _("partner tag")
        verbose_name_plural = _("partner tags")
        constraints = [models.UniqueConstraint(Lower("name"), "company", name="uniq_partner_tag_name")]

    def __str__(self) -> str:
        return self.name


class PartnerChild(CompanyOwned):
    """Abstract: a row belonging to one partner, in the partner's company (set by the services)."""

    class Meta:
        abstract = True


class PartnerAddress(PartnerChild):
    """One address of a partner. Per partner and kind exactly one address is the default (a partial unique
    constraint; the services move the flag under the partner's lock). The default invoice address is the
    partner's main `address`."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("partner"))
    kind = models.CharField(_("kind"), max_length=10, choices=AddressKind.choices, default=AddressKind.INVOICE)
    name = models.CharField(_("label"), max_length=100, blank=True, help_text=_("e.g. Head office, Warehouse 2"))
    street = models.TextField(_("street"), help_text=_("Street, building, floor: one or more lines."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province or state"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CN", validators=[RegexValidator(r"^[A-Z]{2}$")])
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["partner", "kind", "-is_default", "pk"]
        verbose_name = _("partner address")
        verbose_name_plural = _("partner addresses")
        constraints = [models.UniqueConstraint(fields=["partner", "kind"], condition=models.Q(is_default=True),
                                               name="uniq_partner_address_default")]

    def __str__(self) -> str:
        first = (self.street or "").strip().splitlines()[:1]
        return self.name or ", ".join(part for part in [*(first or [""]), self.city] if part)

    def formatted(self) -> str:
        """The address as printed: Chinese order (province, city, street, postal code) in China, else
        street, then postal code, city and province, then the country code when it is not the partner's."""
        street = "\n".join(line.strip() for line in (self.street or "").strip().splitlines() if line.strip())
        if self.country == "CN":
            head = "".join(part for part in (self.province, self.city) if part)
            lines = [head + street if head and "\n" not in street else "\n".join(p for p in (head, street) if p)]
            if self.postal_code:
                lines.append(str(_("Postal code %(code)s")) % {"code": self.postal_code})
        else:
            place = " ".join(part for part in (self.postal_code, self.city) if part)
            place = ", ".join(part for part in (place, self.province) if part)
            lines = [street, place]
        if self.partner_id and self.country != self.partner.country:
            lines.append(self.country)
        return "\n".join(line for line in lines if line)


class PartnerContact(PartnerChild):
    """A person at the partner. At most one contact is primary (exactly one while there are contacts);
    the primary contact gives the partner's main `contact_name`, `phone` (or the mobile) and `email`."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    mobile = models.CharField(_("mobile"), max_length=40, blank=True, validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["partner", "-is_primary", "name", "pk"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        constraints = [models.UniqueConstraint(fields=["partner"], condition=models.Q(is_primary=True),
                                               name="uniq_partner_contact_primary")]

    def __str__(self) -> str:
        return self.name or self.email or self.mobile or self.phone

    def clean(self) -> None:
        if not any((self.name or "").strip() or (getattr(self, f) or "").strip() for f in ("phone", "mobile", "email")):
            raise ValidationError({"name": _("Give the contact a name, a phone number or an e-mail address.")})
        # Mainland mobile numbers: 11 digits starting with 1 (without a +country prefix).
        mobile = "".join(char for char in self.mobile or "" if char.isdigit())
        if self.mobile and not self.mobile.strip().startswith("+") and self.partner_id \
                and self.partner.country == "CN" and not (len(mobile) == 11 and mobile.startswith("1")):
            raise ValidationError({"mobile": _("A Chinese mobile number has 11 digits and starts with 1.")})


class PartnerBankAccount(PartnerChild):
    """A bank account of the partner (where to pay a supplier, how a customer pays). Account numbers are
    kept without spaces and are unique per partner; a Chinese partner's have 8 to 30 digits. Exactly one
    account is the default while there are accounts: it gives the partner's `bank_name` and `bank_account`."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="bank_accounts",
                                verbose_name=_("partner"))
    bank_name = models.CharField(_("bank"), max_length=100)
    branch = models.CharField(_("branch"), max_length=100, blank=True)
    account_number = models.CharField(_("account number"), max_length=50)
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True,
                                      help_text=_("Empty means the partner's name."))
    swift_bic = models.CharField(_("SWIFT/BIC"), max_length=11, blank=True, validators=[RegexValidator(
        SWIFT_PATTERN, _("Enter a SWIFT/BIC code of 8 or 11 characters, such as BKCHCNBJ."))])
    currency = models.ForeignKey(Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["partner", "-is_default", "pk"]
        verbose_name = _("partner bank account")
        verbose_name_plural = _("partner bank accounts")
        constraints = [
            models.UniqueConstraint(fields=["partner", "account_number"], name="uniq_partner_bank_account_number"),
            models.UniqueConstraint(fields=["partner"], condition=models.Q(is_default=True),
                                    name="uniq_partner_bank_account_default"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number}".strip()

    def clean(self) -> None:
        number = self.account_number or ""
        if self.partner_id and self.partner.country == "CN":
            if not number.isdigit() or not 8 <= len(number) <= 30:
                raise ValidationError({"account_number": _(
                    "A Chinese bank account number has 8 to 30 digits (spaces and hyphens are left out).")})
        elif number and (not number.isalnum() or not number.isascii() or not 4 <= len(number) <= 34):
            raise ValidationError({"account_number": _("Enter 4 to 34 letters and digits (an IBAN, for example).")})
