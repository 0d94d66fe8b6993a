"""The products API: products at `products/`, categories at `products/categories/`, units at
`products/uoms/` (with `convert/` and `install-defaults/`) and unit categories at `products/uom-categories/`.

Writes go through the products services, so the API refuses what the screens refuse; a record in use
answers 409 `in_use` to DELETE, a stale `version` 409 `invalid_state` to PATCH. Product images are
uploaded with multipart/form-data on POST or PATCH and read as URLs.
"""

import functools

import django_filters
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from tessera.core.api.base import RecordViewSet
from tessera.core.api.parsers import StrictJSONParser
from tessera.core.errors import ValidationFailed
from tessera.core.services import idempotency

from .. import services
from ..choices import ProductType, Tracking
from ..models import Product, ProductCategory, Uom, UomCategory
from ..selectors import (
    product_category_list,
    product_list,
    products_in_category,
    uom_category_list,
    uom_list,
)
from .serializers import (
    ROUNDING_MODES,
    ConvertQuerySerializer,
    ConvertResultSerializer,
    InstallResultSerializer,
    ProductCategorySerializer,
    ProductSerializer,
    UomCategorySerializer,
    UomSerializer,
    VersionSerializer,
)


def _company_categories(request):
    company = getattr(request, "company", None) if request is not None else None
    return ProductCategory.objects.filter(company=company) if company else ProductCategory.objects.none()


def _company_units(request):
    company = getattr(request, "company", None) if request is not None else None
    return Uom.objects.filter(company=company) if company else Uom.objects.none()


