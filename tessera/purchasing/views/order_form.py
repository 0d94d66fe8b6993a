"""The purchase order form: the header and its lines inline. htmx keeps it live: any change posts the
form to `order_form_lines`, which answers the lines table again with each line's price (from the
supplier's price list, with where it came from, while the price is left blank), its subtotal and the
order's totals; "Add line" / "×" add and remove rows the same way. A new product on a row takes its
purchase unit, purchase tax and name. Saving goes through services.orders (line errors on their cells).
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.accounting.models import Tax
from tessera.accounting.services.taxes import document_taxes
from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.models import Currency
from tessera.core.views.generic import apply_domain_error
from tessera.inventory.models import Warehouse
from tessera.partners.models import Partner, PaymentTerm
from tessera.products.models import Product, Uom

from ..models import PurchaseOrder
from ..services.orders import order_create, order_update
from ..services.prices import price_in_unit, supplier_price_for

LINE_FIELDS = ("id", "product", "product_seen", "description", "quantity", "uom", "unit_price", "discount", "taxes")


class OrderForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label=gettext_lazy("Supplier"))
    date = forms.DateField(label=gettext_lazy("Order date"), required=False, widget=DateInput())
    expected_on = forms.DateField(label=gettext_lazy("Expected date"), required=False, widget=DateInput())
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label=gettext_lazy("Deliver to"))
    currency = forms.ModelChoiceField(queryset=Currency.objects.filter(is_active=True), required=False,
                                      label=gettext_lazy("Currency"),
                                      help_text=gettext_lazy("Empty: the supplier's currency."))
    payment_term = forms.ModelChoiceField(queryset=PaymentTerm.objects.none(), required=False,
                                          label=gettext_lazy("Payment term"),
                                          help_text=gettext_lazy("Empty: the supplier's payment term."))
    reference = forms.CharField(label=gettext_lazy("Supplier reference"), required=False, max_length=100)
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(company=company, is_supplier=True,
                                                                 is_active=True).order_by("name")
        self.fields["warehouse"].queryset = Warehouse.objects.filter(company=company, is_active=True)
        self.fields["payment_term"].queryset = PaymentTerm.objects.filter(company=company, is_active=True)


class OrderLineForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput())
    product_seen = forms.IntegerField(required=False, widget=forms.HiddenInput())
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=gettext_lazy("Product"), required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=255)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False, max_digits=18, decimal_places=4)
    uom = forms.ModelChoiceField(queryset=Uom.objects.none(), label=gettext_lazy("Unit"), required=False)
    unit_price = forms.DecimalField(label=gettext_lazy("Unit price"), required=False, max_digits=18, decimal_places=6)
    discount = forms.DecimalField(label=gettext_lazy("Discount %"), required=False, max_digits=5, decimal_places=2)
    taxes = forms.ModelMultipleChoiceField(queryset=Tax.objects.none(), label=gettext_lazy("Taxes"), required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company, is_active=True,
                                                                 is_purchased=True).order_by("sku")
        self.fields["uom"].queryset = Uom.objects.filter(company=company, is_active=True)
        self.fields["taxes"].queryset = Tax.objects.filter(company=company, kind="purchase", is_active=True)
        self.fields["taxes"].widget.attrs["size"] = 2


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=0, max_num=500, absolute_max=500)


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "").strip()) if value not in (None, "") else None
    except InvalidOperation:
        return None


def posted_rows(data) -> list[dict]:
    """The line rows of a posted form, as raw values ("taxes" a list)."""
    try:
        count = min(int(data.get("lines-TOTAL_FORMS", 0)), 500)
    except ValueError:
        count = 0
    rows = []
    for index in range(count):
        prefix = f"lines-{index}-"
        row = {name: data.get(prefix + name, "") for name in LINE_FIELDS if name != "taxes"}
        row["taxes"] = data.getlist(prefix + "taxes") if hasattr(data, "getlist") else data.get(prefix + "taxes", [])
        rows.append(row)
    return rows


def refresh_rows(company, rows: list[dict]) -> list[dict]:
    """A row whose product changed takes the product's purchase unit, tax and name, and its price again."""
    products = Product.objects.filter(company=company, pk__in=[row["product"] for row in rows
                                                               if str(row["product"]).isdigit()]).in_bulk()
    for row in rows:
        product = products.get(int(row["product"])) if str(row["product"]).isdigit() else None
        if product is None or str(row.get("product_seen") or "") == str(product.pk):
            continue
        row.update(product_seen=product.pk, uom=(product.purchase_uom_id or product.uom_id), unit_price="",
                   description=product.display_name,
                   taxes=[product.purchase_tax_id] if product.purchase_tax_id else [])
    return rows


