"""The OpenAPI schema generates cleanly and the docs are served without a network."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"),
                 stdout=io.StringIO(), stderr=io.StringIO())

    text = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/core/companies/" in text
    assert "X-Company" in text and "Idempotency-Key" in text


def test_schema_and_docs_are_open_and_use_local_static_files():
    client = APIClient()

    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