def upload_idempotent(handler):
    """Like core's `idempotent`, for bodies that may carry an uploaded file: the file enters the request's
    fingerprint as its name, size and SHA-256, so the same upload sent twice creates one record."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return handler(self, request, *args, **kwargs)
        body = request.data
        if hasattr(body, "lists"):  # a QueryDict from a form or multipart body
            body = {name: [services.file_fingerprint(value) if isinstance(value, UploadedFile) else value
                           for value in values] for name, values in body.lists()}

        def work():
            response = handler(self, request, *args, **kwargs)
            return response.status_code, response.data

        company = getattr(request, "company", None)
        outcome = idempotency.idempotency_run(
            user=request.user, key=key, method=request.method, path=request.path, body=body,
            scope=company.code if company else "", work=work,
        )
        response = Response(outcome.body, status=outcome.status)
        if outcome.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    wrapper.idempotent = True
    return wrapper


# --- Products ----------------------------------------------------------------------------------------


class ProductFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=ProductType.choices, help_text=_("stock, consumable or service."))
    tracking = django_filters.ChoiceFilter(choices=Tracking.choices)
    category = django_filters.ModelChoiceFilter(
        queryset=_company_categories, method="filter_category",
        help_text=_("Products of this category or of any category below it."))
    uom = django_filters.ModelChoiceFilter(queryset=_company_units)
    barcode = django_filters.CharFilter(method="filter_barcode", help_text=_(
        "Exact barcode look-up (what a scanner reads); spaces around it are ignored."))

    class Meta:
        model = Product
        fields = ["type", "tracking", "category", "uom", "is_active", "is_sold", "is_purchased", "barcode"]

    def filter_category(self, queryset, name, value):
        return products_in_category(queryset, value)

    def filter_barcode(self, queryset, name, value):
        return queryset.filter(barcode=value.strip())


def _product_data(serializer) -> tuple[dict, int | None]:
    data = dict(serializer.validated_data)
    version = data.pop("version", None)
    if "image" in data and data["image"] is None:
        data["image"] = ""  # null removes the image
    return data, version


class ProductViewSet(RecordViewSet):
    """`products/`: what the company buys, sells and stocks. `?barcode=` finds the product a scanner read."""

    module = "masterdata"
    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"\d+"  # the collection is the router's root: keep `categories/`, `uoms/` out of the ids
    filterset_class = ProductFilter
    search_fields = ["sku", "name", "name_en", "barcode"]
    ordering_fields = ["sku", "name", "list_price", "standard_cost", "id"]
    ordering = ["sku"]

    def select(self):
        return product_list(self.request.user, self.request.company)

    @upload_idempotent
    def create(self, request, *args, **kwargs):
        return mixins.CreateModelMixin.create(self, request, *args, **kwargs)

    def perform_create(self, serializer):
        data, _version = _product_data(serializer)
        serializer.instance = services.product_create(actor=self.request.user, company=self.request.company,
                                                      data=data)

    def perform_update(self, serializer):
        data, version = _product_data(serializer)
        serializer.instance = services.product_update(actor=self.request.user, product=serializer.instance,
                                                      data=data, company=self.request.company, version=version)

    def perform_destroy(self, instance):
        services.product_delete(actor=self.request.user, product=instance, company=self.request.company)

    def _set_active(self, request, service):
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = service(actor=request.user, product=self.get_object(), company=request.company,
                          version=body.validated_data.get("version"))
        return Response(self.get_serializer(self.get_queryset().get(pk=product.pk)).data)

    @extend_schema(operation_id="products_deactivate", request=VersionSerializer, responses={200: ProductSerializer})
    @action(detail=True, methods=["post"], url_path="deactivate", url_name="deactivate", required_permission="change")
    @upload_idempotent
    def deactivate(self, request, pk=None):
        """Archive the product: it stays on the records that use it but is no longer offered for new ones.
        409 `invalid_state` when it is inactive already or the version is stale."""
        return self._set_active(request, services.product_deactivate)

    @extend_schema(operation_id="products_activate", request=VersionSerializer, responses={200: ProductSerializer})
    @action(detail=True, methods=["post"], url_path="activate", url_name="activate", required_permission="change")
    @upload_idempotent
    def activate(self, request, pk=None):
        """Bring an archived product back. 409 `invalid_state` when it is active already or the version is stale."""
        return self._set_active(request, services.product_activate)


# --- Product categories ------------------------------------------------------------------------------


class ProductCategoryViewSet(RecordViewSet):
    """`products/categories/`: the category tree; each category's accounts and costing method are the
    defaults of its products, inherited by sub-categories that leave them empty."""

    module = "masterdata"
    queryset = ProductCategory.objects.all()
    serializer_class = ProductCategorySerializer
    filterset_fields = ["parent", "costing_method"]
    search_fields = ["name", "name_en"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def select(self):
        return product_category_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = services.product_category_create(
            actor=self.request.user, company=self.request.company, data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = services.product_category_update(
            actor=self.request.user, category=serializer.instance, data=dict(serializer.validated_data),
            company=self.request.company)

    def perform_destroy(self, instance):
        services.product_category_delete(actor=self.request.user, category=instance, company=self.request.company)


# --- Units -------------------------------------------------------------------------------------------


class UomCategoryViewSet(RecordViewSet):
    """`products/uom-categories/`: kinds of quantity (count, weight, length...); units convert only within one."""

    module = "masterdata"
    queryset = UomCategory.objects.all()
    serializer_class = UomCategorySerializer
    search_fields = ["name", "name_en"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def select(self):
        return uom_category_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = services.uom_category_create(
            actor=self.request.user, company=self.request.company, data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = services.uom_category_update(
            actor=self.request.user, category=serializer.instance, data=dict(serializer.validated_data),
            company=self.request.company)

    def perform_destroy(self, instance):
        services.uom_category_delete(actor=self.request.user, category=instance, company=self.request.company)


class UomViewSet(RecordViewSet):
    """`products/uoms/`: units of measure with their ratio to their category's reference unit."""

    module = "masterdata"
    queryset = Uom.objects.all()
    serializer_class = UomSerializer
    filterset_fields = ["category", "is_reference", "is_active"]
    search_fields = ["name", "name_en", "symbol"]
    ordering_fields = ["name", "ratio", "id"]
    ordering = ["category__name", "ratio", "name"]

    def select(self):
        return uom_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = services.uom_create(actor=self.request.user, company=self.request.company,
                                                  data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = services.uom_update(actor=self.request.user, uom=serializer.instance,
                                                  data=dict(serializer.validated_data), company=self.request.company)

    def perform_destroy(self, instance):
        services.uom_delete(actor=self.request.user, uom=instance, company=self.request.company)

    @extend_schema(operation_id="products_uoms_convert", parameters=[ConvertQuerySerializer],
                   responses={200: ConvertResultSerializer})
    @action(detail=False, methods=["get"], url_path="convert", url_name="convert", required_permission="view",
            filter_backends=[], pagination_class=None)
    def convert(self, request):
        """Express a quantity in another unit of the same category, exactly: `?quantity=5&from=<box id>&to=<piece
        id>`. 400 when the units measure different things, or when the result does not fit the target unit's
        decimal places (5 pieces in boxes of 12) unless `rounding` is given."""
        names = ("quantity", "from", "to", "rounding")
        query = ConvertQuerySerializer(data={name: request.query_params[name] for name in names
                                             if name in request.query_params}, context={"request": request})
        query.is_valid(raise_exception=True)
        values = query.validated_data
        try:
            result = services.uom_convert(quantity=values["quantity"], from_uom=values["from"], to_uom=values["to"],
                                          rounding=ROUNDING_MODES.get(values.get("rounding")))
        except ValidationFailed as error:
            fields = {"to" if name == "uom" else name: messages for name, messages in error.fields.items()}
            raise ValidationFailed(error.message, fields=fields) from error
        quantity = services.as_decimal(values["quantity"])
        return Response({"quantity": f"{quantity:f}", "from": values["from"].pk, "to": values["to"].pk,
                         "result": f"{result:f}"})

    @extend_schema(operation_id="products_uoms_install_defaults", request=None,
                   responses={200: InstallResultSerializer})
    @action(detail=False, methods=["post"], url_path="install-defaults", url_name="install-defaults",
            required_permission="add", filter_backends=[], pagination_class=None)
    @upload_idempotent
    def install_defaults(self, request):
        """Add the standard units the company lacks (pieces, dozens; kg, g, t, 斤; m, cm, mm, km; L, mL, m³;
        hours, 8-hour days). Units the company has (by name) are left as they are."""
        result = services.uom_defaults_install(company=request.company, actor=request.user)
        return Response({"categories": result.categories, "units": result.units}, status=status.HTTP_200_OK)
