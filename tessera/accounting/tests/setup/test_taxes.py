"""Tax computation: price-included and excluded taxes, exemptions, rounding per line or per document."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera.accounting.models import Tax
from tessera.accounting.services.taxes import document_taxes, tax_compute
from tessera.core.models import Currency

D = Decimal
CNY = Currency(code="CNY", decimal_places=2, rounding=D("0.01"))
JPY = Currency(code="JPY", decimal_places=0, rounding=D("1"))


def tax(rate, *, included=False, exempt=False, name=None, kind="sales"):
    return Tax(name=name or f"{rate}%", kind=kind, rate=D(rate), price_included=included, is_exempt=exempt)


def _figures(result):
    return result.untaxed, [(item.base, item.amount) for item in result.taxes], result.total


# --- one line ---------------------------------------------------------------------------------------


def test_excluded_tax_is_added_on_top():
    assert _figures(tax_compute(amount=D("100.00"), taxes=[tax("13")], currency=CNY)) == (
        D("100.00"), [(D("100.00"), D("13.00"))], D("113.00"))


def test_included_tax_is_taken_out_of_the_price():
    assert _figures(tax_compute(amount=D("113.00"), taxes=[tax("13", included=True)], currency=CNY)) == (
        D("100.00"), [(D("100.00"), D("13.00"))], D("113.00"))


def test_included_tax_rounds_the_tax_and_keeps_the_price():
    # 100 / 1.13 = 88.4955...; tax 11.5044... -> 11.50; the untaxed amount takes the rest.
    assert _figures(tax_compute(amount=D("100.00"), taxes=[tax("13", included=True)], currency=CNY)) == (
        D("88.50"), [(D("88.50"), D("11.50"))], D("100.00"))


def test_excluded_tax_rounds_half_up():
    # 10.50 x 9 % = 0.945 -> 0.95
    assert tax_compute(amount=D("10.50"), taxes=[tax("9")], currency=CNY).taxes[0].amount == D("0.95")


def test_line_amount_is_rounded_before_tax():
    # quantity 3 x 3.333 = 9.999 -> 9.999 rounds to 10.00; 6 % of that is 0.60
    assert _figures(tax_compute(amount=D("9.999"), taxes=[tax("6")], currency=CNY)) == (
        D("10.00"), [(D("10.00"), D("0.60"))], D("10.60"))


def test_exempt_tax_has_a_base_and_no_amount():
    assert _figures(tax_compute(amount=D("250.00"), taxes=[tax("13", exempt=True)], currency=CNY)) == (
        D("250.00"), [(D("250.00"), D("0.00"))], D("250.00"))


def test_zero_rate_tax_has_a_base_and_no_amount():
    assert _figures(tax_compute(amount=D("80.00"), taxes=[tax("0")], currency=CNY)) == (
        D("80.00"), [(D("80.00"), D("0.00"))], D("80.00"))


def test_included_exempt_tax_leaves_the_price_untaxed():
    assert _figures(tax_compute(amount=D("99.99"), taxes=[tax("13", included=True, exempt=True)], currency=CNY)) == (
        D("99.99"), [(D("99.99"), D("0.00"))], D("99.99"))


def test_line_without_taxes_is_its_amount():
    assert _figures(tax_compute(amount=D("12.34"), taxes=[], currency=CNY)) == (D("12.34"), [], D("12.34"))


def test_two_excluded_taxes_are_each_on_the_untaxed_amount():
    assert _figures(tax_compute(amount=D("200.00"), taxes=[tax("13"), tax("1")], currency=CNY)) == (
        D("200.00"), [(D("200.00"), D("26.00")), (D("200.00"), D("2.00"))], D("228.00"))


def test_included_and_excluded_taxes_on_one_line():
    # 110 includes 10 %: untaxed 100.00; 5 % excluded on top is 5.00.
    result = tax_compute(amount=D("110.00"), taxes=[tax("10", included=True), tax("5")], currency=CNY)

    assert _figures(result) == (D("100.00"), [(D("100.00"), D("10.00")), (D("100.00"), D("5.00"))], D("115.00"))


def test_a_tax_listed_twice_counts_once():
    vat = tax("13")

    assert tax_compute(amount=D("100"), taxes=[vat, vat], currency=CNY).total == D("113.00")


def test_credit_line_mirrors_the_invoice_line():
    vat = tax("9")

    assert _figures(tax_compute(amount=D("-10.50"), taxes=[vat], currency=CNY)) == (
        D("-10.50"), [(D("-10.50"), D("-0.95"))], D("-11.45"))


def test_yen_has_no_decimals():
    assert _figures(tax_compute(amount=D("1050"), taxes=[tax("8", included=True)], currency=JPY)) == (
        D("972"), [(D("972"), D("78"))], D("1050"))
    assert _figures(tax_compute(amount=D("999"), taxes=[tax("10")], currency=JPY)) == (
        D("999"), [(D("999"), D("100"))], D("1099"))


def test_float_amount_is_refused():
    with pytest.raises(TypeError):
        tax_compute(amount=113.0, taxes=[tax("13")], currency=CNY)


def test_tax_total_sums_the_line_taxes():
    assert tax_compute(amount=D("100"), taxes=[tax("13"), tax("1")], currency=CNY).tax_total == D("14.00")


# --- documents --------------------------------------------------------------------------------------


def test_three_lines_of_33_33_differ_by_a_cent_between_line_and_document_rounding():
    vat = tax("13")
    lines = [(D("33.33"), [vat])] * 3

    by_line = document_taxes(lines, CNY, rounding="line")
    by_document = document_taxes(lines, CNY, rounding="document")

    assert _figures(by_line) == (D("99.99"), [(D("99.99"), D("12.99"))], D("112.98"))
    assert _figures(by_document) == (D("99.99"), [(D("99.99"), D("13.00"))], D("112.99"))


def test_line_rounding_is_the_default():
    vat = tax("13")

    assert document_taxes([(D("33.33"), [vat])] * 3, CNY).total == D("112.98")


def test_document_sums_each_tax_separately():
    vat13, vat6, exempt = tax("13"), tax("6"), tax("0", exempt=True)
    lines = [(D("100.00"), [vat13]), (D("50.00"), [vat6]), (D("200.00"), [vat13]), (D("40.00"), [exempt])]

    result = document_taxes(lines, CNY)

    assert [(item.tax, item.base, item.amount) for item in result.taxes] == [
        (vat13, D("300.00"), D("39.00")), (vat6, D("50.00"), D("3.00")), (exempt, D("40.00"), D("0.00"))]
    assert (result.untaxed, result.tax_total, result.total) == (D("390.00"), D("42.00"), D("432.00"))


def test_document_keeps_each_lines_result():
    vat = tax("13")

    result = document_taxes([(D("10.00"), [vat]), (D("20.00"), [])], CNY)

    assert [_figures(line) for line in result.lines] == [
        (D("10.00"), [(D("10.00"), D("1.30"))], D("11.30")), (D("20.00"), [], D("20.00"))]


def test_price_included_document_rounding_takes_the_rounded_tax_out_of_the_prices():
    # Each 1.00 includes 0.115044... of tax: per line 0.12 x 3 = 0.36, per document 0.345132... -> 0.35.
    vat = tax("13", included=True)
    lines = [(D("1.00"), [vat])] * 3

    assert _figures(document_taxes(lines, CNY, rounding="line")) == (
        D("2.64"), [(D("2.64"), D("0.36"))], D("3.00"))
    assert _figures(document_taxes(lines, CNY, rounding="document")) == (
        D("2.65"), [(D("2.65"), D("0.35"))], D("3.00"))


def test_unknown_rounding_mode_is_refused():
    with pytest.raises(ValueError, match="rounding must be one of"):
        document_taxes([], CNY, rounding="banker")


def test_empty_document_is_zero():
    assert _figures(document_taxes([], CNY, rounding="document")) == (D("0"), [], D("0"))


# --- properties -------------------------------------------------------------------------------------

amounts = st.decimals(min_value=D("-100000"), max_value=D("100000"), places=3, allow_nan=False,
                      allow_infinity=False)
rates = st.sampled_from(["0", "3", "5", "6", "9", "10", "13", "17.5"])
currencies = st.sampled_from([CNY, JPY])


@given(amount=amounts, rate=rates, included=st.booleans(), currency=currencies)
def test_untaxed_plus_tax_is_the_total(amount, rate, included, currency):
    result = tax_compute(amount=amount, taxes=[tax(rate, included=included)], currency=currency)

    assert result.untaxed + result.tax_total == result.total


@given(lines=st.lists(st.tuples(amounts, rates, st.booleans()), max_size=8), currency=currencies,
       rounding=st.sampled_from(["line", "document"]))
def test_document_untaxed_plus_tax_is_the_total(lines, currency, rounding):
    taxes = {(rate, included): tax(rate, included=included) for _amount, rate, included in lines}

    result = document_taxes([(amount, [taxes[(rate, included)]]) for amount, rate, included in lines], currency,
                            rounding=rounding)

    assert result.untaxed + result.tax_total == result.total


@given(amount=amounts, rate=rates, currency=currencies)
def test_included_price_gives_back_the_excluded_price_within_one_unit(amount, rate, currency):
    excluded = tax_compute(amount=amount, taxes=[tax(rate)], currency=currency)

    included = tax_compute(amount=excluded.total, taxes=[tax(rate, included=True)], currency=currency)

    assert included.total == excluded.total
    assert abs(included.untaxed - excluded.untaxed) <= currency.rounding


@given(lines=st.lists(st.tuples(amounts, rates), min_size=1, max_size=8), currency=currencies)
def test_line_and_document_rounding_differ_by_at_most_half_a_unit_per_line(lines, currency):
    taxes = {rate: tax(rate) for _amount, rate in lines}
    document = [(amount, [taxes[rate]]) for amount, rate in lines]

    by_line = document_taxes(document, currency, rounding="line")
    by_document = document_taxes(document, currency, rounding="document")

    assert by_line.untaxed == by_document.untaxed
    assert abs(by_line.tax_total - by_document.tax_total) <= currency.rounding * (len(lines) + len(taxes)) / 2
