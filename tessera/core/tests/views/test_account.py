"""One's own account (password, API tokens), the language switch, and background job pages."""

import pytest
from django.urls import reverse

from tessera.core.models import ApiToken, Job
from tessera.core.models.jobs import JobState
from tessera.core.models.security import hash_token
from tessera.core.tests.factories import PASSWORD


@pytest.mark.django_db
def test_changing_ones_password_keeps_one_signed_in(admin_web, admin_user):
    response = admin_web.post(reverse("core:password_change"), {
        "old_password": PASSWORD, "password": "brand-New-pw-2027", "password_again": "brand-New-pw-2027"})
    assert response["Location"] == reverse("home")
    admin_user.refresh_from_db()
    assert admin_user.check_password("brand-New-pw-2027")
    assert admin_web.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_old_password_is_shown_on_its_field(admin_web, admin_user):
    response = admin_web.post(reverse("core:password_change"), {
        "old_password": "not-it-at-all", "password": "brand-New-pw-2027", "password_again": "brand-New-pw-2027"})
    assert response.context["form"].errors == {"old_password": ["Your old password was entered incorrectly."]}
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_new_token_shows_its_key_once(sales_web, salesperson):
    response = sales_web.post(reverse("core:token_list"), {"name": "laptop"})
    raw = response.context["raw_key"]
    token = ApiToken.objects.get(user=salesperson)
    assert (token.name, token.key_hash) == ("laptop", hash_token(raw))
    assert raw in response.content.decode()
    assert raw not in sales_web.get(reverse("core:token_list")).content.decode()


@pytest.mark.django_db
def test_a_token_without_a_name_is_refused(sales_web, salesperson):
    response = sales_web.post(reverse("core:token_list"), {"name": ""})
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoking_a_token(sales_web, salesperson):
    sales_web.post(reverse("core:token_list"), {"name": "laptop"})
    token = ApiToken.objects.get(user=salesperson)
    sales_web.post(reverse("core:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_someone_elses_token_cannot_be_revoked_here(sales_web, admin_web, admin_user):
    admin_web.post(reverse("core:token_list"), {"name": "admin key"})
    token = ApiToken.objects.get(user=admin_user)
    assert sales_web.post(reverse("core:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_the_language_switch_sets_the_language_cookie(admin_web):
    response = admin_web.post(reverse("set_language"), {"language": "zh-hans", "next": "/settings/companies/"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/companies/"
    assert response.cookies["django_language"].value == "zh-hans"
    page = admin_web.get(reverse("home"))
    assert '<html lang="zh-hans">' in page.content.decode()


@pytest.fixture
def running_job(company, admin_user):
    return Job.objects.create(company=company, user=admin_user, kind="core.export_audit", state=JobState.RUNNING,
                              progress=42, message="Half way")


@pytest.mark.django_db
def test_the_progress_partial_shows_the_percentage_and_polls(admin_web, running_job):
    content = admin_web.get(reverse("core:job_progress", args=[running_job.pk])).content.decode()
    assert "42%" in content
    assert 'aria-valuenow="42"' in content
    assert 'hx-trigger="every 1s"' in content


@pytest.mark.django_db
def test_a_finished_job_stops_polling_and_refreshes_the_page(admin_web, running_job):
    from django.utils import timezone

    Job.objects.filter(pk=running_job.pk).update(state=JobState.SUCCEEDED, progress=100, finished_at=timezone.now())
    response = admin_web.get(reverse("core:job_progress", args=[running_job.pk]), HTTP_HX_REQUEST="true")
    assert "100%" in response.content.decode()
    assert "hx-trigger" not in response.content.decode()
    assert response["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_the_job_page_includes_the_polled_progress_bar(admin_web, running_job):
    content = admin_web.get(reverse("core:job_detail", args=[running_job.pk])).content.decode()
    assert f'hx-get="{reverse("core:job_progress", args=[running_job.pk])}"' in content


@pytest.mark.django_db
def test_someone_elses_job_is_not_shown_to_a_user_without_view_job(sales_web, running_job):
    assert sales_web.get(reverse("core:job_detail", args=[running_job.pk])).status_code == 404


@pytest.mark.django_db
def test_exporting_the_audit_trail_runs_a_job_with_a_file(admin_web, settings, tmp_path,
                                                          django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_web.post(reverse("core:audit_export"), {"format": "csv"})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    download = admin_web.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode("utf-8-sig").startswith("At,User,Channel")
