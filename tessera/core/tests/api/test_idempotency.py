"""Idempotency-Key: the same key and body twice creates once and answers the same."""

import threading

import pytest
from django.db import connection

from tessera.core.models import ApiToken, IdempotencyRecord, Sequence

pytestmark = pytest.mark.django_db

SEQUENCES = "/api/v1/core/sequences/"
BODY = {"code": "so", "name": "Sales orders", "prefix": "SO-"}


def test_the_same_key_and_body_twice_creates_one_record(admin_api):
    first = admin_api.post(SEQUENCES, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = admin_api.post(SEQUENCES, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Sequence.objects.count() == 1


def test_the_same_key_with_another_body_is_409_and_creates_nothing(admin_api):
    admin_api.post(SEQUENCES, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = admin_api.post(SEQUENCES, {**BODY, "code": "po"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert list(Sequence.objects.values_list("code", flat=True)) == ["so"]


def test_the_same_key_on_another_endpoint_is_409(admin_api):
    admin_api.post(SEQUENCES, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = admin_api.post("/api/v1/core/tokens/", {"name": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 409


def test_a_failed_request_stores_nothing_and_may_be_retried_with_its_key(admin_api):
    failed = admin_api.post(SEQUENCES, {"code": "so"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert failed.status_code == 400
    assert not IdempotencyRecord.objects.exists()

    retried = admin_api.post(SEQUENCES, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    assert retried.status_code == 201
    assert Sequence.objects.count() == 1


def test_keys_belong_to_their_user(admin_api, make_user, api_client_for):
    other = api_client_for(make_user("administrator", username="admin2"))
    admin_api.post(SEQUENCES, BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")

    response = other.post(SEQUENCES, {**BODY, "code": "po"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")

    assert response.status_code == 201
    assert Sequence.objects.count() == 2


def test_actions_honour_the_key(make_user, api_client_for):
    user = make_user("salesperson")
    client = api_client_for(user)
    token = ApiToken.objects.get(user=user)
    other = ApiToken.objects.create(user=user, name="spare", prefix="p", key_hash="h" * 64)

    first = client.post(f"/api/v1/core/tokens/{other.pk}/revoke/", HTTP_IDEMPOTENCY_KEY="r-1")
    second = client.post(f"/api/v1/core/tokens/{other.pk}/revoke/", HTTP_IDEMPOTENCY_KEY="r-1")

    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_overlong_key_is_a_validation_error(admin_api):
    response = admin_api.post(SEQUENCES, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256)

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"Idempotency-Key"}
    assert not Sequence.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_requests_with_one_key_create_once(admin_api):
    # Tokens have no unique field: only the idempotency record's constraint can stop a second one.
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks")
    barrier = threading.Barrier(4)
    answers = []

    def send():
        barrier.wait()
        try:
            response = admin_api.post("/api/v1/core/tokens/", {"name": "race"}, format="json",
                                      HTTP_IDEMPOTENCY_KEY="race")
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert ApiToken.objects.filter(name="race").count() == 1
    assert set(answers) == {(201, ApiToken.objects.get(name="race").pk)}
    assert len(answers) == 4
    assert IdempotencyRecord.objects.count() == 1
