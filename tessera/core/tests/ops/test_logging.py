"""JSON logs: one object per line, with the request id and user."""

import io
import json
import logging

import pytest
from django.test import RequestFactory

from tessera.core import context
from tessera.core.logging import JsonFormatter


def _record(message="hello", **extra) -> logging.LogRecord:
    record = logging.LogRecord("tessera.test", logging.WARNING, __file__, 1, message, (), None)
    record.__dict__.update(extra)
    return record


def test_formatter_writes_one_json_object_with_level_logger_and_message():
    data = json.loads(JsonFormatter().format(_record("stock is low")))

    assert (data["level"], data["logger"], data["message"]) == ("WARNING", "tessera.test", "stock is low")
    assert "request_id" not in data


def test_formatter_adds_the_acting_request_id_and_user(admin_user):
    with context.acting(user=admin_user, channel="ui", request_id="req-123"):
        data = json.loads(JsonFormatter().format(_record()))

    assert (data["request_id"], data["user"]) == ("req-123", "admin1")


def test_formatter_takes_the_request_id_from_djangos_request_logs():
    request = RequestFactory().get("/missing/")
    request.request_id = "abc"

    data = json.loads(JsonFormatter().format(_record("Not Found", request=request, status_code=404)))

    assert (data["request_id"], data["path"], data["status_code"]) == ("abc", "/missing/", 404)


def test_formatter_keeps_extra_fields_and_chinese_text():
    line = JsonFormatter().format(_record("凭证已过账", voucher="记-202611-0001"))

    assert "凭证已过账" in line
    assert json.loads(line)["voucher"] == "记-202611-0001"


@pytest.fixture
def access_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tessera.request")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.mark.django_db
def test_each_request_is_logged_with_its_request_id(client, access_log):
    response = client.get("/health/")

    line = json.loads(access_log.getvalue().strip().splitlines()[-1])
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/health/", 200)


@pytest.mark.django_db
def test_a_plain_request_id_from_the_proxy_is_kept_and_an_odd_one_replaced(client):
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-42")["X-Request-ID"] == "lb-42"
    assert client.get("/health/", HTTP_X_REQUEST_ID="x" * 80)["X-Request-ID"] != "x" * 80
