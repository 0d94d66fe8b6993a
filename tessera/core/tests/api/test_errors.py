"""One error shape for every API error: {"error": {"code", "message", "fields"}}."""

import json

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tessera.core import handlers
from tessera.core.api.views.auth import MeView
from tessera.core.models import Sequence

pytestmark = pytest.mark.django_db


def _error(response) -> dict:
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_validation_error_names_the_fields(admin_api):
    response = admin_api.post("/api/v1/core/sequences/", {"name": "Orders"}, format="json")

    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"code", "prefix"}


def test_missing_credentials_are_401():
    response = APIClient().get("/api/v1/core/me/")

    assert response.status_code == 401
    assert _error(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/v1/core/me/")

    assert response.status_code == 401
    assert _error(response) == {
        "code": "not_authenticated", "message": "Invalid, expired or revoked token.", "fields": {},
    }


def test_permission_denied_is_403(make_user, api_client_for):
    response = api_client_for(make_user("salesperson")).get("/api/v1/core/users/")

    assert response.status_code == 403
    assert _error(response)["code"] == "permission_denied"


def test_an_unknown_api_url_is_404_in_the_error_shape(admin_api):
    response = admin_api.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_an_unknown_record_is_404(admin_api):
    response = admin_api.get("/api/v1/core/sequences/999999/")

    assert response.status_code == 404
    assert _error(response) == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_a_method_the_endpoint_does_not_have_is_405(admin_api, company):
    response = admin_api.put(f"/api/v1/core/companies/{company.pk}/", {"name": "X"}, format="json")

    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"


def test_a_body_that_is_not_json_is_415(admin_api):
    response = admin_api.post("/api/v1/core/sequences/", "code=so", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert _error(response)["code"] == "unsupported_media_type"
    assert not Sequence.objects.exists()


def test_malformed_json_is_a_validation_error(admin_api):
    response = admin_api.post("/api/v1/core/sequences/", '{"code": "so",', content_type="application/json")

    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "validation_error"
    assert error["message"].startswith("Malformed JSON:")
    assert not Sequence.objects.exists()


def test_too_many_requests_is_429_with_retry_after(make_user, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token_login": "2/minute"})
    client = APIClient()
    for _attempt in range(2):
        client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")

    response = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")

    assert response.status_code == 429
    assert _error(response)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_a_crash_is_500_in_the_error_shape(admin_api, monkeypatch):
    def crash(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(MeView, "get", crash)
    admin_api.raise_request_exception = False

    response = admin_api.get("/api/v1/core/me/")

    assert response.status_code == 500
    assert _error(response) == {"code": "server_error", "message": "Something went wrong on our side.", "fields": {}}


def test_error_pages_fall_back_to_plain_text_when_the_template_is_missing():
    request = RequestFactory().get("/somewhere/")

    response = handlers._answer(request, 404, "not_found", "Not found.", "no-such-template.html")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"Not found."


def test_django_level_handlers_answer_json_under_api():
    request = RequestFactory().get("/api/v1/whatever/")

    response = handlers.permission_denied(request, Exception("Nope."))

    assert response.status_code == 403
    assert _error(response) == {"code": "permission_denied", "message": "Nope.", "fields": {}}
