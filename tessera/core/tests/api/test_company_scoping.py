"""A user never sees another company's records, whatever the endpoint."""

import pytest

from tessera.core.models import AuditEntry, DomainEvent, Job, Sequence

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_admin_api(make_user, api_client_for, company):
    """An administrator (all permissions) who may work in ACME only."""
    return api_client_for(make_user("administrator", companies=[company]))


def _ids(response) -> set[int]:
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_companies_list_shows_only_allowed_companies(acme_admin_api, company, other_company):
    assert _ids(acme_admin_api.get("/api/v1/core/companies/")) == {company.pk}


def test_another_companys_company_record_is_404(acme_admin_api, other_company):
    response = acme_admin_api.patch(f"/api/v1/core/companies/{other_company.pk}/", {"name": "Mine"}, format="json")

    assert response.status_code == 404
    other_company.refresh_from_db()
    assert other_company.name == "Other Ltd"


def test_sequences_are_those_of_the_request_company(acme_admin_api, company, other_company):
    mine = Sequence.objects.create(company=company, code="so", name="SO", prefix="SO-")
    theirs = Sequence.objects.create(company=other_company, code="so", name="SO", prefix="OT-")

    assert _ids(acme_admin_api.get("/api/v1/core/sequences/")) == {mine.pk}
    assert acme_admin_api.get(f"/api/v1/core/sequences/{theirs.pk}/").status_code == 404
    assert acme_admin_api.delete(f"/api/v1/core/sequences/{theirs.pk}/").status_code == 404
    assert Sequence.objects.filter(pk=theirs.pk).exists()


def test_audit_search_hides_another_companys_entries(acme_admin_api, company, other_company):
    Sequence.objects.create(company=company, code="so", name="SO", prefix="SO-")
    Sequence.objects.create(company=other_company, code="po", name="PO", prefix="PO-")

    response = acme_admin_api.get("/api/v1/core/audit/", {"model": "core.sequence"})

    rows = response.json()["results"]
    assert [row["company"] for row in rows] == [company.pk]
    assert AuditEntry.objects.filter(company=other_company, content_type__model="sequence").count() == 1


def test_events_hide_another_companys_events(acme_admin_api, company, other_company):
    mine = DomainEvent.objects.create(company=company, name="test.mine")
    DomainEvent.objects.create(company=other_company, name="test.theirs")

    assert _ids(acme_admin_api.get("/api/v1/core/events/", {"name": "test.mine"})) == {mine.pk}
    assert _ids(acme_admin_api.get("/api/v1/core/events/", {"name": "test.theirs"})) == set()


def test_jobs_hide_another_companys_jobs(make_user, api_client_for, company, other_company):
    user = make_user("administrator", companies=[company])
    mine = Job.objects.create(company=company, user=user, kind="export")
    Job.objects.create(company=other_company, user=user, kind="export")

    assert _ids(api_client_for(user).get("/api/v1/core/jobs/")) == {mine.pk}


def test_without_core_view_job_a_user_sees_only_their_own_jobs(make_user, api_client_for, company):
    user = make_user("salesperson")
    colleague = make_user("salesperson")
    mine = Job.objects.create(company=company, user=user, kind="export")
    Job.objects.create(company=company, user=colleague, kind="export")

    assert _ids(api_client_for(user).get("/api/v1/core/jobs/")) == {mine.pk}


def test_switching_company_switches_what_is_listed(make_user, api_client_for, company, other_company):
    client = api_client_for(make_user("administrator", companies=[company, other_company]))
    theirs = Sequence.objects.create(company=other_company, code="so", name="SO", prefix="OT-")

    assert _ids(client.get("/api/v1/core/sequences/")) == set()
    assert _ids(client.get("/api/v1/core/sequences/", HTTP_X_COMPANY="OTHER")) == {theirs.pk}


def test_records_created_through_the_api_belong_to_the_request_company(make_user, api_client_for, other_company,
                                                                         company):
    client = api_client_for(make_user("administrator", companies=[company, other_company]))

    response = client.post("/api/v1/core/sequences/", {"code": "so", "name": "SO", "prefix": "SO-"}, format="json",
                           HTTP_X_COMPANY="OTHER")

    assert response.status_code == 201
    assert response.json()["company"] == other_company.pk
    assert Sequence.objects.get(pk=response.json()["id"]).company == other_company


def test_users_of_other_companies_are_not_listed(acme_admin_api, make_user, company, other_company):
    colleague = make_user("salesperson", companies=[company])
    stranger = make_user("salesperson", companies=[other_company])

    listed = _ids(acme_admin_api.get("/api/v1/core/users/", {"page_size": 500}))

    assert colleague.pk in listed
    assert stranger.pk not in listed
    assert acme_admin_api.get(f"/api/v1/core/users/{stranger.pk}/access/").status_code == 404
