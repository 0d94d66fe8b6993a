"""Collaboration on accounting documents: the invoice page's Activity tab and record panels, and
comments, followers and the activity timeline through the invoices API (RecordExtrasMixin)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tessera.core import context
from tessera.core.models import Comment, Notification
from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.core.views.panels import PANELS, register_panel

pytestmark = pytest.mark.django_db
INVOICES = "/api/v1/accounting/invoices/"


@pytest.fixture
def clerk(make_user):
    return make_user("accountant", username="ann")


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", username="audrey")


@pytest.fixture
def invoice(books, clerk):
    with context.acting(user=clerk, channel="ui"):
        return books.invoice()


def test_the_invoice_page_has_the_activity_tab_and_the_registered_panels(books, invoice, client_for):  # noqa: F811
    def notice(request, record):
        return f'<div data-testid="test-panel">{record._meta.model_name} {record.pk}</div>'

    register_panel(notice)
    try:
        html = client_for(books.actor).get(reverse("accounting:invoice_detail", args=[invoice.pk])).content.decode()
    finally:
        PANELS.remove(notice)

    assert f'<div data-testid="test-panel">invoice {invoice.pk}</div>' in html
    assert html.index('data-testid="test-panel"') < html.index('id="tab-overview"')
    assert 'id="tab-activity"' in html and 'data-testid="comment-form"' in html
    assert "Followers: ann" in html  # the creator follows
    assert "State changed" in html  # the posting, from the audit trail


def test_the_invoice_page_renders_in_chinese(books, invoice, client_for):  # noqa: F811
    response = client_for(books.actor).get(reverse("accounting:invoice_detail", args=[invoice.pk]),
                                           HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert 'id="tab-activity"' in response.content.decode()


def test_comment_with_a_mention_through_the_api(books, invoice, clerk, api_client_for, dispatch):
    api = api_client_for(books.actor)

    answer = api.post(f"{INVOICES}{invoice.pk}/comments/", {"body": "@ann the customer disputes line 2"},
                      format="json")
    dispatch()

    assert answer.status_code == 201
    body = answer.json()
    assert (body["body"], body["author"]["username"]) == ("@ann the customer disputes line 2", "finance1")
    assert [user["username"] for user in body["mentions"]] == ["ann"]
    assert Notification.objects.get(user=clerk).kind == "core.comment.mentioned"
    listed = api.get(f"{INVOICES}{invoice.pk}/comments/").json()
    assert [comment["id"] for comment in listed] == [body["id"]]


def test_a_comment_with_files_through_the_api(books, invoice, api_client_for):
    api = api_client_for(books.actor)

    answer = api.post(f"{INVOICES}{invoice.pk}/comments/",
                      {"body": "Signed delivery note", "files": [SimpleUploadedFile("note.pdf", b"%PDF-1.4\n")]},
                      format="multipart")

    assert answer.status_code == 201
    assert [file["filename"] for file in answer.json()["attachments"]] == ["note.pdf"]
    assert [file["filename"] for file in api.get(f"{INVOICES}{invoice.pk}/attachments/").json()] == ["note.pdf"]


def test_bad_comments_are_400_and_write_nothing(books, invoice, api_client_for, auditor):
    api = api_client_for(books.actor)

    empty = api.post(f"{INVOICES}{invoice.pk}/comments/", {"body": ""}, format="json")
    unknown = api.post(f"{INVOICES}{invoice.pk}/comments/", {"body": "x", "color": "red"}, format="json")
    files = api_client_for(auditor).post(f"{INVOICES}{invoice.pk}/comments/",
                                         {"body": "x", "files": [SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")]},
                                         format="multipart")

    assert (empty.status_code, set(empty.json()["error"]["fields"])) == (400, {"body"})
    assert (unknown.status_code, set(unknown.json()["error"]["fields"])) == (400, {"color"})
    assert (files.status_code, files.json()["error"]["code"]) == (403, "permission_denied")
    assert Comment.objects.count() == 0


def test_the_auditor_may_comment_without_files(books, invoice, api_client_for, auditor):
    answer = api_client_for(auditor).post(f"{INVOICES}{invoice.pk}/comments/", {"body": "Checked"}, format="json")

    assert answer.status_code == 201


def test_follow_unfollow_and_make_someone_follow(books, invoice, clerk, auditor, api_client_for):
    api = api_client_for(auditor)
    url = f"{INVOICES}{invoice.pk}/followers/"

    assert [user["username"] for user in api.get(url).json()] == ["ann"]
    assert [user["username"] for user in api.post(url, {}, format="json").json()] == ["ann", "audrey"]
    assert [user["username"] for user in api.delete(url).json()] == ["ann"]
    refused = api.post(url, {"user": clerk.pk}, format="json")  # the auditor may not change invoices
    assert refused.status_code == 403
    manager_api = api_client_for(books.actor)
    assert [u["username"] for u in manager_api.delete(f"{url}?user={clerk.pk}").json()] == []
    assert manager_api.post(url, {"user": 999999}, format="json").status_code == 400


def test_the_activity_timeline_through_the_api(books, invoice, api_client_for):
    api = api_client_for(books.actor)
    api.post(f"{INVOICES}{invoice.pk}/comments/", {"body": "Sent to the customer"}, format="json")

    items = api.get(f"{INVOICES}{invoice.pk}/activity/").json()

    assert [item["kind"] for item in items][:2] == ["comment", "state"]
    assert items[0]["body"] == "Sent to the customer"
    assert items[-1]["title"] == "Created"


def test_another_companys_invoice_is_not_found(books, invoice, make_user, other_company, api_client_for):
    stranger = make_user("accounting_manager", username="stranger", companies=[other_company])
    from tessera.core.tests.factories import activate

    activate(other_company, "accounting")
    api = api_client_for(stranger)

    for response in (api.get(f"{INVOICES}{invoice.pk}/comments/"),
                     api.post(f"{INVOICES}{invoice.pk}/comments/", {"body": "hi"}, format="json"),
                     api.post(f"{INVOICES}{invoice.pk}/followers/", {}, format="json")):
        assert response.status_code == 404
    assert Comment.objects.count() == 0
