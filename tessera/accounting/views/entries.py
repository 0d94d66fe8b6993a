"""Journal entries (vouchers): list, detail, the entry form with its lines, post, reverse, print,
and the auditors' ledger verification."""

from decimal import Decimal, InvalidOperation

import django_filters
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.models import AuditEntry
from tessera.core.services.attachments import attachments_of
from tessera.core.views.generic import (
    Column,
    DeleteView,
    DetailView,
    FormScreen,
    ListView,
    Screen,
    apply_domain_error,
    form_data,
)

from ..choices import EntryState, JournalKind
from ..forms import EntryForm, LineFormSet, ReverseForm
from ..models import Journal, JournalEntry
from ..services.chain import verify_chain
from ..services.ledger import entry_create, entry_delete, entry_post, entry_reverse, entry_update
from .common import Accounting, DraftUpdateMixin, TransitionView, error_text

DOMAIN_ERRORS = (errors.ValidationFailed, errors.InvalidState, errors.Conflict)


def company_journals(request):
    company = getattr(request, "company", None)
    return Journal.objects.filter(company=company) if company is not None else Journal.objects.none()


class EntryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=EntryState.choices, label=gettext_lazy("State"))
    journal = django_filters.ModelChoiceFilter(queryset=company_journals, label=gettext_lazy("Journal"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = JournalEntry
        fields = ["state", "journal"]


class EntryScreen(Accounting):
    model = JournalEntry

    def get_queryset(self):
        return super().get_queryset().select_related("journal")


class EntryListView(EntryScreen, ListView):
    columns = [
        Column("number", value=str, sort="number"), "date", "journal", "description",
        Column("total", gettext_lazy("Total"), value=lambda entry: entry.total_debit, sort="total_debit"),
        "state", Column("reference", default=False), Column("posted_by", default=False),
    ]
    search_fields = ["number", "reference", "description", "lines__description"]
    filterset_class = EntryFilter
    ordering = ["-date", "-pk"]

    def search(self, queryset):
        return super().search(queryset).distinct() if self.request.GET.get("q", "").strip() else queryset


class EntryDetailView(EntryScreen, DetailView):
    template_name = "accounting/entries/detail.html"

    def get_actions(self, obj):
        actions = []
        draft = obj.state == EntryState.DRAFT
        if draft and self.can("change"):
            actions.append({"label": _("Edit"), "url": self.url("update", obj), "method": "get", "style": "primary"})
        if draft and self.can("post"):
            actions.append({"label": _("Post"), "url": reverse("accounting:journalentry_post", args=[obj.pk]),
                            "method": "post", "style": "success",
                            "confirm": _("Post this entry? A posted entry cannot be changed.")})
        if not draft and self.can("reverse") and not obj.reversal_of_id and not hasattr(obj, "reversed_by"):
            actions.append({"label": _("Reverse"), "url": reverse("accounting:journalentry_reverse", args=[obj.pk]),
                            "method": "get", "style": "outline-danger"})
        actions.append({"label": _("Print"), "url": reverse("accounting:journalentry_print", args=[obj.pk]),
                        "method": "get"})
        if draft and self.can("delete"):
            actions.append({"label": _("Delete"), "url": self.url("delete", obj), "method": "post",
                            "style": "outline-danger", "confirm": _("Delete this draft entry?")})
        return actions

    def get_tab_context(self, obj):
        return {"lines": obj.lines.select_related("account", "partner", "cost_center"),
                "reversed_by": JournalEntry.objects.filter(reversal_of=obj).first()}


# --- The entry form --------------------------------------------------------------------------

def line_initial(line) -> dict:
    return {"account": line.account_id, "partner": line.partner_id, "description": line.description,
            "debit": line.debit or None, "credit": line.credit or None, "cost_center": line.cost_center_id}


def amount(value) -> Decimal:
    try:
        return Decimal(str(value or "0").replace(",", "").strip() or "0")
    except InvalidOperation:
        return Decimal("0")


def apply_entry_error(header, lines, filled, error: errors.DomainError) -> None:
    """The service's error on the right place: `lines.<n>.<field>` on that line's cell (n counts the
    filled-in lines sent), `lines` and the rest on the header."""
    header_fields = {}
    for key, field_messages in (error.fields or {}).items():
        listed = field_messages if isinstance(field_messages, list | tuple) else [field_messages]
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(filled):
            form, name = filled[int(parts[1])], parts[2]
            for message in listed:
                form.add_error(name if name in form.fields else None, str(message))
        elif key == "lines":
            for message in listed:
                header.add_error(None, str(message))
        else:
            header_fields[key] = listed
    if header_fields or not error.fields:
        apply_domain_error(header, type(error)(error.message, fields=header_fields))


class EntryFormView(EntryScreen, FormScreen):
    """The voucher form: a header and its lines in one form, live debit/credit totals (entry_form.js),
    Save or Save and post. Create and edit share it; edit sends the version it loaded."""

    template_name = "accounting/entries/form.html"
    blank_lines = 2

    def get_forms(self, data=None, files=None):
        entry = getattr(self, "object", None)
        initial = {}
        if entry is None:
            journal = (Journal.objects.filter(company=self.company, is_active=True, kind=JournalKind.GENERAL).first()
                       or Journal.objects.filter(company=self.company, is_active=True).first())
            initial = {"journal": journal, "date": timezone.localdate()}
        header = EntryForm(data=data, files=files, instance=entry or JournalEntry(company=self.company),
                           initial=initial, company=self.company)
        rows = [line_initial(line) for line in entry.lines.all()] if entry is not None else []
        lines = LineFormSet(data=data, prefix="lines", company=self.company,
                            initial=rows + [{}] * max(self.blank_lines, 2 - len(rows)))
        return header, lines

    def get(self, request, *args, **kwargs):
        return self.render_forms(*self.get_forms())

    def post(self, request, *args, **kwargs):
        header, lines = self.get_forms(request.POST, request.FILES)
        header_valid = header.is_valid()
        if lines.is_valid() and header_valid:
            filled = lines.filled_forms()
            data = form_data(header)
            version = data.pop("version", None)
            file = data.pop("attachment", None)
            try:
                entry = self.save(data, [form.line_data() for form in filled], version, [file] if file else [])
            except DOMAIN_ERRORS as error:
                apply_entry_error(header, lines, filled, error)
            else:
                return self.after_save(entry, post=bool(request.POST.get("post")))
        return self.render_forms(header, lines)

    def after_save(self, entry, *, post: bool):
        if not post:
            messages.success(self.request, _("Entry saved as a draft."))
            return redirect(self.url("detail", entry))
        try:
            entry = entry_post(actor=self.request.user, entry=entry)
        except (errors.PermissionDenied, *DOMAIN_ERRORS) as error:
            messages.error(self.request, _("The entry is saved as a draft but not posted: %(reason)s")
                           % {"reason": error_text(error)})
            return redirect(self.url("update", entry))
        messages.success(self.request, _("Entry %(number)s is posted.") % {"number": entry.number})
        return redirect(self.url("detail", entry))

    def render_forms(self, header, lines, status=200):
        totals = {"debit": Decimal("0"), "credit": Decimal("0")}
        for form in lines.forms:
            for name in totals:
                totals[name] += amount(form[name].value())
        return self.render({
            "form": header, "lines": lines, "object": getattr(self, "object", None),
            "total_debit": totals["debit"], "total_credit": totals["credit"],
            "difference": totals["debit"] - totals["credit"],
            "can_post": self.can("post"), "cancel_url": self.get_cancel_url(),
        }, status=status)


class EntryCreateView(EntryFormView):
    action = "add"
    title = gettext_lazy("New journal entry")

    def save(self, data, lines, version, files):
        return entry_create(actor=self.request.user, company=self.company, data=data, lines=lines, files=files)


class EntryUpdateView(DraftUpdateMixin, EntryFormView):
    not_draft_message = gettext_lazy("Entry %(number)s is posted: correct it with a reversing entry.")

    def save(self, data, lines, version, files):
        return entry_update(actor=self.request.user, entry=self.object, data=data, lines=lines, version=version,
                            files=files)


class EntryDeleteView(EntryScreen, DeleteView):
    def perform(self, obj):
        entry_delete(actor=self.request.user, entry=obj)


class EntryPostView(EntryScreen, TransitionView, Screen):
    def transition(self, obj):
        entry = entry_post(actor=self.request.user, entry=obj)
        messages.success(self.request, _("Entry %(number)s is posted.") % {"number": entry.number})
        return entry


class EntryReverseView(EntryScreen, FormScreen):
    """Confirm the reversal and choose its date (today by default): it posts a linked entry with
    debits and credits swapped."""

    action = "view"  # the service checks accounting.reverse_journalentry and says why it refuses
    form_class = ReverseForm
    submit_label = gettext_lazy("Post the reversing entry")
    success_message = None

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_title(self):
        return _("Reverse %(record)s") % {"record": self.object}

    def get_form(self, data=None, files=None):
        return self.form_class(data=data, initial={"date": timezone.localdate()})

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                reversal = entry_reverse(actor=request.user, entry=self.object, date=form.cleaned_data["date"])
            except (errors.PermissionDenied, *DOMAIN_ERRORS) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Entry %(number)s is reversed by %(reversal)s.")
                                 % {"number": self.object.number, "reversal": reversal.number})
                return redirect(self.url("detail", reversal))
        return self.render_form(form)


# --- Printing --------------------------------------------------------------------------------

class EntryPrintView(EntryScreen, Screen):
    """The voucher (记账凭证) as a clean printable page; `?format=pdf` gives it as a PDF."""

    template_name = "accounting/entries/print.html"
    pdf_prefix = "voucher"  # the PDF's file name: <prefix>-<number>.pdf

    def context(self, entry) -> dict:
        lines = list(entry.lines.select_related("account", "partner", "cost_center"))
        created = (AuditEntry.objects.filter(content_type__app_label="accounting",
                                             content_type__model="journalentry", object_id=str(entry.pk),
                                             action="create").order_by("at").first())
        return {
            "entry": entry, "company": self.company, "lines": lines,
            "total_debit": sum((line.debit for line in lines), Decimal("0")),
            "total_credit": sum((line.credit for line in lines), Decimal("0")),
            "prepared_by": created.actor_repr if created else "",
            "posted_by": entry.posted_by.get_full_name() or entry.posted_by.get_username() if entry.posted_by else "",
            "attachments": attachments_of(entry).count(),
            "printed_at": timezone.localtime(),
        }

    def get(self, request, *args, **kwargs):
        entry = self.get_object()
        context = self.context(entry)
        if request.GET.get("format") == "pdf":
            return self.pdf(entry, context)
        return render(request, self.template_name, context)

    def pdf(self, entry, context) -> HttpResponse:
        try:
            from weasyprint import HTML
        except (ImportError, OSError):  # OSError: the Pango/cairo system libraries are missing
            messages.error(self.request, _("PDF export is not available on this server."))
            return redirect(self.request.path)
        html = render_to_string(self.template_name, {**context, "for_pdf": True}, request=self.request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        name = (entry.number or f"draft-{entry.pk}").replace("/", "-")
        response["Content-Disposition"] = f'inline; filename="{self.pdf_prefix}-{name}.pdf"'
        return response


# --- Verification ----------------------------------------------------------------------------

class LedgerVerifyView(Accounting, Screen):
    """For auditors: recompute the hash chain of every posted entry and show OK or what was changed."""

    model = JournalEntry
    template_name = "accounting/entries/verify.html"
    title = gettext_lazy("Ledger verification")

    def get_breadcrumbs(self, obj=None):
        return [(str(_("Accounting")), None), (self.get_title(), None)]

    def get(self, request, *args, **kwargs):
        problems = verify_chain(self.company)
        checked = JournalEntry.objects.filter(company=self.company, state=EntryState.POSTED).count()
        return self.render({"problems": problems, "checked": checked, "verified_at": timezone.localtime()})
