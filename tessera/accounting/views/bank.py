"""Bank screens: bank accounts (list, detail with statements, create, edit, delete), statements (list,
detail with lines, auto-match, delete), and the statement import: upload -> the column mapping prefilled
with the saved or guessed one -> the preview with every row or its error -> import. The reconciliation
screen and the reconciliation statement are in bank_reconcile.py. Every write goes through a service.

The uploaded file waits between the steps in the data folder (bank-imports/<token>.csv), named in the
user's session; it is removed on import and swept after a day.
"""

import re
import time
import uuid
from pathlib import Path

import django_filters
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.views.generic import (
    Column,
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    Screen,
    Tab,
    UpdateView,
    YesNoFilter,
    form_data,
)

from ..choices import StatementState
from ..forms_bank import BankAccountCreateForm, BankAccountUpdateForm, MappingForm, StatementUploadForm
from ..models import BankAccount, BankStatement
from ..services.bank import bank_account_create, bank_account_delete, bank_account_update, statement_delete
from ..services.bank_import import IMPORT_PERMISSION, statement_import, statement_import_preview
from ..services.bank_reconcile import statement_auto_match
from .common import Accounting, TransitionView, error_text

STAGING_DIR = "bank-imports"
STAGING_SESSION_KEY = "tessera:bank-imports"
STAGING_MAX_AGE = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")


# --- Bank accounts -------------------------------------------------------------------------------

class BankAccountScreen(Accounting):
    model = BankAccount

    def get_queryset(self):
        return super().get_queryset().select_related("currency", "journal__default_account").annotate(
            unreconciled=Count("statement_lines", filter=Q(statement_lines__state="unreconciled")))


class BankAccountFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = BankAccount
        fields = ["is_active"]


class BankAccountListView(BankAccountScreen, ListView):
    columns = [
        Column("name", link=True), "bank_name", "account_number", Column("currency", sort="currency__code"),
        Column("account", gettext_lazy("Ledger account"), value=lambda bank: bank.journal.default_account,
               sort="journal__default_account__code"),
        Column("journal", sort="journal__code"),
        Column("unreconciled", gettext_lazy("To reconcile"), value=lambda bank: bank.unreconciled, sort="unreconciled"),
        "is_active",
    ]
    search_fields = ["name", "bank_name", "account_number"]
    filterset_class = BankAccountFilter
    ordering = ["name", "pk"]


class BankAccountDetailView(BankAccountScreen, DetailView):
    template_name = "accounting/bank/account_detail.html"
    tabs = [Tab("statements", gettext_lazy("Statements"), "accounting/bank/_statements.html")]

    def get_actions(self, obj):
        actions = []
        if self.can("add", BankStatement):
            actions.append({"label": _("Import statement"), "url": reverse("accounting:bankaccount_import",
                                                                           args=[obj.pk]), "style": "primary"})
        actions.append({"label": _("Reconcile"), "url": reverse("accounting:bankaccount_reconcile", args=[obj.pk]),
                        "style": "success"})
        actions.append({"label": _("Reconciliation statement"),
                        "url": reverse("accounting:bankaccount_reconciliation", args=[obj.pk])})
        return actions + super().get_actions(obj)

    def get_tab_context(self, obj):
        statements = (BankStatement.objects.filter(bank_account=obj)
                      .annotate(lines_count=Count("lines"),
                                unreconciled=Count("lines", filter=Q(lines__state="unreconciled")))
                      .order_by("-date", "-pk"))
        return {"statements": statements[:100]}


class BankAccountCreateView(BankAccountScreen, CreateView):
    form_class = BankAccountCreateForm
    title = gettext_lazy("New bank account")

    def get_form_kwargs(self):
        return {"company": self.company}

    def perform(self, form):
        return bank_account_create(actor=self.request.user, company=self.company, data=form_data(form))


class BankAccountUpdateView(BankAccountScreen, UpdateView):
    form_class = BankAccountUpdateForm

    def get_form_kwargs(self):
        return {"instance": self.object, "company": self.company}

    def perform(self, form):
        return bank_account_update(actor=self.request.user, bank_account=self.object, data=form_data(form),
                                   company=self.company)


class BankAccountDeleteView(BankAccountScreen, DeleteView):
    def perform(self, obj):
        bank_account_delete(actor=self.request.user, bank_account=obj, company=self.company)


# --- Statements ----------------------------------------------------------------------------------

