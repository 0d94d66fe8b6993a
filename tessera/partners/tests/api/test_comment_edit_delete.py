"""Editing and deleting a comment through a record's API (core's RecordExtrasMixin, on partners):
`PATCH`/`DELETE <item>/comments/<id>/`."""

import pytest

from tessera.core.models import Comment
from tessera.core.services.comments import comment_add
from tessera.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    class People:
        author = make_user("salesperson", username="sally")
        colleague = make_user("salesperson", username="sue")
        admin = make_user("administrator", username="root1")

    return People


@pytest.fixture
def partner(company):
    return PartnerFactory(company=company, code="C001", name="明光贸易")


@pytest.fixture
def said(partner, people):
    return comment_add(actor=people.author, record=partner, body="Credit limit too high?")


def url(partner, comment=None) -> str:
    return f"/api/v1/partners/{partner.pk}/comments/" + (f"{comment.pk}/" if comment else "")


def test_the_author_edits_with_patch(api_client_for, people, partner, said):
    response = api_client_for(people.author).patch(url(partner, said), {"body": "Limit is fine"}, format="json")

    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["body"], data["is_deleted"], data["edited_at"] is not None) == (
        said.pk, "Limit is fine", False, True)
    listed = api_client_for(people.colleague).get(url(partner)).json()
    assert [(row["body"], row["edited_at"] is not None) for row in listed] == [("Limit is fine", True)]


@pytest.mark.parametrize(("payload", "field"), [({"body": ""}, "body"), ({"body": 5}, "body"),
                                                ({"body": "x", "author": 1}, "author")])
def test_a_bad_edit_is_a_field_error(api_client_for, people, partner, said, payload, field):
    response = api_client_for(people.author).patch(url(partner, said), payload, format="json")

    assert response.status_code == 400
    assert (response.json()["error"]["code"], list(response.json()["error"]["fields"])) == ("validation_error",
                                                                                           [field])
    assert Comment.objects.get(pk=said.pk).body == "Credit limit too high?"


def test_a_colleague_may_neither_edit_nor_delete(api_client_for, people, partner, said):
    api = api_client_for(people.colleague)

    patched = api.patch(url(partner, said), {"body": "Mine"}, format="json")
    deleted = api.delete(url(partner, said))

    assert (patched.status_code, deleted.status_code) == (403, 403)
    assert patched.json()["error"]["code"] == "permission_denied"
    said.refresh_from_db()
    assert (said.body, said.deleted_at) == ("Credit limit too high?", None)


@pytest.mark.parametrize("who", ["author", "admin"])
def test_the_author_or_an_administrator_deletes(api_client_for, people, partner, said, who):
    response = api_client_for(getattr(people, who)).delete(url(partner, said))

    assert response.status_code == 204
    listed = api_client_for(people.colleague).get(url(partner)).json()
    assert [(row["id"], row["body"], row["is_deleted"]) for row in listed] == [(said.pk, "", True)]
    again = api_client_for(people.admin).delete(url(partner, said))
    assert (again.status_code, again.json()["error"]["code"]) == (409, "invalid_state")


def test_a_comment_of_another_record_is_not_found(api_client_for, people, company, said):
    other = PartnerFactory(company=company, code="C002", name="其他")

    response = api_client_for(people.author).delete(url(other, said))

    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
    assert Comment.objects.get(pk=said.pk).deleted_at is None
