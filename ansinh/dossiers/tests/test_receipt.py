"""Receipt by desk, post and online; checks against the registry and the population database;
bad input; attachments; deadline buckets; indicators; the decision documents."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Decision
from ansinh.decisions.tests.factories import Office
from ansinh.documents.testing import pdf_png, pdf_text
from ansinh.dossiers.documents import dossier_document_docx, dossier_document_pdf
from ansinh.dossiers.models import Attachment, Dossier, DossierCheck, Status
from ansinh.dossiers.population import ExtractFileSource, FakePopulationSource, use_population_source
from ansinh.dossiers.selectors import dossier_counts_for_user, dossier_list_for_user, dossier_timeliness
from ansinh.dossiers.services import dossier_attach, dossier_public_find, dossier_transition
from ansinh.dossiers.tests.helpers import ELDER_ID, elder, form01, population_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


def outcomes(dossier):
    return {c.kind: c.outcome for c in DossierCheck.objects.filter(dossier=dossier)}


def test_online_receipt_gets_a_code_a_deadline_and_checks(office):
    person = elder(office)
    population_with(person)
    dossier = form01(office, person)
    assert dossier.code.startswith("HS-") and len(dossier.code) == 12
    assert (dossier.channel, dossier.received_on, dossier.deadline_days) == (
        "online",
        dt.date(2026, 11, 2),
        7,
    )
    assert dossier.deadline == dt.date(2026, 11, 11)
    assert dossier.subject == person and dossier.received_by is None
    assert outcomes(dossier) == {
        "registry": "passed",
        "identity": "passed",
        "age": "passed",
        "residence": "passed",
        "household": "passed",
        "death": "passed",
    }
    assert AuditEvent.objects.filter(action="dossier.receive", entity_id=str(dossier.pk)).exists()


def test_post_counts_from_the_postmark_date(office):
    person = elder(office)
    population_with(person)
    with pytest.raises(InvalidInput) as error:
        form01(office, person, actor=office.officer, channel="post")
    assert "postmark_date" in error.value.fields
    dossier = form01(office, person, actor=office.officer, channel="post", postmark_date=dt.date(2026, 10, 2))
    # Posted 2 Oct 2026, before Decree 335 took effect: 10 working days (Decree 147/2025).
    assert (dossier.received_on, dossier.deadline_days, dossier.deadline) == (
        dt.date(2026, 10, 2),
        10,
        dt.date(2026, 10, 16),
    )


def test_a_citizen_cannot_file_at_the_desk_without_an_officer(office):
    person = elder(office)
    with pytest.raises(NotAllowed):
        form01(office, person, actor=None, channel="desk")
    assert Dossier.objects.count() == 0


def test_an_unreachable_population_database_leaves_checks_not_done(office):
    person = elder(office)
    use_population_source(FakePopulationSource(unreachable=True))
    dossier = form01(office, person)
    result = outcomes(dossier)
    assert result.pop("registry") == "passed"
    assert set(result.values()) == {"not_done"}
    assert "Không kết nối được" in DossierCheck.objects.filter(dossier=dossier, kind="identity").get().detail


def test_no_population_source_configured_is_not_done_too(office):
    person = elder(office)
    use_population_source(None)
    dossier = form01(office, person)
    assert DossierCheck.objects.get(dossier=dossier, kind="death").outcome == "not_done"


def test_the_extract_file_in_csv_and_json(office, tmp_path):
    person = elder(office)
    csv_file = tmp_path / "dan_cu.csv"
    csv_file.write_text(
        "personal_id,full_name,birth_date,sex,commune_code,household_code,date_of_death\n"
        f"{ELDER_ID},Hoàng Văn Thụ,1946-05-01,M,00002,HK-9,\n",
        encoding="utf-8",
    )
    use_population_source(ExtractFileSource(csv_file))
    dossier = form01(office, person)
    assert outcomes(dossier)["residence"] == "failed"  # lives in 00002 per the population data
    assert outcomes(dossier)["identity"] == "passed"
    json_file = tmp_path / "dan_cu.json"
    json_file.write_text(
        json.dumps(
            [
                {
                    "personal_id": ELDER_ID,
                    "full_name": "Hoàng Văn Thụ",
                    "birth_date": "1946-05-01",
                    "commune_code": "00001",
                    "household_code": "HK-1",
                    "date_of_death": "2026-10-01",
                }
            ]
        )
    )
    assert ExtractFileSource(json_file).lookup(ELDER_ID).date_of_death == dt.date(2026, 10, 1)
    broken = ExtractFileSource(tmp_path / "missing.csv")
    use_population_source(broken)
    Dossier.objects.all().delete()
    dossier = form01(office, person)
    assert outcomes(dossier)["identity"] == "not_done"


def test_an_application_for_a_benefit_already_received_writes_nothing(office):
    person = elder(office)
    office.grant(person, signed_on=dt.date(2026, 9, 1), coefficient="2", category="5a")
    before = (Dossier.objects.count(), DossierCheck.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as error:
        form01(office, person, actor=office.officer, channel="desk")
    assert "đang hưởng" in error.value.fields["benefit"]
    with pytest.raises(InvalidInput) as error:  # online: the refusal names no benefit, no person
        form01(office, person)
    assert "đang hưởng" not in error.value.message and person.full_name not in error.value.message
    assert (Dossier.objects.count(), DossierCheck.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject_personal_id": "12345"}, "subject_personal_id"),
        ({"commune": "99999"}, "commune"),
        ({"applicant_phone": "12"}, "applicant_phone"),
        ({"applicant_email": "khong-phai-thu"}, "applicant_email"),
    ],
)
def test_bad_input_names_the_field(office, fields, field):
    from ansinh.dossiers.services import dossier_submit

    data = {
        "form": "01",
        "channel": "online",
        "commune": "00001",
        "subject_personal_id": ELDER_ID,
        "subject_name": "Hoàng Văn Thụ",
        **fields,
    }
    with pytest.raises(InvalidInput) as error:
        dossier_submit(**data)
    assert field in error.value.fields
    assert Dossier.objects.count() == 0


def test_the_citizen_finds_the_dossier_only_with_code_and_personal_id(office):
    person = elder(office)
    dossier = form01(office, person)
    assert dossier_public_find(dossier.code.lower(), ELDER_ID) == dossier
    assert dossier_public_find(dossier.code, "001046000322") is None
    assert dossier_public_find("HS-AAAA-BBBB", ELDER_ID) is None


def test_attachments_are_checked_by_size_and_content(office, settings):
    person = elder(office)
    dossier = form01(office, person)
    pdf = SimpleUploadedFile("giay.pdf", b"%PDF-1.4\n...", content_type="application/pdf")
    attachment = dossier_attach(actor=office.officer, dossier=dossier, upload=pdf)
    assert (attachment.content_type, attachment.size) == ("application/pdf", 12)
    assert attachment.file.path.startswith(settings.MEDIA_ROOT)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(InvalidInput) as error:
        dossier_attach(actor=office.officer, dossier=dossier, upload=fake)
    assert "file" in error.value.fields
    settings.ANSINH_DOSSIER_MAX_UPLOAD = 10
    big = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    with pytest.raises(InvalidInput):
        dossier_attach(actor=office.officer, dossier=dossier, upload=big)
    other = Office("00002")
    with pytest.raises(NotAllowed):
        dossier_attach(actor=other.officer, dossier=dossier, upload=pdf)
    assert Attachment.objects.count() == 1


def test_deadline_buckets_and_indicators(office, today):
    person = elder(office)
    population_with(person)
    late = form01(office, person)  # received 2 Nov, due 11 Nov
    second = elder(office, personal_id="001046000322")
    today(dt.date(2026, 11, 3))
    on_time = form01(office, second, actor=office.officer, channel="desk")  # due 12 Nov
    for d in (on_time,):
        d = dossier_transition(actor=office.officer, dossier=d, action="start_check")
        d = dossier_transition(
            actor=office.officer, dossier=d, action="propose", outcome="refuse", note="Có người phụng dưỡng."
        )
        dossier_transition(actor=office.chairman, dossier=d, action="refuse", reason="Có người phụng dưỡng.")
    today(dt.date(2026, 11, 12))
    counts = dossier_counts_for_user(office.officer)
    assert counts == {"forwarded": 0, "overdue": 1, "due": 0, "on_time": 1, "late": 0}
    assert list(dossier_list_for_user(office.officer, bucket="overdue")) == [late]
    # The province sees the overdue dossier; another commune does not.
    from ansinh.accounts.models import Role
    from ansinh.registry.tests.factories import make_user

    province = make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province)
    assert list(dossier_list_for_user(province, bucket="overdue")) == [late]
    assert dossier_counts_for_user(Office("00002").officer)["overdue"] == 0
    rows = dossier_timeliness("01", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert rows == [
        {
            "commune_code": "00001",
            "commune_name": office.commune.name,
            "received": 2,
            "decided": 1,
            "decided_on_time": 1,
            "share_on_time": 1.0,
            "median_processing_days": 0.0,
            "filed_online": 1,
            "share_online": 0.5,
        }
    ]
    assert dossier_timeliness("00002", dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == []


def test_the_decision_pdf_rendered_to_an_image_shows_its_key_fields(office, today):
    person = elder(office)
    dossier = form01(office, person)
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="propose", outcome="grant")
    today(dt.date(2026, 11, 4))  # signed two days after the receipt
    dossier = dossier_transition(
        actor=office.chairman,
        dossier=dossier,
        action="grant",
        number="15/QĐ-UBND",
        signed_on=dt.date(2026, 11, 4),
        signer_name="Lê Văn Hùng",
    )
    pdf = dossier_document_pdf(dossier)
    png = pdf_png(pdf)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "15/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "Hoàng Văn Thụ",
        ELDER_ID,
        "1.080.000",
        "11/2026",
        "Lê Văn Hùng",
        dossier.code,
    ):
        assert expected in text, expected
    docx = dossier_document_docx(dossier)
    from docx import Document

    document = Document(io.BytesIO(docx))
    # The number sits in the header table of the official layout, the rest in the body.
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    body = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "15/QĐ-UBND" in body and "Hoàng Văn Thụ" in body and "1.080.000" in body
    assert body.count("Ủy ban nhân dân") + body.count("ỦY BAN NHÂN DÂN") >= 1
    assert "ỦY BAN NHÂN DÂN Ủy ban nhân dân" not in body


def test_the_refusal_letter_carries_the_reason(office):
    person = elder(office)
    dossier = form01(office, person)
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(
        actor=office.officer,
        dossier=dossier,
        action="propose",
        outcome="refuse",
        note="Còn con trai phụng dưỡng.",
    )
    dossier = dossier_transition(
        actor=office.chairman, dossier=dossier, action="refuse", reason="Còn con trai phụng dưỡng."
    )
    text = " ".join(pdf_text(dossier_document_pdf(dossier)).split())
    assert "THÔNG BÁO" in text and "Còn con trai phụng dưỡng." in text
    with pytest.raises(Conflict):
        dossier_document_pdf(form01(office, elder(office, personal_id="001046000323")))
    assert Decision.objects.filter(status="draft").count() == 0
    assert dossier.status == Status.REFUSED


def test_a_province_declares_its_days_and_deadlines_follow(office):
    from ansinh.accounts.models import Role
    from ansinh.dossiers.services import declared_day_set
    from ansinh.registry.tests.factories import make_user

    province_officer = make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province)
    with pytest.raises(NotAllowed):
        declared_day_set(
            actor=office.officer, province_code="01", day=dt.date(2026, 11, 3), is_working_day=False
        )
    # Tuesday 3 Nov 2026 declared a substitute day off: a dossier received on 2 Nov is due a day later.
    declared_day_set(
        actor=province_officer,
        province_code="01",
        day=dt.date(2026, 11, 3),
        is_working_day=False,
        note="Nghỉ bù",
    )
    person = elder(office)
    dossier = form01(office, person)
    assert dossier.deadline == dt.date(2026, 11, 12)
    assert AuditEvent.objects.filter(action="calendar.declare").count() == 1


def test_form_04_is_forwarded_within_three_plus_two_working_days(office, today):
    from ansinh.dossiers.services import dossier_submit

    person = elder(office)
    dossier = dossier_submit(
        actor=office.officer,
        form="04",
        channel="desk",
        commune="00001",
        subject_personal_id=ELDER_ID,
        subject_name=person.full_name,
        form_data={
            "facility_name": "Trung tâm Bảo trợ xã hội tỉnh",
            "admission_reason": "Không nơi nương tựa",
        },
    )
    # Received Monday 2 Nov: the commune forwards by Thursday 5 Nov (3 wd), all done by 9 Nov.
    assert (dossier.benefit, dossier.deadline_days, dossier.deadline, dossier.commune_deadline) == (
        "institution_admission",
        5,
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 5),
    )
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="propose", outcome="grant")
    assert dossier.decision is None
    with pytest.raises(Conflict):  # the commune does not grant Form 04: it forwards
        dossier_transition(
            actor=office.chairman, dossier=dossier, action="grant", signed_on=dt.date(2026, 11, 4)
        )
    today(dt.date(2026, 11, 4))
    dossier = dossier_transition(actor=office.chairman, dossier=dossier, action="forward")
    # The facility's 2 wd count from the day the commune forwards (Wed 4 Nov → Fri 6 Nov).
    assert (dossier.status, dossier.forwarded_on, dossier.facility_deadline, dossier.decided_on) == (
        Status.FORWARDED,
        dt.date(2026, 11, 4),
        dt.date(2026, 11, 6),
        None,
    )
    with pytest.raises(InvalidInput) as error:
        dossier_submit(
            actor=office.officer,
            form="04",
            channel="desk",
            commune="00001",
            subject_personal_id="001046000322",
            subject_name="Người Khác",
            form_data={},
        )
    assert {"facility_name", "admission_reason"} <= set(error.value.fields)