def company_bank_accounts(request):
    company = getattr(request, "company", None)
    return BankAccount.objects.filter(company=company) if company is not None else BankAccount.objects.none()


class StatementFilter(django_filters.FilterSet):
    bank_account = django_filters.ModelChoiceFilter(queryset=company_bank_accounts,
                                                    label=gettext_lazy("Bank account"))
    state = django_filters.ChoiceFilter(choices=StatementState.choices, label=gettext_lazy("State"))

    class Meta:
        model = BankStatement
        fields = ["bank_account", "state"]


class StatementScreen(Accounting):
    model = BankStatement

    def get_queryset(self):
        return super().get_queryset().select_related("bank_account").annotate(
            lines_count=Count("lines"), unreconciled=Count("lines", filter=Q(lines__state="unreconciled")))


class StatementListView(StatementScreen, ListView):
    columns = [
        Column("name", link=True), Column("bank_account", sort="bank_account__name"), "date", "start_on", "end_on",
        "opening_balance", "closing_balance",
        Column("lines_count", gettext_lazy("Lines"), value=lambda statement: statement.lines_count,
               sort="lines_count"),
        Column("unreconciled", gettext_lazy("To reconcile"), value=lambda statement: statement.unreconciled,
               sort="unreconciled"),
        "state", Column("filename", default=False),
    ]
    search_fields = ["name", "filename", "bank_account__name"]
    filterset_class = StatementFilter
    ordering = ["-date", "-pk"]


class StatementDetailView(StatementScreen, DetailView):
    template_name = "accounting/bank/statement_detail.html"

    def get_actions(self, obj):
        actions = [{"label": _("Reconcile"), "style": "success",
                    "url": reverse("accounting:bankaccount_reconcile", args=[obj.bank_account_id])
                    + f"?statement={obj.pk}"}]
        if obj.unreconciled and self.can("reconcile", BankAccount):
            actions.append({"label": _("Auto-match"), "method": "post", "style": "outline-primary",
                            "url": reverse("accounting:bankstatement_auto_match", args=[obj.pk])})
        if self.can("delete"):
            actions.append({"label": _("Delete"), "url": reverse("accounting:bankstatement_delete", args=[obj.pk]),
                            "method": "post", "style": "outline-danger",
                            "confirm": _("Delete this statement and its lines?")})
        return actions

    def get_tab_context(self, obj):
        from ..services.bank import previous_statement

        lines = obj.lines.select_related("partner").prefetch_related("matches__journal_line__entry").order_by(
            "sequence", "pk")
        previous = previous_statement(obj.bank_account, obj)
        gap = (previous is not None and obj.opening_balance is not None
               and previous.closing_balance != obj.opening_balance)
        return {"lines": lines, "previous": previous, "gap": gap}


class StatementDeleteView(StatementScreen, DeleteView):
    def get_queryset(self):
        return BankStatement.objects.filter(company=self.company)

    def perform(self, obj):
        statement_delete(actor=self.request.user, statement=obj, company=self.company)


class StatementAutoMatchView(StatementScreen, TransitionView, Screen):
    def get_queryset(self):
        return BankStatement.objects.filter(company=self.company)

    def transition(self, obj):
        matched = statement_auto_match(actor=self.request.user, statement=obj)
        if matched:
            messages.success(self.request, _("%(count)s lines matched.") % {"count": len(matched)})
        else:
            messages.info(self.request, _("No line has one convincing candidate: match the rest on the "
                                          "reconciliation screen."))
        return obj


# --- Import ----------------------------------------------------------------------------------------

def _staging() -> Path:
    folder = Path(settings.DATA_DIR) / STAGING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stage(request, content: bytes, filename: str, bank_account: BankAccount) -> str:
    """Keep an uploaded file until it is imported; returns its token (listed in the user's session)."""
    folder = _staging()
    for old in folder.glob("*.csv"):  # sweep files left by abandoned imports
        if old.stat().st_mtime < time.time() - STAGING_MAX_AGE:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    (folder / f"{token}.csv").write_bytes(content)
    staged = request.session.get(STAGING_SESSION_KEY, {})
    staged[token] = {"filename": filename[:255], "bank_account": bank_account.pk}
    request.session[STAGING_SESSION_KEY] = staged
    return token


