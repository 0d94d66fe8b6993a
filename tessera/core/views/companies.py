"""Companies: list, detail with history, create and edit (logo, tax id), and their live modules."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import errors, menu
from ..forms import CompanyForm
from ..models import Company, CompanyModule
from ..services.companies import company_create, company_module_set, company_update
from .generic import Column, CreateView, DetailView, ListView, Screen, Tab, UpdateView, YesNoFilter, form_data


def companies_of(user):
    """The companies a user manages on these screens: their allowed ones, inactive ones included."""
    if user.is_superuser:
        return Company.objects.all()
    return Company.objects.filter(pk__in=user.profile.companies.values("pk"))


class CompanyFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Company
        fields = ["is_active", "country"]


class CompanyScreen:
    model = Company

    def get_queryset(self):
        return companies_of(self.request.user).select_related("base_currency")


class CompanyListView(CompanyScreen, ListView):
    columns = ["code", "name", "base_currency__code", "country", "tax_id", "fiscal_year_start_month", "is_active",
               Column("created_at", default=False)]
    search_fields = ["code", "name", "tax_id"]
    filterset_class = CompanyFilter


class CompanyDetailView(CompanyScreen, DetailView):
    fields = ["code", "name", "base_currency", "country", "tax_id", "fiscal_year_start_month", "address",
              "is_active", "created_at"]
    tabs = [Tab("logo", gettext_lazy("Logo"), "core/companies/_logo.html")]

    def get_actions(self, obj):
        actions = super().get_actions(obj)
        if self.can("view", CompanyModule):
            actions.append({"label": _("Modules"), "url": reverse("core:company_modules", args=[obj.pk])})
        return actions


class CompanyCreateView(CompanyScreen, CreateView):
    form_class = CompanyForm

    def perform(self, form):
        return company_create(actor=self.request.user, data=form_data(form))


class CompanyUpdateView(CompanyScreen, UpdateView):
    form_class = CompanyForm

    def check_access(self):
        super().check_access()
        # Changing a company needs the permission in that company, not in the one being worked in.
        from ..permissions import require

        require(self.request.user, "core.change_company", self.object)

    def perform(self, form):
        return company_update(actor=self.request.user, company=self.object, data=form_data(form))


class CompanyModulesView(Screen):
    """Switch modules on and off for one company (phased go-live)."""

    model = CompanyModule
    template_name = "core/companies/modules.html"
    list_url_name = "core:module_list"

    def get_company(self) -> Company:
        if "pk" not in self.kwargs:
            if self.company is None:
                raise errors.NotFound(_("You are not working in any company."))
            return self.company
        company = companies_of(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if company is None:
            raise errors.NotFound(_("Company not found."))
        return company

    def get_title(self) -> str:
        return _("Modules")

    def get(self, request, *args, **kwargs):
        company = self.get_company()
        states = {row.module: row for row in CompanyModule.objects.filter(company=company)}
        modules = [
            {"module": module, "row": states.get(module.code),
             "active": module.always_on or bool(states.get(module.code) and states[module.code].is_active)}
            for module in menu.ordered()
        ]
        return self.render({"company": company, "modules": modules,
                            "can_change": self.can("change") and company.is_active})

    def post(self, request, *args, **kwargs):
        company = self.get_company()
        module = request.POST.get("module", "")
        is_active = request.POST.get("is_active") == "1"
        try:
            company_module_set(actor=request.user, company=company, module=module, is_active=is_active)
        except errors.ValidationFailed as error:
            messages.error(request, " ".join(" ".join(m) for m in error.fields.values()) or error.message)
        else:
            name = menu.MODULES[module].name
            messages.success(request, (_("%(module)s is now live.") if is_active else _("%(module)s is switched off."))
                             % {"module": name})
        return redirect(request.get_full_path())
