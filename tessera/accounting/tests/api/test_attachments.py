"""A voucher's supporting documents (原始凭证) through the API: kept once the voucher is posted."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.core.models import Attachment

PDF = b"%PDF-1.4\n%%EOF\n"


def test_a_draft_vouchers_file_can_be_removed(api, entry_body):
    entry = api.post("/api/v1/accounting/entries/", entry_body(), format="json").json()
    url = f"/api/v1/accounting/entries/{entry['id']}/attachments/"
    created = api.post(url, {"file": SimpleUploadedFile("发票.pdf", PDF)}, format="multipart").json()

    assert api.delete(f"{url}{created['id']}/").status_code == 204
    assert Attachment.objects.count() == 0


def test_a_posted_voucher_takes_more_files_but_keeps_them(api, entry_body):
    entry = api.post("/api/v1/accounting/entries/", entry_body(), format="json").json()
    url = f"/api/v1/accounting/entries/{entry['id']}/attachments/"
    first = api.post(url, {"file": SimpleUploadedFile("发票.pdf", PDF)}, format="multipart").json()
    assert api.post(f"/api/v1/accounting/entries/{entry['id']}/post/", format="json").status_code == 200

    added = api.post(url, {"file": SimpleUploadedFile("回单.pdf", PDF)}, format="multipart")
    refused = api.delete(f"{url}{first['id']}/")

    assert added.status_code == 201
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "invalid_state"
    assert sorted(Attachment.objects.values_list("filename", flat=True)) == ["发票.pdf", "回单.pdf"]
