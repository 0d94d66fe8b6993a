"""Login throttling (django-axes): after AXES_FAILURE_LIMIT failures even the right password is refused."""

import pytest
from django.contrib.auth import authenticate
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from tessera.core.tests.factories import PASSWORD


def _sign_in(username: str, password: str):
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.7")
    return authenticate(request=request, username=username, password=password)


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True  # the global test fixture switches it off
    settings.AXES_FAILURE_LIMIT = 3
    return settings


@pytest.mark.django_db
def test_the_right_password_signs_in_before_the_limit(throttled, make_user):
    user = make_user("salesperson", username="lily")
    for _attempt in range(throttled.AXES_FAILURE_LIMIT - 1):
        _sign_in("lily", "wrong-password")

    assert _sign_in("lily", PASSWORD) == user


@pytest.mark.django_db
def test_after_the_limit_even_the_right_password_is_refused(throttled, make_user):
    make_user("salesperson", username="lily")
    for _attempt in range(throttled.AXES_FAILURE_LIMIT):
        _sign_in("lily", "wrong-password")

    assert _sign_in("lily", PASSWORD) is None


@pytest.mark.django_db
def test_the_lockout_concerns_only_that_user(throttled, make_user):
    make_user("salesperson", username="lily")
    other = make_user("salesperson", username="ming")
    for _attempt in range(throttled.AXES_FAILURE_LIMIT):
        _sign_in("lily", "wrong-password")

    assert _sign_in("ming", PASSWORD) == other


@pytest.mark.django_db
def test_the_login_page_answers_429_once_locked_out(throttled, make_user, client):
    try:
        url = reverse("login")
        get_template("registration/login.html")
    except (NoReverseMatch, TemplateDoesNotExist):
        pytest.skip("no login page yet (URL 'login' with registration/login.html)")
    throttled.SECURE_SSL_REDIRECT = False
    make_user("salesperson", username="lily")
    for _attempt in range(throttled.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "lily", "password": "wrong-password"})

    response = client.post(url, {"username": "lily", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
