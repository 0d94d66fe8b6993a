"""Validators shared across apps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code (统一社会信用代码).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a unified social credit code."""
    total = sum(_USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    if len(code) != 18 or any(char not in _USCC_ALPHABET for char in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def validate_tax_id_for_country(tax_id: str, country: str) -> None:
    """Raise a field error on `tax_id` when it is not valid for the country (China: USCC, GB 32100)."""
    if tax_id and country == "CN" and not is_valid_uscc(tax_id.upper()):
        raise ValidationError(
            {"tax_id": _("Enter a valid 18-character unified social credit code (统一社会信用代码).")}
        )
