"""Every core screen answers an administrator and sends an anonymous visitor to the sign-in page."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLPattern, get_resolver, reverse

from tessera.core.models import DomainEvent, Job, Notification, Role, WebhookDelivery, WebhookSubscription
from tessera.core.models.jobs import JobState
from tessera.core.services.attachments import attachment_add
from tessera.core.services.comments import comment_add
from tessera.core.tests.factories import currency

# Screens that only accept POST (they change something): a GET answers 405.
POST_ONLY = {"company_switch", "token_revoke", "role_delete", "currency_rates_delete", "audit_export",
             "attachment_remove", "activity_follow", "notification_read", "notification_read_all",
             "webhooksubscription_delete", "webhooksubscription_secret", "webhookdelivery_replay",
             "activity_comment_delete"}


def core_url_names() -> list[str]:
    resolver = get_resolver()
    core = resolver.namespace_dict["core"][1]
    return sorted(pattern.name for pattern in core.url_patterns if isinstance(pattern, URLPattern) and pattern.name)


@pytest.fixture
def url_kwargs(company, salesperson, usd_rate, sequence, admin_user):
    """url name -> the kwargs naming a record for it."""
    job = Job.objects.create(company=company, user=admin_user, kind="core.export_audit", state=JobState.RUNNING,
                             progress=40)
    role = Role.objects.get(code="salesperson")
    usd = currency("USD")
    rate = {"parent_pk": usd.pk, "line_pk": usd_rate.pk}
    attachment = attachment_add(actor=admin_user, record=sequence,
                                file=SimpleUploadedFile("numbering.pdf", b"%PDF-1.4\n%%EOF\n"))
    record = {"content_type": ContentType.objects.get_for_model(sequence).pk, "object_id": sequence.pk}
    comment = {**record, "comment": comment_add(actor=admin_user, record=sequence, body="Check the prefix").pk}
    notification = Notification.objects.create(user=admin_user, company=company, kind="core.job.succeeded",
                                               title="Done", url="/")
    webhook = WebhookSubscription.objects.create(company=company, name="CRM", url="https://crm.example.com/hook",
                                                 events=["*"], secret="s")
    delivery = WebhookDelivery.objects.create(company=company, subscription=webhook, state="failed",
                                              event=DomainEvent.objects.create(company=company, name="test.event"))
    return {
        "activity_pane": record, "activity_follow": record, "activity_mentions": record,
        "activity_comment_edit": comment, "activity_comment_delete": comment,
        "notification_open": {"pk": notification.pk}, "notification_read": {"pk": notification.pk},
        "webhooksubscription_detail": {"pk": webhook.pk}, "webhooksubscription_update": {"pk": webhook.pk},
        "webhooksubscription_delete": {"pk": webhook.pk}, "webhooksubscription_secret": {"pk": webhook.pk},
        "webhookdelivery_detail": {"pk": delivery.pk}, "webhookdelivery_replay": {"pk": delivery.pk},
        "attachment_pane": {"content_type": ContentType.objects.get_for_model(sequence).pk,
                            "object_id": sequence.pk},
        "attachment_file": {"pk": attachment.pk}, "attachment_remove": {"pk": attachment.pk},
        "company_detail": {"pk": company.pk}, "company_update": {"pk": company.pk},
        "company_modules": {"pk": company.pk},
        "user_detail": {"pk": salesperson.pk}, "user_update": {"pk": salesperson.pk},
        "user_password": {"pk": salesperson.pk}, "user_access": {"pk": salesperson.pk},
        "role_detail": {"pk": role.pk}, "role_delete": {"pk": role.pk},
        "currency_detail": {"pk": usd.pk}, "currency_update": {"pk": usd.pk},
        "currency_rates_new": {"parent_pk": usd.pk}, "currency_rates_row": rate, "currency_rates_edit": rate,
        "currency_rates_delete": rate,
        "sequence_detail": {"pk": sequence.pk}, "sequence_update": {"pk": sequence.pk},
        "job_detail": {"pk": job.pk}, "job_progress": {"pk": job.pk}, "job_download": {"pk": job.pk},
        "token_revoke": {"pk": 1},
    }


def test_every_url_with_arguments_has_test_kwargs(url_kwargs):
    missing = []
    for name in core_url_names():
        try:
            reverse(f"core:{name}")
        except NoReverseMatch:
            if name not in url_kwargs:
                missing.append(name)
    assert missing == []


@pytest.mark.django_db
def test_every_core_page_answers_an_administrator(admin_web, url_kwargs):
    statuses = {}
    for name in core_url_names():
        response = admin_web.get(reverse(f"core:{name}", kwargs=url_kwargs.get(name)))
        statuses[name] = response.status_code
    expected = {name: 405 if name in POST_ONLY else 200 for name in core_url_names()}
    expected["job_download"] = 404  # a running job has no file yet
    expected["notification_open"] = 302  # marks it read and goes where it points
    assert statuses == expected


@pytest.mark.django_db
def test_home_login_and_password_pages_answer(admin_web):
    assert admin_web.get(reverse("home")).status_code == 200
    assert admin_web.get(reverse("core:password_change")).status_code == 200


@pytest.mark.django_db
def test_every_core_page_sends_anonymous_visitors_to_sign_in(client, url_kwargs):
    for name in core_url_names():
        url = reverse(f"core:{name}", kwargs=url_kwargs.get(name))
        response = client.get(url)
        if name == "notification_count":  # polled by htmx: a 401, not a sign-in page swapped into the badge
            assert response.status_code == 401
            continue
        assert response.status_code == 302, name
        assert response["Location"] == f"{reverse('login')}?next={url}", name


@pytest.mark.django_db
def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_login_page_renders_the_form(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.django_db
def test_signing_in_through_the_form_reaches_home(client, admin_user):
    from tessera.core.tests.factories import PASSWORD

    response = client.post(reverse("login"), {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == admin_user


@pytest.mark.django_db
def test_a_wrong_password_does_not_sign_in(client, admin_user):
    response = client.post(reverse("login"), {"username": "admin1", "password": "wrong-password-123"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


@pytest.mark.django_db
def test_sign_out_ends_the_session(admin_web):
    response = admin_web.post(reverse("logout"))
    assert response.status_code == 302
    assert admin_web.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_home_shows_core_cards(admin_web):
    response = admin_web.get(reverse("home"))
    titles = [card["title"] for card in response.context["cards"]]
    assert titles == ["Active users", "Recent activity", "Running jobs"]


@pytest.mark.django_db
def test_a_module_card_appears_when_its_module_is_live(admin_web, company):
    from tessera.core import menu
    from tessera.core.tests.factories import activate

    sales = menu.MODULES["sales"]
    card = lambda request, company: {"title": "Open orders", "value": 3}  # noqa: E731
    sales.cards.append(card)
    try:
        assert "Open orders" not in [c["title"] for c in admin_web.get("/").context["cards"]]
        activate(company, "sales")
        assert "Open orders" in [c["title"] for c in admin_web.get("/").context["cards"]]
    finally:
        sales.cards.remove(card)


@pytest.mark.django_db
def test_too_many_failed_sign_ins_show_the_locked_out_page(client, admin_user, settings):
    settings.AXES_ENABLED = True
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "admin1", "password": "wrong-password-123"})
    response = client.post(reverse("login"), {"username": "admin1", "password": "wrong-password-123"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts. Try again later." in response.content.decode()
    assert "registration/locked_out.html" in [template.name for template in response.templates]