def staged_file(request, token: str, bank_account: BankAccount) -> tuple[bytes, str] | None:
    """The content and name of a file this user staged for this bank account, or None."""
    entry = request.session.get(STAGING_SESSION_KEY, {}).get(token) if TOKEN.match(token or "") else None
    path = _staging() / f"{token}.csv"
    if entry is None or entry.get("bank_account") != bank_account.pk or not path.exists():
        return None
    return path.read_bytes(), entry["filename"]


def unstage(request, token: str) -> None:
    if TOKEN.match(token or ""):
        (_staging() / f"{token}.csv").unlink(missing_ok=True)
        staged = request.session.get(STAGING_SESSION_KEY, {})
        staged.pop(token, None)
        request.session[STAGING_SESSION_KEY] = staged


class StatementImportView(BankAccountScreen, Screen):
    """Upload -> mapping and preview -> import (module docstring)."""

    template_name = "accounting/bank/import.html"
    permission = IMPORT_PERMISSION

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_title(self):
        return _("Import a statement: %(bank)s") % {"bank": self.object.name}

    def get_breadcrumbs(self, obj=None):
        return super().get_breadcrumbs(self.object) + [(_("Import statement"), None)]

    def get(self, request, *args, **kwargs):
        return self.render({"object": self.object, "upload": StatementUploadForm()})

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step", "upload")
        if step == "upload":
            upload = StatementUploadForm(request.POST, request.FILES)
            if not upload.is_valid():
                return self.render({"object": self.object, "upload": upload})
            file = upload.cleaned_data["file"]
            content = file.read()
            token = stage(request, content, file.name or "", self.object)
            balances = {name: upload.cleaned_data.get(name) for name in ("opening_balance", "closing_balance")}
            return self.preview(token, content, file.name or "", None, balances)
        token = request.POST.get("token", "")
        staged = staged_file(request, token, self.object)
        if staged is None:
            messages.error(request, _("The uploaded file is no longer available: upload it again."))
            return redirect("accounting:bankaccount_import", pk=self.object.pk)
        content, filename = staged
        headers = request.POST.getlist("headers")
        form = MappingForm(request.POST, headers=headers)
        if not form.is_valid():
            return self.preview(token, content, filename, None, {}, form=form)
        balances = {name: form.cleaned_data.get(name) for name in ("opening_balance", "closing_balance")}
        if step == "import":
            return self.do_import(token, content, filename, form.mapping(), balances, form)
        return self.preview(token, content, filename, form.mapping(), balances)

    def preview(self, token, content, filename, mapping, balances, form=None):
        try:
            preview = statement_import_preview(actor=self.request.user, bank_account=self.object, content=content,
                                               filename=filename, mapping=mapping, **balances)
        except errors.ValidationFailed as error:  # the file cannot be read (with these settings)
            unstage(self.request, token)
            return self.render({"object": self.object, "upload": StatementUploadForm(),
                                "upload_errors": [message for messages_ in error.fields.values()
                                                  for message in messages_] or [str(error.message)]})
        if form is None:
            form = MappingForm(initial=MappingForm.initial_from(preview.parsed.mapping, balances),
                               headers=preview.parsed.headers)
            for key, field_messages in preview.parsed.mapping_errors.items():
                name = key.split(".", 1)[-1]
                if name in form.fields:  # an unbound form: its errors are set, not validated
                    form.errors.setdefault(name, form.error_class()).extend(field_messages)
        return self.render({"object": self.object, "preview": preview, "mapping_form": form, "token": token,
                            "headers": preview.parsed.headers, "filename": filename})

    def do_import(self, token, content, filename, mapping, balances, form):
        try:
            statement = statement_import(actor=self.request.user, bank_account=self.object, content=content,
                                         filename=filename, mapping=mapping, **balances)
        except (errors.ValidationFailed, errors.Conflict, errors.InvalidState) as error:
            messages.error(self.request, error_text(error))
            return self.preview(token, content, filename, mapping, balances)
        unstage(self.request, token)
        count = statement.lines.count()
        messages.success(self.request, _("Statement %(name)s imported: %(count)s lines.")
                         % {"name": statement.name, "count": count})
        if statement.import_duplicates:
            messages.info(self.request, _("%(count)s transactions were imported before and are skipped.")
                          % {"count": statement.import_duplicates})
        for warning in statement.import_warnings:
            messages.warning(self.request, warning)
        return redirect(reverse("accounting:bankaccount_reconcile", args=[self.object.pk])
                        + f"?statement={statement.pk}")