def preview(company, header: dict, rows: list[dict]) -> tuple[list[dict], dict]:
    """Per row: the price it takes (given, else quoted) and its source, its subtotal; and the totals."""
    partner = Partner.objects.filter(company=company, pk=header.get("partner") or None).first() \
        if str(header.get("partner") or "").isdigit() else None
    currency = None
    if str(header.get("currency") or "").strip():
        currency = Currency.objects.filter(pk=header["currency"]).first()
    currency = currency or (partner.currency if partner and partner.currency_id else company.base_currency)
    on = parse_date(str(header.get("date") or "")) or timezone.localdate()
    products = Product.objects.select_related("uom").in_bulk(
        [int(row["product"]) for row in rows if str(row["product"]).isdigit()])
    units = Uom.objects.in_bulk([int(row["uom"]) for row in rows if str(row.get("uom") or "").isdigit()])
    taxes = Tax.objects.filter(company=company).in_bulk()
    infos, document_lines = [], []
    for row in rows:
        info = {"price": None, "source": "", "subtotal": None, "quoted": False}
        product = products.get(int(row["product"])) if str(row["product"]).isdigit() else None
        uom = units.get(int(row["uom"])) if str(row.get("uom") or "").isdigit() else None
        quantity = _decimal(row.get("quantity"))
        if product is not None:
            uom = uom or product.purchase_uom or product.uom
            price, discount = _decimal(row.get("unit_price")), _decimal(row.get("discount"))
            if price is None and partner is not None and quantity is not None and quantity > 0:
                quote = supplier_price_for(company=company, partner=partner, product=product, quantity=quantity,
                                           uom=uom, on=on, currency=currency)
                if quote is not None:
                    price, info["source"], info["quoted"] = quote.unit_price, quote.source, True
                    discount = quote.discount if discount is None else discount
            if price is None and currency.pk == company.base_currency_id:
                price, info["source"], info["quoted"] = price_in_unit(product.standard_cost, product.uom, uom), \
                    _("Standard cost"), True
            info["price"], info["discount"] = price, discount or Decimal("0")
            if price is not None and quantity is not None:
                gross = quantity * price * (100 - info["discount"]) / 100
                line_taxes = [taxes[int(pk)] for pk in row.get("taxes") or [] if str(pk).isdigit() and int(pk) in taxes]
                document_lines.append((gross, line_taxes))
                info["index"] = len(document_lines) - 1
        infos.append(info)
    result = document_taxes(document_lines, currency, "line") if document_lines else None
    for info in infos:
        if result is not None and "index" in info:
            info["subtotal"] = result.lines[info["index"]].untaxed
    totals = {"currency": currency.code, "untaxed": result.untaxed if result else Decimal("0"),
              "tax": result.tax_total if result else Decimal("0"), "total": result.total if result else Decimal("0")}
    return infos, totals


def lines_context(company, header: dict, rows: list[dict], formset=None) -> dict:
    infos, totals = preview(company, header, rows)
    if formset is None:
        formset = OrderLineFormSet(initial=rows, prefix="lines", form_kwargs={"company": company})
    return {"formset": formset, "line_rows": list(zip(formset.forms, infos, strict=False)), "totals": totals}


def header_values(data) -> dict:
    return {name: data.get(name, "") for name in ("partner", "currency", "date")}


