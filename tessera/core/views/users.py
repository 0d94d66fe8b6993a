"""Users: list, detail, create, edit, password reset, and "what can this user see and do?"."""

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms import NewPasswordForm, UserCreateForm, UserUpdateForm
from ..permissions import allowed_companies, effective_permissions
from ..roles import role_label
from ..services.users import user_create, user_set_password, user_update
from .generic import Column, CreateView, DetailView, FormScreen, ListView, Screen, UpdateView, YesNoFilter
from .roles import MATRIX_ACTIONS, TRANSITION_LABELS, permission_rows

User = get_user_model()


def role_names(user) -> str:
    return ", ".join(sorted(role_label(group) for group in user.groups.all()))


def company_codes(user) -> str:
    profile = getattr(user, "profile", None)
    return ", ".join(company.code for company in profile.companies.all()) if profile else ""


class UserFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))
    groups = django_filters.ModelChoiceFilter(label=gettext_lazy("Role"), queryset=Group.objects.order_by("name"))

    class Meta:
        model = User
        fields = ["is_active", "groups"]


class UserScreen:
    model = User

    def get_queryset(self):
        return User.objects.prefetch_related("groups__role", "profile__companies").select_related("profile")


class UserListView(UserScreen, ListView):
    columns = [
        "username", "first_name", "last_name", "email", "is_active",
        Column("roles", gettext_lazy("Roles"), value=role_names),
        Column("companies", gettext_lazy("Companies"), value=company_codes),
        Column("last_login", default=False),
    ]
    search_fields = ["username", "first_name", "last_name", "email"]
    filterset_class = UserFilter
    ordering = ["username"]


class UserDetailView(UserScreen, DetailView):
    fields = [
        "username", "first_name", "last_name", "email", "is_active", "last_login", "date_joined",
        Column("roles", gettext_lazy("Roles"), value=role_names),
        Column("companies", gettext_lazy("Allowed companies"), value=company_codes),
        Column("profile__default_company", gettext_lazy("Default company")),
    ]

    def get_actions(self, obj):
        actions = super().get_actions(obj)
        if self.can("change") and obj.pk != self.request.user.pk:
            actions.append({"label": _("Reset password"), "url": reverse("core:user_password", args=[obj.pk])})
        actions.append({"label": _("What can this user see and do?"),
                        "url": reverse("core:user_access", args=[obj.pk])})
        return actions


def _access_arguments(form) -> dict:
    data = form.cleaned_data
    return {"roles": list(data["roles"]), "companies": list(data["companies"]),
            "default_company": data["default_company"]}


class UserCreateView(UserScreen, CreateView):
    form_class = UserCreateForm

    def perform(self, form):
        data = form.cleaned_data
        return user_create(
            actor=self.request.user, username=data["username"], password=data["password"], email=data["email"],
            first_name=data["first_name"], last_name=data["last_name"], is_active=data["is_active"],
            **_access_arguments(form),
        )


class UserUpdateView(UserScreen, UpdateView):
    form_class = UserUpdateForm

    def perform(self, form):
        data = {name: form.cleaned_data[name] for name in ("email", "first_name", "last_name", "is_active")}
        return user_update(actor=self.request.user, user=self.object, data=data, **_access_arguments(form))


class UserPasswordResetView(UserScreen, FormScreen):
    """An administrator sets someone else's password (one's own: the password change page)."""

    action = "change"
    form_class = NewPasswordForm
    success_message = gettext_lazy("The password was changed.")

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get(self, request, *args, **kwargs):
        if self.object.pk == request.user.pk:
            return redirect("core:password_change")
        return super().get(request, *args, **kwargs)

    def get_title(self):
        return _("Reset the password of %(user)s") % {"user": self.object}

    def perform(self, form):
        user_set_password(actor=self.request.user, user=self.object, password=form.cleaned_data["password"])
        return self.object


class UserAccessView(UserScreen, Screen):
    """What a user can see and do: roles, companies and every permission their roles give."""

    template_name = "core/users/access.html"

    def get(self, request, *args, **kwargs):
        user = self.get_object()
        granted = effective_permissions(user)
        labels = dict(MATRIX_ACTIONS) | TRANSITION_LABELS
        positions = {code: index for index, (code, _label) in enumerate(MATRIX_ACTIONS)}

        def order(action):  # the matrix's column order, then the other transitions by name
            return positions.get(action, len(positions)), action

        rows = []
        for app, models in permission_rows():
            app_rows = [(row, [labels.get(action, action) for action in sorted(granted.get(row["label"], ()),
                                                                               key=order)]) for row in models]
            app_rows = [(row, actions) for row, actions in app_rows if actions]
            if app_rows:
                rows.append((app, app_rows))
        return self.render({
            "object": user,
            "roles": sorted(role_label(group) for group in user.groups.select_related("role")),
            "companies": allowed_companies(user).order_by("code"),
            "default_company": getattr(getattr(user, "profile", None), "default_company", None),
            "rows": rows,
        })

    def get_title(self):
        return _("What can this user see and do?")

    def get_breadcrumbs(self, obj=None):
        return super().get_breadcrumbs(obj) + [(self.get_title(), None)]
