"""Create and edit screens for simple set-up records (currencies, numbering, ...): the form's fields
are saved through services.base.record_create / record_update, so permissions and validation are the
services' own."""

from ..services.base import record_create, record_update
from .generic import CreateView, UpdateView, form_data


def _form_fields(view) -> set[str]:
    return set(view.form_class._meta.fields)


class RecordCreateView(CreateView):
    def perform(self, form):
        return record_create(actor=self.request.user, model=self.model, data=form_data(form),
                             fields=_form_fields(self), company=self.company)


class RecordUpdateView(UpdateView):
    fixed_fields: set[str] = {"code"}  # identify the record: they cannot change once it exists

    def perform(self, form):
        fields = _form_fields(self) - self.fixed_fields
        data = {name: value for name, value in form_data(form).items() if name in fields}
        return record_update(actor=self.request.user, instance=self.object, data=data, fields=fields,
                             company=self.company)
