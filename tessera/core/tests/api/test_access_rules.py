"""Denied by default: authentication, company, module and action permission on every endpoint."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from tessera.core.api.base import ApiView, ReadOnlyViewSet
from tessera.core.api.permissions import AUTHENTICATED
from tessera.core.models import Sequence
from tessera.core.tests.factories import activate

pytestmark = pytest.mark.django_db

OPEN_URLS = {"/api/v1/auth/token/", "/api/v1/schema/", "/api/v1/docs/"}


def _api_urls(patterns=None, prefix="") -> list[str]:
    """Every URL under /api/v1/, with path parameters filled in."""
    urls = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        text = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            urls.extend(_api_urls(pattern.url_patterns, text))
        elif isinstance(pattern, URLPattern):
            urls.append("/" + re.sub(r"\(\?P<\w+>[^)]*\)|<[^>]+>", "1", text))
    return [url for url in urls if url.startswith("/api/v1/")]


def test_the_url_walk_finds_the_core_endpoints():
    urls = set(_api_urls())

    assert {"/api/v1/core/companies/", "/api/v1/core/users/1/access/", "/api/v1/core/me/"} <= urls


@pytest.mark.parametrize("url", sorted(set(_api_urls()) - OPEN_URLS))
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_every_api_url_requires_authentication(url, method):
    response = getattr(APIClient(), method)(url, {}, format="json")

    assert response.status_code == 401, (url, method)
    assert response.json()["error"]["code"] == "not_authenticated"


class _NoPermissionsDeclared(APIView):
    def get(self, request):
        return Response({"ok": True})


class _NoModuleDeclared(ApiView):
    required_permission = AUTHENTICATED

    def get(self, request):
        return Response({"ok": True})


class _SalesEndpoint(ApiView):
    module = "sales"
    required_permission = AUTHENTICATED

    def get(self, request):
        return Response({"ok": True})


class _CustomActionWithoutPermission(ReadOnlyViewSet):
    module = "core"
    queryset = Sequence.objects.all()

    def ping(self, request):
        return Response({"ok": True})


def _call(view, user, **headers):
    request = APIRequestFactory().get("/api/v1/test/", **headers)
    force_authenticate(request, user=user)
    return view(request)


def test_a_view_that_names_no_permission_classes_is_closed(admin_user):
    response = _call(_NoPermissionsDeclared.as_view(), admin_user)

    assert response.status_code == 403


def test_a_view_without_a_module_is_closed(admin_user):
    response = _call(_NoModuleDeclared.as_view(), admin_user)

    assert response.status_code == 403
    assert response.data["error"]["message"] == "This endpoint declares no module; access is denied by default."


def test_a_custom_action_without_a_declared_permission_is_closed(admin_user):
    response = _call(_CustomActionWithoutPermission.as_view({"get": "ping"}), admin_user)

    assert response.status_code == 403
    assert "declares no permission" in response.data["error"]["message"]


def test_an_inactive_module_answers_403_naming_the_module(admin_user, company):
    response = _call(_SalesEndpoint.as_view(), admin_user)

    assert response.status_code == 403
    assert response.data["error"] == {
        "code": "permission_denied",
        "message": "The module “sales” is not active for company ACME.",
        "fields": {},
    }


def test_an_active_module_lets_the_request_through(admin_user, company):
    activate(company, "sales")

    response = _call(_SalesEndpoint.as_view(), admin_user)

    assert response.status_code == 200


def test_the_module_is_checked_in_the_company_named_by_x_company(make_user, company, other_company):
    user = make_user("administrator", companies=[company, other_company])
    activate(other_company, "sales")

    default = _call(_SalesEndpoint.as_view(), user)
    switched = _call(_SalesEndpoint.as_view(), user, HTTP_X_COMPANY="OTHER")

    assert (default.status_code, switched.status_code) == (403, 200)


def test_missing_permission_is_named_in_the_refusal(make_user, api_client_for):
    client = api_client_for(make_user("salesperson"))

    response = client.post("/api/v1/core/users/", {"username": "x", "password": "Long-enough-pw-1"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "permission_denied",
        "message": "Your roles do not grant the permission “Can add user” (auth.add_user).",
        "fields": {},
    }


def test_a_user_without_any_role_can_read_only_their_own_things(make_user, api_client_for):
    client = api_client_for(make_user())

    assert client.get("/api/v1/core/me/").status_code == 200
    assert client.get("/api/v1/core/jobs/").status_code == 200
    assert client.get("/api/v1/core/companies/").status_code == 403
    assert client.get("/api/v1/core/audit/").status_code == 403


def test_x_company_switches_the_company_of_the_request(make_user, api_client_for, company, other_company):
    client = api_client_for(make_user("administrator", companies=[company, other_company]))

    default = client.get("/api/v1/core/me/").json()["company"]["code"]
    switched = client.get("/api/v1/core/me/", HTTP_X_COMPANY="OTHER").json()["company"]["code"]

    assert (default, switched) == ("ACME", "OTHER")


def test_x_company_naming_a_company_not_allowed_is_403(admin_api, other_company):
    response = admin_api.get("/api/v1/core/me/", HTTP_X_COMPANY="OTHER")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You may not work in company OTHER."


def test_x_company_naming_an_unknown_company_is_403(admin_api):
    response = admin_api.get("/api/v1/core/sequences/", HTTP_X_COMPANY="NOPE")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_the_auditor_searches_the_audit_trail_but_cannot_write(make_user, api_client_for):
    client = api_client_for(make_user("auditor"))

    assert client.get("/api/v1/core/audit/").status_code == 200
    refused = client.post("/api/v1/core/sequences/", {"code": "so", "name": "SO", "prefix": "SO-"}, format="json")
    assert refused.status_code == 403
    assert "core.add_sequence" in refused.json()["error"]["message"]
    assert not Sequence.objects.exists()


def test_the_browser_session_works_in_the_switchers_company(make_user, company, other_company):
    client = APIClient()
    client.force_login(make_user("administrator", companies=[company, other_company]))
    session = client.session
    session["company_code"] = "OTHER"
    session.save()

    me = client.get("/api/v1/core/me/")

    assert me.status_code == 200
    assert me.json()["company"]["code"] == "OTHER"


def test_session_writes_need_the_csrf_token(make_user, company):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_user("administrator"))

    response = client.post("/api/v1/core/sequences/", {"code": "so", "name": "SO", "prefix": "SO-"}, format="json")

    assert response.status_code == 403
    assert not Sequence.objects.exists()
