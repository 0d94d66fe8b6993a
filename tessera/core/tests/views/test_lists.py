"""The generic list: search, sorting, pagination, column choice, htmx partials, CSV and XLSX export."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tessera.core.models import Sequence

URL = "/settings/numbering/"


@pytest.fixture
def sequences(company):
    return [
        Sequence.objects.create(company=company, code=f"doc{number:02d}", name=f"Document {number}",
                                prefix=f"D{number}-", padding=4 + number % 3)
        for number in range(30)
    ]


def codes(response) -> list[str]:
    return [obj.code for obj, _cells, _url in response.context["rows"]]


@pytest.mark.django_db
def test_the_list_url_is_the_menu_entry(sequences):
    assert reverse("core:sequence_list") == URL


@pytest.mark.django_db
def test_the_first_page_holds_25_rows_in_code_order(admin_web, sequences):
    response = admin_web.get(URL)
    assert codes(response) == [f"doc{number:02d}" for number in range(25)]
    assert response.context["page_obj"].paginator.count == 30


@pytest.mark.django_db
def test_page_two_holds_the_rest(admin_web, sequences):
    assert codes(admin_web.get(URL + "?page=2")) == [f"doc{number:02d}" for number in range(25, 30)]


@pytest.mark.django_db
def test_search_matches_the_declared_fields(admin_web, sequences):
    assert codes(admin_web.get(URL + "?q=Document 1")) == ["doc01"] + [f"doc{n}" for n in range(10, 20)]


@pytest.mark.django_db
def test_clicking_a_header_sorts_descending_the_second_time(admin_web, sequences):
    assert codes(admin_web.get(URL + "?sort=-code"))[:3] == ["doc29", "doc28", "doc27"]


@pytest.mark.django_db
def test_sorting_by_a_column_that_does_not_exist_is_ignored(admin_web, sequences):
    assert codes(admin_web.get(URL + "?sort=company__name"))[:2] == ["doc00", "doc01"]


@pytest.mark.django_db
def test_sort_links_keep_the_search(admin_web, sequences):
    content = admin_web.get(URL + "?q=doc2").content.decode()
    assert "?q=doc2&amp;sort=code" in content


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_table(admin_web, sequences):
    response = admin_web.get(URL + "?q=doc2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-table")
    content = response.content.decode()
    assert "<html" not in content
    assert "<table" in content
    assert codes(response) == [f"doc{n}" for n in range(20, 30)]


@pytest.mark.django_db
def test_chosen_columns_are_shown_and_remembered(admin_web, sequences):
    chosen = admin_web.get(URL + "?columns_set=1&columns=code&columns=prefix")
    assert [column.name for column in chosen.context["visible_columns"]] == ["code", "prefix"]
    later = admin_web.get(URL)
    assert [column.name for column in later.context["visible_columns"]] == ["code", "prefix"]


@pytest.mark.django_db
def test_choosing_no_column_restores_the_defaults(admin_web, sequences):
    admin_web.get(URL + "?columns_set=1&columns=code")
    response = admin_web.get(URL + "?columns_set=1")
    assert [column.name for column in response.context["visible_columns"]] == ["code", "name", "prefix", "padding",
                                                                              "reset"]


@pytest.mark.django_db
def test_csv_export_holds_every_filtered_row_in_the_visible_columns(admin_web, sequences):
    admin_web.get(URL + "?columns_set=1&columns=code&columns=padding")
    response = admin_web.get(URL + "?q=doc1&sort=-code&export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sequence-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Document type", "Padding"]
    assert rows[1:] == [[f"doc{n}", str(4 + n % 3)] for n in range(19, 9, -1)]


@pytest.mark.django_db
def test_xlsx_export_holds_every_filtered_row(admin_web, sequences):
    response = admin_web.get(URL + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Document type", "Name", "Prefix", "Padding", "Reset")
    assert len(rows) == 31  # all 30, not one page
    assert rows[1] == ("doc00", "Document 0", "D0-", 4, "Every fiscal year")


@pytest.mark.django_db
def test_filters_narrow_the_list(admin_web, company):
    from tessera.core.tests.factories import CompanyFactory

    CompanyFactory(code="IDLE", name="Idle", is_active=False)
    response = admin_web.get(reverse("core:company_list") + "?is_active=true")
    assert [obj.code for obj, _c, _u in response.context["rows"]] == ["ACME"]


@pytest.mark.django_db
def test_audit_trail_filters_by_action_and_user(admin_web, admin_user, company):
    from tessera.core.services.companies import company_update

    company_update(actor=admin_user, company=company, data={"name": "Acme Renamed"})
    response = admin_web.get(reverse("core:audit_list") + "?action=update&content_type=&actor=&q=ACME")
    rows = [obj for obj, _c, _u in response.context["rows"]]
    assert [(entry.action, entry.changes.get("name")) for entry in rows] == [("update", ["Acme Trading",
                                                                                         "Acme Renamed"])]
