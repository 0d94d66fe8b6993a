"""Delegations: "I am away from ... until ...; my approvals go to ...", listed, edited and ended early."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.views.generic import Column, CreateView, DeleteView, DetailView, ListView, UpdateView, form_data

from ..forms import DelegationForm
from ..models import Delegation
from ..selectors import delegation_list
from ..services.delegations import delegation_create, delegation_delete, delegation_update, may_manage_others
from .rules import Approvals


def running(delegation) -> bool:
    today = timezone.localdate()
    return delegation.is_active and delegation.starts_on <= today <= delegation.ends_on


class DelegationScreen(Approvals):
    model = Delegation

    def get_queryset(self):
        return delegation_list(self.request.user, self.company)


class DelegationListView(DelegationScreen, ListView):
    columns = [Column("user", link=True), "delegate", "starts_on", "ends_on", "reason", "is_active",
               Column("running", gettext_lazy("In effect today"), value=running, sort=None)]
    search_fields = ["user__username", "delegate__username", "reason"]
    ordering = ["-starts_on", "-pk"]


class DelegationDetailView(DelegationScreen, DetailView):
    fields = ["user", "delegate", "starts_on", "ends_on", "reason", "is_active", "created_at",
              Column("running", gettext_lazy("In effect today"), value=running)]


class DelegationFormMixin(DelegationScreen):
    form_class = DelegationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "company": self.company, "actor": self.request.user,
                "manage_others": may_manage_others(self.request.user, self.company)}


class DelegationCreateView(DelegationFormMixin, CreateView):
    title = gettext_lazy("Delegate my approvals while I am away")
    success_message = gettext_lazy("Delegation saved.")

    def get_form(self, data=None, files=None):
        today = timezone.localdate()
        return self.form_class(data=data, initial={"starts_on": today, "ends_on": today, "user": self.request.user},
                               **self.get_form_kwargs())

    def perform(self, form):
        return delegation_create(actor=self.request.user, company=self.company, data=form_data(form))


class DelegationUpdateView(DelegationFormMixin, UpdateView):
    def get_title(self):
        return _("Edit delegation %(record)s") % {"record": self.object}

    def perform(self, form):
        return delegation_update(actor=self.request.user, delegation=self.object, data=form_data(form))


class DelegationDeleteView(DelegationScreen, DeleteView):
    def perform(self, obj):
        delegation_delete(actor=self.request.user, delegation=obj)
