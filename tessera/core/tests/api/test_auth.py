"""Signing in for a token, the user's own tokens, revocation, and what the audit trail records."""

import pytest
from rest_framework.test import APIClient

from tessera.core.models import ApiToken, AuditEntry, ExchangeRate
from tessera.core.tests.factories import PASSWORD, currency

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/token/"
TOKENS = "/api/v1/core/tokens/"


def test_login_returns_a_token_that_authenticates(make_user):
    user = make_user("salesperson")

    response = APIClient().post(LOGIN, {"username": user.username, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get("/api/v1/core/me/")
    assert me.status_code == 200
    assert me.json()["username"] == user.username
    assert ApiToken.objects.get(user=user).name == "api login"


def test_login_with_a_wrong_password_is_a_validation_error_and_creates_no_token(make_user):
    user = make_user("salesperson")

    response = APIClient().post(LOGIN, {"username": user.username, "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "non_field_errors" in response.json()["error"]["fields"]
    assert not ApiToken.objects.filter(user=user).exists()


def test_login_without_password_names_the_missing_field():
    response = APIClient().post(LOGIN, {"username": "someone"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"password": ["This field is required."]}


def test_login_of_a_disabled_user_is_refused(make_user):
    user = make_user("salesperson", is_active=False)

    response = APIClient().post(LOGIN, {"username": user.username, "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=user).exists()


def test_repeated_failed_logins_lock_the_username_out_through_axes(make_user, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    user = make_user("salesperson")
    client = APIClient(REMOTE_ADDR="10.0.0.9")
    for _attempt in range(2):
        client.post(LOGIN, {"username": user.username, "password": "wrong"}, format="json")

    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert not ApiToken.objects.filter(user=user).exists()


def test_token_create_shows_the_key_once(make_user, api_client_for):
    user = make_user("salesperson")
    client = api_client_for(user)

    created = client.post(TOKENS, {"name": "integration"}, format="json")

    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith(created.json()["prefix"])
    listed = client.get(f"{TOKENS}{created.json()['id']}/").json()
    assert "token" not in listed
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert fresh.get("/api/v1/core/me/").status_code == 200


def test_revoked_token_no_longer_authenticates(make_user):
    user = make_user("salesperson")
    raw = APIClient().post(LOGIN, {"username": user.username, "password": PASSWORD}, format="json").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    token = ApiToken.objects.get(user=user)

    revoked = client.post(f"{TOKENS}{token.pk}/revoke/")

    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    after = client.get("/api/v1/core/me/")
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "not_authenticated"


def test_a_user_sees_and_revokes_only_their_own_tokens(make_user, api_client_for):
    owner = make_user("salesperson")
    other = make_user("salesperson")
    api_client_for(owner)
    client = api_client_for(other)
    owners_token = ApiToken.objects.get(user=owner)

    listed = client.get(TOKENS).json()
    revoke = client.post(f"{TOKENS}{owners_token.pk}/revoke/")

    assert [row["id"] for row in listed["results"]] == [ApiToken.objects.get(user=other).pk]
    assert revoke.status_code == 404
    owners_token.refresh_from_db()
    assert owners_token.revoked_at is None


def test_audit_entries_of_api_writes_record_channel_api_and_the_token(admin_api, admin_user):
    token = ApiToken.objects.get(user=admin_user)
    body = {"currency": currency("USD").pk, "quote_currency": currency("CNY").pk, "rate_on": "2026-11-25",
            "rate": "7.1000"}

    response = admin_api.post("/api/v1/core/exchange-rates/", body, format="json")

    assert response.status_code == 201
    entry = AuditEntry.objects.get(content_type__model="exchangerate", object_id=str(response.json()["id"]))
    assert (entry.channel, entry.api_token_id, entry.actor_id) == ("api", token.pk, admin_user.pk)
    assert ExchangeRate.objects.count() == 1
