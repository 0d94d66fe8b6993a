"""Exact conversion between units: quantity × from.ratio ÷ to.ratio, refused when inexact or across categories."""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera.core.errors import ValidationFailed
from tessera.products.models import Uom, UomCategory
from tessera.products.services import uom_convert, uom_quantity_check


def unit(ratio, places=0, category=1, name="u"):
    """An unsaved unit: conversion reads only the category, company, ratio and decimal places."""
    return Uom(company_id=1, category=UomCategory(pk=category, company_id=1, name=f"category {category}"), name=name,
               symbol=name, ratio=Decimal(ratio), decimal_places=places)


PIECE, DOZEN, BOX12 = unit("1", 0, name="pcs"), unit("12", 0, name="dz"), unit("12", 0, name="box")
KG, GRAM, TONNE, JIN = (unit("1", 3, 2, "kg"), unit("0.001", 1, 2, "g"), unit("1000", 3, 2, "t"),
                        unit("0.5", 2, 2, "jin"))


@pytest.mark.parametrize(("quantity", "source", "target", "expected"), [
    ("3", BOX12, PIECE, "36"),
    ("1", DOZEN, PIECE, "12"),
    ("24", PIECE, BOX12, "2"),
    ("1500", GRAM, KG, "1.500"),
    ("0.25", KG, GRAM, "250.0"),
    ("3", JIN, KG, "1.500"),
    ("1.5", KG, JIN, "3.00"),
    ("2.5", TONNE, KG, "2500.000"),
    ("-36", PIECE, BOX12, "-3"),
    ("0", PIECE, BOX12, "0"),
])
def test_quantities_convert_exactly(quantity, source, target, expected):
    result = uom_convert(quantity=Decimal(quantity), from_uom=source, to_uom=target)

    assert result == Decimal(expected)
    assert str(result) == expected  # with the target unit's decimal places


def test_five_pieces_are_not_a_number_of_boxes_of_twelve():
    with pytest.raises(ValidationFailed) as error:
        uom_convert(quantity=Decimal("5"), from_uom=PIECE, to_uom=BOX12)

    assert error.value.fields == {"quantity": [
        "5 pcs is not an exact quantity of box (0 decimal places): it is about 0.416667 box."]}


def test_a_gram_is_not_representable_in_kilograms_with_three_places():
    with pytest.raises(ValidationFailed) as error:
        uom_convert(quantity="0.5", from_uom=GRAM, to_uom=KG)

    assert list(error.value.fields) == ["quantity"]


def test_units_of_different_categories_do_not_convert():
    with pytest.raises(ValidationFailed) as error:
        uom_convert(quantity=Decimal("1"), from_uom=KG, to_uom=PIECE)

    assert list(error.value.fields) == ["uom"]
    assert "measure different things" in error.value.fields["uom"][0]


def test_units_of_another_company_do_not_convert():
    foreign_piece = Uom(company_id=2, category=PIECE.category, name="pcs", ratio=Decimal("1"), decimal_places=0)

    with pytest.raises(ValidationFailed):
        uom_convert(quantity=Decimal("1"), from_uom=PIECE, to_uom=foreign_piece)


@pytest.mark.parametrize(("rounding", "expected"), [
    (ROUND_HALF_UP, "0"), (ROUND_UP, "1"), (ROUND_DOWN, "0"),
])
def test_rounding_is_there_for_display(rounding, expected):
    assert uom_convert(quantity=Decimal("5"), from_uom=PIECE, to_uom=BOX12, rounding=rounding) == Decimal(expected)


@pytest.mark.parametrize(("pieces", "rounding", "expected"), [
    ("6", ROUND_HALF_UP, "1"), ("6", ROUND_HALF_EVEN, "0"), ("18", ROUND_HALF_EVEN, "2"), ("-6", ROUND_HALF_UP, "-1"),
    ("7", ROUND_DOWN, "0"), ("-7", ROUND_UP, "-1"),
])
def test_rounding_of_exact_halves_follows_the_mode(pieces, rounding, expected):
    assert uom_convert(quantity=pieces, from_uom=PIECE, to_uom=BOX12, rounding=rounding) == Decimal(expected)


def test_floats_are_refused():
    with pytest.raises(ValidationFailed) as error:
        uom_convert(quantity=1.5, from_uom=KG, to_uom=GRAM)

    assert list(error.value.fields) == ["quantity"]


def test_a_quantity_may_have_no_more_decimals_than_its_unit():
    assert uom_quantity_check(quantity="2", uom=PIECE) == Decimal("2")
    with pytest.raises(ValidationFailed) as error:
        uom_quantity_check(quantity="2.5", uom=PIECE, field="lines.0.quantity")

    assert error.value.fields == {"lines.0.quantity": ["A quantity in pcs has at most 0 decimal places."]}


RATIOS = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("10000"), places=3)


@given(ratio_from=RATIOS, ratio_to=RATIOS, places_from=st.integers(0, 4), places_to=st.integers(0, 4),
       units=st.integers(-10**9, 10**9))
def test_converting_there_and_back_gives_the_same_quantity_when_representable(
        ratio_from, ratio_to, places_from, places_to, units):
    source, target = unit(ratio_from, places_from), unit(ratio_to, places_to)
    quantity = Decimal(units).scaleb(-places_from)
    try:
        there = uom_convert(quantity=quantity, from_uom=source, to_uom=target)
    except ValidationFailed:
        # Not representable: rounding gives the nearest quantity the target unit can hold.
        rounded = uom_convert(quantity=quantity, from_uom=source, to_uom=target, rounding=ROUND_HALF_UP)
        assert abs(rounded * ratio_to - quantity * ratio_from) <= Decimal("0.5").scaleb(-places_to) * ratio_to
        return

    assert there * ratio_to == quantity * ratio_from  # the same amount of the thing, exactly
    assert uom_convert(quantity=there, from_uom=target, to_uom=source) == quantity
