"""An attachment downloads under its Vietnamese name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.services import dossier_attach
from ansinh.dossiers.tests.helpers import elder, form01

pytestmark = pytest.mark.django_db


def test_an_attachment_downloads_under_its_vietnamese_name(client, national_levels, today):
    office = Office("00001")
    dossier = form01(office, elder(office))
    upload = SimpleUploadedFile("Giấy xác nhận.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    attachment = dossier_attach(actor=office.officer, dossier=dossier, upload=upload)
    client.force_login(office.officer)
    response = client.get(f"/ho-so/tep/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "Gi%E1%BA%A5y%20x%C3%A1c%20nh%E1%BA%ADn.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
