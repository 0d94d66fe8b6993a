"""Document numbering: per company, document type and period; gapless."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .company import Company


class Reset(models.TextChoices):
    YEARLY = "yearly", _("Every fiscal year")
    MONTHLY = "monthly", _("Every month")
    NEVER = "never", _("Never")


class Sequence(models.Model):
    """How a company numbers one document type: `prefix` may use {year}, {month} and {fy}.

    `SO-{fy}-` with padding 5 gives SO-2026-00001; `记-{year}{month}-` with padding 4 and monthly
    reset gives 记-202611-0001.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    code = models.CharField(_("document type"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=40)
    padding = models.PositiveSmallIntegerField(_("padding"), default=5)
    reset = models.CharField(_("reset"), max_length=10, choices=Reset.choices, default=Reset.YEARLY)

    class Meta:
        ordering = ["company", "code"]
        verbose_name = _("sequence")
        verbose_name_plural = _("sequences")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_sequence_code")]

    def __str__(self) -> str:
        return f"{self.company.code}:{self.code}"


class SequenceCounter(models.Model):
    """The next number of a sequence in one period; locked while a number is taken from it."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="counters")
    period = models.CharField(max_length=10)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sequence", "period"], name="uniq_sequence_period")]

    def __str__(self) -> str:
        return f"{self.sequence}:{self.period}={self.next_number}"
