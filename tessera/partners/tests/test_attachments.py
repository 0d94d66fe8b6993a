"""Attachments on a record without a life cycle (a partner): checks on upload, permissions, API, screens."""

import hashlib
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import Attachment
from tessera.core.services.attachments import attachment_add, attachment_delete, attachments_of
from tessera.partners.tests.factories import PartnerFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def partner(company):
    return PartnerFactory(company=company, name="上海供应商有限公司")


@pytest.fixture
def clerk(make_user):
    return make_user("accountant", username="clerk1")


def test_a_pdf_is_attached_with_its_fingerprint(partner, clerk):
    attachment = attachment_add(actor=clerk, record=partner, file=upload("合同.pdf", PDF), description="Contract")

    assert list(attachments_of(partner)) == [attachment]
    assert (attachment.filename, attachment.mime_type, attachment.size) == ("合同.pdf", "application/pdf", len(PDF))
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.file.read() == PDF


def test_an_image_is_checked_by_opening_it(partner, clerk):
    attachment = attachment_add(actor=clerk, record=partner, file=upload("scan.png", png_bytes()))
    assert attachment.mime_type == "image/png"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("invoice.pdf", b"MZ\x90\x00 not a pdf", "not a valid PDF"),
    ("photo.png", b"\x89PNG\r\n\x1a\n broken", "not a valid PNG"),
    ("page.html", b"<script>alert(1)</script>", "cannot be attached"),
    ("logo.svg", b"<svg onload=alert(1)>", "cannot be attached"),
    ("tool.exe", b"MZ\x90\x00", "cannot be attached"),
    ("notes.txt", b"a\x00b", "not a valid TXT"),
    ("empty.pdf", b"", "empty"),
])
def test_a_bad_file_is_refused_and_nothing_is_stored(partner, clerk, name, content, message):
    with pytest.raises(ValidationFailed) as error:
        attachment_add(actor=clerk, record=partner, file=upload(name, content))

    assert message in " ".join(str(m) for m in error.value.fields["file"])
    assert Attachment.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(partner, clerk, settings):
    settings.ATTACHMENT_MAX_BYTES = 20
    with pytest.raises(ValidationFailed):
        attachment_add(actor=clerk, record=partner, file=upload("big.pdf", PDF))
    assert Attachment.objects.count() == 0


def test_gbk_text_is_accepted(partner, clerk):
    attachment = attachment_add(actor=clerk, record=partner, file=upload("对账.csv", "日期,金额\n".encode("gbk")))
    assert attachment.mime_type == "text/csv"


def test_a_path_in_the_file_name_is_dropped(partner, clerk):
    attachment = attachment_add(actor=clerk, record=partner, file=upload("../../etc/passwd.txt", b"x"))
    assert attachment.filename == "passwd.txt"


def test_someone_who_may_not_change_the_record_cannot_attach(partner, make_user):
    auditor = make_user("auditor", username="auditor1")
    with pytest.raises(PermissionDenied):
        attachment_add(actor=auditor, record=partner, file=upload("a.pdf", PDF))
    assert Attachment.objects.count() == 0


def test_a_file_of_a_record_without_life_cycle_can_be_removed(partner, clerk, django_capture_on_commit_callbacks):
    attachment = attachment_add(actor=clerk, record=partner, file=upload("a.pdf", PDF))
    stored = attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(actor=clerk, attachment=attachment)

    assert Attachment.objects.count() == 0
    assert not attachment.file.storage.exists(stored)


# --- API -----------------------------------------------------------------------------------------

def test_api_upload_list_download_and_remove(partner, clerk, api_client_for):
    api = api_client_for(clerk)
    url = f"/api/v1/partners/{partner.pk}/attachments/"

    created = api.post(url, {"file": upload("合同.pdf", PDF), "description": "Contract"}, format="multipart")
    assert created.status_code == 201, created.content
    listed = api.get(url)
    assert [(row["filename"], row["size"], row["description"]) for row in listed.json()] == [
        ("合同.pdf", len(PDF), "Contract")]
    download = api.get(f"{url}{created.json()['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment;" in download["Content-Disposition"]

    assert api.delete(f"{url}{created.json()['id']}/").status_code == 204
    assert api.get(url).json() == []


def test_api_bad_file_is_a_400_with_the_field(partner, clerk, api_client_for):
    response = api_client_for(clerk).post(f"/api/v1/partners/{partner.pk}/attachments/",
                                          {"file": upload("x.html", b"<b>")}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "file" in response.json()["error"]["fields"]


def test_api_viewer_reads_but_cannot_upload(partner, clerk, make_user, api_client_for):
    attachment_add(actor=clerk, record=partner, file=upload("a.pdf", PDF))
    viewer = api_client_for(make_user("warehouse_clerk", username="clerk9"))
    url = f"/api/v1/partners/{partner.pk}/attachments/"

    assert len(viewer.get(url).json()) == 1
    refused = viewer.post(url, {"file": upload("b.pdf", PDF)}, format="multipart")
    assert refused.status_code == 403
    assert Attachment.objects.count() == 1


def test_api_another_companys_record_is_404(partner, other_company, make_user, api_client_for):
    outsider = make_user("accountant", username="other1", companies=[other_company])
    response = api_client_for(outsider).get(f"/api/v1/partners/{partner.pk}/attachments/")
    assert response.status_code == 404


# --- screens -------------------------------------------------------------------------------------

def test_the_partner_page_has_an_attachments_tab_and_upload_works(client, partner, clerk):
    client.force_login(clerk)
    pane = reverse("core:attachment_pane", args=[ContentType.objects.get_for_model(partner).pk, partner.pk])

    page = client.get(reverse("partners:partner_detail", args=[partner.pk]))
    assert page.status_code == 200
    assert pane in page.content.decode()

    response = client.post(pane, {"file": upload("合同.pdf", PDF)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "合同.pdf" in response.content.decode()
    attachment = Attachment.objects.get()
    download = client.get(reverse("core:attachment_file", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_the_screen_shows_why_a_file_was_refused(client, partner, clerk):
    client.force_login(clerk)
    pane = reverse("core:attachment_pane", args=[ContentType.objects.get_for_model(partner).pk, partner.pk])
    response = client.post(pane, {"file": upload("x.exe", b"MZ")}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "cannot be attached" in response.content.decode()
    assert Attachment.objects.count() == 0
