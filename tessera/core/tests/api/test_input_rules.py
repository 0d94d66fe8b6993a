"""Strict input: server-set fields and unknown fields are refused, decimals travel as strings."""

import pytest
from rest_framework import serializers

from tessera.core.api.base import ModelSerializer
from tessera.core.models import ExchangeRate, Job, Sequence
from tessera.core.tests.factories import currency

pytestmark = pytest.mark.django_db

RATES = "/api/v1/core/exchange-rates/"


def _rate_body(rate) -> dict:
    return {"currency": currency("USD").pk, "quote_currency": currency("CNY").pk, "rate_on": "2026-11-25",
            "rate": rate}


def test_company_in_a_create_is_refused(admin_api, other_company):
    body = {"code": "so", "name": "SO", "prefix": "SO-", "company": other_company.pk}

    response = admin_api.post("/api/v1/core/sequences/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"company": ["This field is set by Tessera and cannot be written."]}
    assert not Sequence.objects.exists()


def test_company_in_a_patch_is_refused_and_nothing_changes(admin_api, company, other_company):
    sequence = Sequence.objects.create(company=company, code="so", name="SO", prefix="SO-")

    response = admin_api.patch(f"/api/v1/core/sequences/{sequence.pk}/", {"company": other_company.pk,
                                                                          "name": "Changed"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"company"}
    sequence.refresh_from_db()
    assert (sequence.company, sequence.name) == (company, "SO")


class _DocumentSerializer(ModelSerializer):
    number = serializers.CharField(read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "state", "number"]


@pytest.mark.parametrize("field", ["state", "number"])
def test_state_and_number_are_refused(field):
    serializer = _DocumentSerializer(data={"kind": "export", field: "x"})

    assert not serializer.is_valid()
    assert [str(m) for m in serializer.errors[field]] == ["This field is set by Tessera and cannot be written."]


def test_a_model_state_field_is_read_only_in_the_base_serializer():
    assert _DocumentSerializer().fields["state"].read_only


def test_unknown_fields_are_refused(admin_api):
    response = admin_api.post("/api/v1/core/sequences/", {"code": "so", "name": "SO", "prefix": "SO-",
                                                          "prefx": "typo"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"prefx": ["Unknown field."]}
    assert not Sequence.objects.exists()


def test_a_float_rate_is_refused(admin_api):
    response = admin_api.post(RATES, _rate_body(7.1), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "rate": ['Send this value as a decimal string such as "12.50", not as a JSON number.']
    }
    assert not ExchangeRate.objects.exists()


def test_an_integer_rate_is_refused_too(admin_api):
    response = admin_api.post(RATES, _rate_body(7), format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"rate"}


def test_a_decimal_string_rate_is_stored_exactly(admin_api):
    response = admin_api.post(RATES, _rate_body("7.1234567891"), format="json")

    assert response.status_code == 201
    assert response.json()["rate"] == "7.1234567891"
    assert str(ExchangeRate.objects.get().rate) == "7.1234567891"


def test_decimals_are_answered_as_strings(admin_api):
    response = admin_api.get("/api/v1/core/currencies/", {"code": "CNY"})

    assert response.json()["results"][0]["rounding"] == "0.010000"