class OrderFormMixin:
    """Mixed into the create and update screens (after the order screen's mixins)."""

    template_name = "purchasing/orders/form.html"

    def initial_rows(self) -> list[dict]:
        order = getattr(self, "object", None)
        if order is None:
            return [{"product": "", "quantity": "", "taxes": []}]
        return [{"id": line.pk, "product": line.product_id, "product_seen": line.product_id,
                 "description": line.description, "quantity": line.quantity.normalize(), "uom": line.uom_id,
                 "unit_price": line.unit_price.normalize(), "discount": line.discount.normalize(),
                 "taxes": [tax.pk for tax in line.taxes.all()]} for line in order.lines.order_by("sequence", "pk")]

    def initial_header(self) -> dict:
        order = getattr(self, "object", None)
        if order is None:
            return {"date": timezone.localdate(), "partner": self.request.GET.get("partner"),
                    "warehouse": Warehouse.objects.filter(company=self.company, is_active=True).order_by("pk").first()}
        return {"partner": order.partner_id, "date": order.date, "expected_on": order.expected_on,
                "warehouse": order.warehouse_id, "currency": order.currency_id, "payment_term": order.payment_term_id,
                "reference": order.reference, "notes": order.notes, "version": order.version}

    def get(self, request, *args, **kwargs):
        form = OrderForm(initial=self.initial_header(), company=self.company)
        header = {key: getattr(value, "pk", value) for key, value in self.initial_header().items()}
        return self.render_form(form, lines_context(self.company, header, self.initial_rows()))

    def post(self, request, *args, **kwargs):
        form = OrderForm(request.POST, company=self.company)
        formset = OrderLineFormSet(request.POST, prefix="lines", form_kwargs={"company": self.company})
        rows = posted_rows(request.POST)
        if form.is_valid() and formset.is_valid():
            header = {key: getattr(value, "pk", value) for key, value in form.cleaned_data.items()
                      if key != "version" and not (key in ("currency", "payment_term") and value is None)}
            lines, where = [], []
            for index, (line_form, row) in enumerate(zip(formset.forms, rows, strict=False)):
                data = line_form.cleaned_data
                if not data.get("product"):
                    continue
                line = {"product": data["product"].pk, "quantity": data.get("quantity")}
                if data.get("id"):
                    line["id"] = data["id"]
                for name in ("description", "uom", "unit_price", "discount"):
                    if data.get(name) not in (None, ""):
                        line[name] = getattr(data[name], "pk", data[name])
                if str(row.get("product_seen") or "") == str(data["product"].pk):
                    line["taxes"] = [tax.pk for tax in data.get("taxes") or []]
                lines.append(line)
                where.append(index)
            try:
                order = self.save(header, lines, form.cleaned_data.get("version"))
            except (errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
                self.line_errors(error, formset, where)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Purchase order saved."))
                return redirect(self.url("detail", order))
        return self.render_form(form, lines_context(self.company, header_values(request.POST), rows, formset))

    def line_errors(self, error, formset, where: list[int]) -> None:
        """Put `lines.<i>.<field>` errors on their cells (and take them off the form's list)."""
        fields = dict(error.fields or {})
        for name in list(fields):
            parts = name.split(".")
            if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit() and int(parts[1]) < len(where):
                line_form = formset.forms[where[int(parts[1])]]
                field = parts[2] if parts[2] in line_form.fields else None
                for message in fields.pop(name):
                    line_form.add_error(field, str(message))
        error.fields = fields

    def render_form(self, form, lines: dict, status: int = 200):
        return self.render({"form": form, "object": getattr(self, "object", None), "cancel_url": self.get_cancel_url(),
                            **lines}, status=status)

    def get_cancel_url(self):
        order = getattr(self, "object", None)
        return self.url("detail", order) if order is not None else self.url("list")


class OrderCreateMixin(OrderFormMixin):
    action = "add"
    title = gettext_lazy("New purchase order")

    def save(self, header, lines, version):
        return order_create(actor=self.request.user, company=self.company, data=header, lines=lines)


class OrderUpdateMixin(OrderFormMixin):
    action = "change"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_title(self):
        return _("Edit %(record)s") % {"record": self.object}

    def save(self, header, lines, version):
        return order_update(actor=self.request.user, order=self.object, data=header, lines=lines, version=version)


class OrderLinesPartialMixin:
    """POST (htmx): the lines table again, after adding ("op=add") or removing ("op=remove&index=N") a row."""

    http_method_names = ["post"]
    action = "view"
    model = PurchaseOrder

    def post(self, request, *args, **kwargs):
        rows = posted_rows(request.POST)
        op = request.POST.get("op")
        if op == "add":
            rows.append({"product": "", "quantity": "", "taxes": []})
        elif op == "remove" and str(request.POST.get("index", "")).isdigit():
            index = int(request.POST["index"])
            if 0 <= index < len(rows):
                rows.pop(index)
        rows = refresh_rows(self.company, rows)
        context = lines_context(self.company, header_values(request.POST), rows)
        return render(request, "purchasing/orders/_lines.html", context)

