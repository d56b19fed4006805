"""F3: every decision prints (PDF and DOCX) from /quyet-dinh/<id>/, whatever its kind, in the
official layout with the province line "UBND TỈNH NGHỆ AN"; a draft is marked "DỰ THẢO"; a
decision outside the user's area is a 404."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from ansinh.decisions.services import decision_prepare, decision_sign, funeral_decision_prepare
from ansinh.decisions.tests.factories import Office
from ansinh.documents.decision import (
    article_one,
    decision_document_context,
    decision_docx,
    decision_filename,
    decision_pdf,
)
from ansinh.documents.testing import pdf_text

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 28)


@pytest.fixture
def office(nghe_an, national_levels_only):
    return nghe_an


def _flat(text: str) -> str:
    return " ".join(text.split())


def _grant(office, **person):
    person = office.person(full_name="Nguyễn Thị Hoa", sex="F", birth_year=1946, **person)
    decision = decision_prepare(
        actor=office.officer,
        person=person,
        kind="grant",
        benefit="monthly_allowance",
        coefficient="1.5",
        category="5a",
        legal_basis="Căn cứ điểm a khoản 5 Điều 5 Nghị định 335/2026/NĐ-CP: người cao tuổi.",
    )
    return person, decision


def test_a_signed_grant_prints_in_the_official_layout(office):
    _, draft = _grant(office)
    decision = decision_sign(
        actor=office.chairman, decision=draft, number="7/QĐ-UBND", signed_on=NOV, signer_name="Trần Văn Chủ"
    )
    text = pdf_text(decision_pdf(decision))
    flat = _flat(text)
    for expected in (
        "UBND TỈNH NGHỆ AN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH VINH",
        "Số: 7/QĐ-UBND",
        "Phường Thành Vinh, ngày 28 tháng 11 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc trợ cấp xã hội hằng tháng",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG THÀNH VINH",
        "Căn cứ Nghị định số 335/2026/NĐ-CP",
        "Điều 1. Trợ cấp xã hội hằng tháng đối với bà Nguyễn Thị Hoa, sinh năm 1946",
        "đối tượng quy định tại điểm a khoản 5 Điều 5 Nghị định 335/2026/NĐ-CP, hệ số 1,5",
        "Mức hưởng: 810.000 đồng/tháng, kể từ tháng 11/2026",
        "Điều 2.",
        "Điều 3.",
        "TM. ỦY BAN NHÂN DÂN",
        "Trần Văn Chủ",
    ):
        assert expected in flat, expected
    assert "UBND NGHỆ AN" not in flat
    assert "DỰ THẢO" not in flat
    # The recorded legal basis is cited once, without a second "Căn cứ".
    assert "Căn cứ tính: điểm a khoản 5 Điều 5" in flat
    assert "Căn cứ Căn cứ" not in flat and "Căn cứ tính: Căn cứ" not in flat
    assert decision_filename(decision, "pdf") == "quyet-dinh_7-QĐ-UBND.pdf"


def test_a_draft_prints_marked_du_thao_without_number_or_date(office):
    _, draft = _grant(office)
    flat = _flat(pdf_text(decision_pdf(draft)))
    assert "DỰ THẢO" in flat
    assert "Số: ……" in flat
    assert "ngày … tháng … năm …" in flat
    assert "kể từ tháng ký quyết định" in flat
    assert decision_filename(draft, "pdf") == f"du-thao_{draft.pk}.pdf"


def test_every_kind_of_decision_prints(office):
    person = office.person(full_name="Lê Văn Bình", birth_year=1950)
    office.grant(person, signed_on=dt.date(2026, 7, 10), coefficient="2.5", category="1")
    adjust = office.decide(
        person=person,
        kind="adjust",
        signed_on=dt.date(2026, 8, 3),
        coefficient="1.5",
        category="1",
        event_date=dt.date(2026, 8, 1),
    )
    suspend = office.decide(
        person=person,
        kind="suspend",
        signed_on=dt.date(2026, 9, 20),
        effective_month=dt.date(2026, 9, 1),
        reason="Không nhận tiền 3 tháng liên tiếp",
    )
    resume = office.decide(person=person, kind="resume", signed_on=dt.date(2026, 10, 5))
    new_place = Office("99902", province="40")
    handover = office.hand_over(
        person, to="99902", signed_on=dt.date(2026, 11, 2), effective_month=dt.date(2026, 11, 1)
    )
    taken_in = decision_prepare(
        actor=new_place.officer,
        person=person,
        kind="transfer",
        benefit="monthly_allowance",
        target_commune="99902",
    )
    taken_in = decision_sign(
        actor=new_place.chairman, decision=taken_in, number="3/QĐ-UBND", signed_on=dt.date(2026, 11, 4)
    )
    other = office.person(full_name="Phạm Thị Cúc", sex="F")
    office.grant(other, signed_on=dt.date(2026, 7, 10))
    stop = office.decide(person=other, kind="stop", signed_on=NOV, event_date=dt.date(2026, 10, 10))

    expected = {
        adjust: (
            "Về việc điều chỉnh mức trợ cấp xã hội hằng tháng",
            "Điều 1. Điều chỉnh mức trợ cấp xã hội hằng tháng đối với ông Lê Văn Bình",
        ),
        suspend: (
            "Về việc tạm dừng chi trả trợ cấp xã hội hằng tháng",
            "kể từ tháng 09/2026. Lý do: Không nhận tiền 3 tháng liên tiếp.",
        ),
        resume: (
            "Về việc tiếp tục chi trả trợ cấp xã hội hằng tháng",
            "Điều 1. Tiếp tục chi trả trợ cấp xã hội hằng tháng đối với ông Lê Văn Bình",
        ),
        handover: (
            "Về việc chuyển nơi hưởng trợ cấp xã hội hằng tháng",
            "chuyển hồ sơ đến Ủy ban nhân dân Xã Thử 99902",
        ),
        taken_in: (
            "Về việc chuyển nơi hưởng trợ cấp xã hội hằng tháng",
            "Tiếp nhận và chi trả trợ cấp xã hội hằng tháng tại Xã Thử 99902",
        ),
        stop: (
            "Về việc thôi hưởng trợ cấp xã hội hằng tháng",
            "Điều 1. Thôi hưởng trợ cấp xã hội hằng tháng đối với bà Phạm Thị Cúc",
        ),
    }
    for decision, (subject, article) in expected.items():
        flat = _flat(pdf_text(decision_pdf(decision)))
        assert subject in flat, (decision.kind, flat)
        assert article in flat, (decision.kind, flat)
        assert "UBND TỈNH NGHỆ AN" in flat
    assert "kể từ tháng 11/2026" in article_one(stop)  # the month after the death


def test_a_funeral_support_prints_the_one_off_amount(office):
    person = office.person(full_name="Đỗ Thị Liên", sex="F", date_of_death=dt.date(2026, 10, 18))
    draft = funeral_decision_prepare(actor=office.officer, person=person, amount=10_800_000)
    decision = decision_sign(actor=office.chairman, decision=draft, number="9/QĐ-UBND", signed_on=NOV)
    flat = _flat(pdf_text(decision_pdf(decision)))
    assert "Về việc hỗ trợ chi phí mai táng" in flat
    assert "Hỗ trợ chi phí mai táng đối với bà Đỗ Thị Liên" in flat
    assert "đã chết ngày 18/10/2026" in flat
    assert "Mức hỗ trợ: 10.800.000 đồng, chi trả một lần" in flat
    assert "đồng/tháng" not in flat


def test_the_docx_is_filled_and_editable(office):
    from docx import Document

    _, draft = _grant(office)
    document = Document(io.BytesIO(decision_docx(draft)))
    texts = [p.text for p in document.paragraphs]
    cells = [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
    assert "DỰ THẢO" in texts
    assert "Về việc trợ cấp xã hội hằng tháng" in texts
    assert any(t.startswith("Điều 1. Trợ cấp xã hội hằng tháng đối với bà Nguyễn Thị Hoa") for t in texts)
    assert "UBND TỈNH NGHỆ AN" in cells
    assert "Số: ……/QĐ-UBND" in cells
    assert not any("{{" in t or "{%" in t for t in texts + cells)

    signed = decision_sign(actor=office.chairman, decision=draft, number="8/QĐ-UBND", signed_on=NOV)
    document = Document(io.BytesIO(decision_docx(signed)))
    texts = [p.text for p in document.paragraphs]
    cells = [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
    assert "DỰ THẢO" not in texts
    assert "Số: 8/QĐ-UBND" in cells
    assert "Phường Thành Vinh, ngày 28 tháng 11 năm 2026" in cells


def test_a_dossier_style_considering_line(office):
    _, draft = _grant(office)
    context = decision_document_context(
        draft, considering_text="Xét hồ sơ số HS-1 tiếp nhận ngày 01/11/2026;"
    )
    assert context["considering"] == "Xét hồ sơ số HS-1 tiếp nhận ngày 01/11/2026;"
    assert context["doc"]["issuer_parent"] == "UBND TỈNH NGHỆ AN"


def test_pages_link_and_serve_the_documents_inside_the_area_only(office, client):
    _, draft = _grant(office)
    client.force_login(office.chairman)
    page = client.get(reverse("web:decision_detail", kwargs={"decision_id": draft.pk}))
    pdf_url = reverse("documents:decision_pdf", kwargs={"decision_id": draft.pk})
    docx_url = reverse("documents:decision_docx", kwargs={"decision_id": draft.pk})
    assert pdf_url in page.content.decode() and docx_url in page.content.decode()

    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "DỰ THẢO" in pdf_text(response.content)
    response = client.get(docx_url)
    assert response.status_code == 200
    assert response.content.startswith(b"PK")

    outsider = Office("99903", province="40")
    client.force_login(outsider.officer)
    assert client.get(pdf_url).status_code == 404
    assert client.get(docx_url).status_code == 404
    client.logout()
    assert client.get(pdf_url).status_code == 302  # to the login page
