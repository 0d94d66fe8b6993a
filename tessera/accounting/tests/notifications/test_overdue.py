"""The daily overdue-invoice job: one `accounting.invoice.overdue` per open invoice past its due date,
told to the company's accountants and the invoice's followers."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from tessera.accounting.notifications import invoices_overdue_notify
from tessera.core import context
from tessera.core.models import DomainEvent, Notification
from tessera.core.services.comments import follower_add

pytestmark = pytest.mark.django_db
D = datetime.date
OVERDUE = "accounting.invoice.overdue"


@pytest.fixture
def clerk(make_user):
    """An accountant of ACME (role Accountant)."""
    return make_user("accountant", username="ann", first_name="Ann", last_name="Wu")


@pytest.fixture
def other_accountant(make_user, other_company):
    """An accountant of another company: not told."""
    return make_user("accountant", username="otto", companies=[other_company])


def announced():
    return sorted(DomainEvent.objects.filter(name=OVERDUE).values_list("payload__number", flat=True))


def test_each_open_invoice_past_its_due_date_is_announced_once(books):
    late = books.invoice()  # net 30: due 2026-04-14
    bill = books.invoice(("50.00", 1), kind="supplier_invoice", due_on=D(2026, 4, 1))
    books.invoice(post=False, due_on=D(2026, 3, 20))  # a draft is not owed yet
    books.invoice(date=D(2026, 5, 1))  # due 2026-05-31: not yet
    paid = books.invoice()
    books.payment("113.00", (paid, "113.00"))
    books.invoice(kind="customer_credit")  # a credit note is not "overdue"

    assert invoices_overdue_notify(today=D(2026, 4, 15)) == 2
    assert invoices_overdue_notify(today=D(2026, 4, 16)) == 0  # once only

    assert announced() == sorted([late.number, bill.number])
    event = DomainEvent.objects.get(name=OVERDUE, object_id=str(late.pk))
    assert event.payload == {"number": late.number, "kind": "customer_invoice", "partner": books.customer.pk,
                             "partner_name": "Huaxin Trading", "due_on": "2026-04-14", "days_overdue": 1,
                             "residual": "113.00", "currency": "CNY"}
    assert (event.company, event.actor) == (books.company, None)


def test_a_partly_paid_invoice_is_announced_with_what_is_left(books):
    invoice = books.invoice()
    books.payment("13.00", (invoice, "13.00"))

    invoices_overdue_notify(today=D(2026, 5, 14))

    payload = DomainEvent.objects.get(name=OVERDUE).payload
    assert (payload["residual"], payload["days_overdue"]) == ("100.00", 30)


def test_accountants_and_followers_are_told_by_e_mail(books, clerk, other_accountant, make_user, dispatch):
    with context.acting(user=clerk, channel="ui"):
        invoice = books.invoice()  # Ann created it: she follows it as well (told once)
    sales = make_user("administrator", username="sue")
    follower_add(actor=sales, record=invoice)
    books.actor.email = ""  # the accounting manager has no e-mail address: told in Tessera only
    books.actor.save()

    invoices_overdue_notify(today=D(2026, 4, 20))
    dispatch()

    told = sorted(Notification.objects.filter(kind=OVERDUE).values_list("user__username", "email_state"))
    assert told == [("ann", "sent"), ("finance1", "none"), ("sue", "sent")]
    notification = Notification.objects.get(user=clerk)
    assert notification.title == f"Invoice {invoice.number} is overdue"
    assert notification.body == "Huaxin Trading · due 04/14/2026 (6 days ago) · 113.00 CNY open"
    assert notification.url == f"/accounting/invoices/{invoice.pk}/"
    assert sorted(message.to[0] for message in mail.outbox) == ["ann@example.com", "sue@example.com"]
    assert all(message.subject == f"[ACME] Invoice {invoice.number} is overdue" for message in mail.outbox)


def test_one_company_at_a_time(books, other_company):
    books.invoice()

    assert invoices_overdue_notify(today=D(2026, 6, 1), company=other_company) == 0
    assert invoices_overdue_notify(today=D(2026, 6, 1), company=books.company) == 1


def test_the_scheduled_task_runs_from_the_command_line(books, capsys):
    books.invoice()

    call_command("run_scheduled", task=["invoices-overdue"])

    assert DomainEvent.objects.filter(name=OVERDUE).count() == 1
    assert "invoices-overdue: 1" in capsys.readouterr().out
