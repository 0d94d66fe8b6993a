"""Seeding after migrate (currencies, roles) and a profile for every user. No business rules here."""

import csv
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from .models import Currency, UserProfile


def seed_currencies() -> None:
    """Load ISO 4217 currencies; existing rows (and their edited rounding) are left alone."""
    with open(Path(__file__).parent / "data" / "iso4217.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    Currency.objects.bulk_create(
        [
            Currency(
                code=row["code"],
                name=row["name"],
                symbol=row["symbol"],
                decimal_places=int(row["decimals"]),
                rounding=Decimal(1).scaleb(-int(row["decimals"])),
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


@receiver(post_migrate, dispatch_uid="tessera-core-seed")
def seed_after_migrate(sender, app_config=None, **kwargs):
    # Runs once per migrate, after the last app's migrations (and Django's permission creation).
    from django.apps import apps

    if app_config is None or app_config.label != list(apps.get_app_configs())[-1].label:
        return
    from .roles import seed_roles

    seed_currencies()
    seed_roles()


@receiver(post_save, sender=get_user_model(), dispatch_uid="tessera-user-profile")
def ensure_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        UserProfile.objects.get_or_create(user=instance)
