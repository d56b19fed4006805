"""Writes on dossiers: receive (desk, post, online), check against the registry and the
population database, move through the workflow table (ansinh.dossiers.workflow), attach
documents, and the life events that open dossiers (a recorded death opens the funeral dossier).

A grant goes through the decisions services (decision_prepare by the officer when proposing,
decision_sign by the chairman when granting), with the amount the law gives.
"""

import datetime as dt
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.roles import can_write
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune
from ansinh.core.audit import audit_record, create_audited, snapshot
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.money import format_vnd
from ansinh.core.months import current_month, format_month
from ansinh.core.text import nfc
from ansinh.core.workdays import working_days_between
from ansinh.decisions import services as decisions
from ansinh.decisions.models import Benefit, DecisionStatus, Entitlement
from ansinh.dossiers import population
from ansinh.dossiers.deadlines import DEADLINES, deadline_for, step_deadline
from ansinh.dossiers.models import (
    BIRTH_PRECISION_KEY,
    Attachment,
    Channel,
    CheckOutcome,
    CheckSource,
    Dossier,
    DossierCheck,
    DossierEvent,
    Form,
    Status,
)
from ansinh.dossiers.notify import notify_applicant
from ansinh.dossiers.workflow import CITIZEN, TRANSITIONS, role_of
from ansinh.registry.birth import PartialDate
from ansinh.registry.models import HouseholdMember, Person
from ansinh.registry.personal_id import validate_personal_id

INSTITUTION = "institution_admission"

# The fields each form asks for besides the person and the applicant (Decree 335/2026 Art. 7,
# Forms 01–04): name → (label, type, required). Types: bool, int, text, date.
FORM_FIELDS: dict[str, dict[str, tuple[str, str, bool]]] = {
    Form.FORM_01: {
        "no_supporter": ("Không có người có nghĩa vụ và quyền phụng dưỡng", "bool", False),
        "single_parent": ("Người đơn thân nghèo đang nuôi con", "bool", False),
        "single_parent_children": ("Số con dưới 16 tuổi đang nuôi", "int", False),
        "has_hiv": ("Người nhiễm HIV/AIDS", "bool", False),
        "studying": ("Đang đi học (từ 16 tuổi)", "bool", False),
        "receives_pension": ("Đang hưởng lương hưu hoặc trợ cấp BHXH hằng tháng", "bool", False),
        "bank_account": ("Số tài khoản nhận tiền (nếu có)", "text", False),
    },
    Form.FORM_02: {
        "cared_person_name": ("Họ tên người được chăm sóc, nuôi dưỡng", "text", True),
        "cared_person_id": ("Số định danh người được chăm sóc", "text", True),
        "cared_especially_severe_disabled": ("Số người khuyết tật đặc biệt nặng đang chăm sóc", "int", False),
        "bank_account": ("Số tài khoản nhận tiền (nếu có)", "text", False),
    },
    Form.FORM_03: {
        "date_of_death": ("Ngày chết", "date", True),
        "funeral_place": ("Nơi tổ chức mai táng", "text", False),
    },
    Form.FORM_04: {
        "facility_name": ("Cơ sở trợ giúp xã hội đề nghị tiếp nhận", "text", True),
        "admission_reason": ("Lý do đề nghị tiếp nhận", "text", True),
    },
}

FORM_BENEFITS = {
    Form.FORM_01: (Benefit.MONTHLY_ALLOWANCE, Benefit.SOCIAL_PENSION),
    Form.FORM_02: (Benefit.CARE_SUPPORT,),
    Form.FORM_03: (Benefit.FUNERAL_SUPPORT,),
    Form.FORM_04: (INSTITUTION,),
}
# The law's benefit names (ansinh.law) for the decisions' benefits.
LAW_BENEFIT = {
    Benefit.MONTHLY_ALLOWANCE: "monthly_social_allowance",
    Benefit.SOCIAL_PENSION: "social_pension",
    Benefit.CARE_SUPPORT: "care_support",
    Benefit.FUNERAL_SUPPORT: "funeral_support",
}

ALLOWED_UPLOADS = {  # content type → (extensions, magic bytes)
    "application/pdf": ((".pdf",), b"%PDF-"),
    "image/jpeg": ((".jpg", ".jpeg"), b"\xff\xd8\xff"),
    "image/png": ((".png",), b"\x89PNG\r\n\x1a\n"),
}
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^0\d{9,10}$")


def _today() -> dt.date:
    return timezone.localdate()


def _max_upload() -> int:
    return int(getattr(settings, "ANSINH_DOSSIER_MAX_UPLOAD", 10 * 1024 * 1024))


def tracking_code() -> str:
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"HS-{body[:4]}-{body[4:]}"


def _actor_label(actor) -> str:
    if role_of(actor) == CITIZEN:
        return "Người nộp hồ sơ"
    return f"{actor.get_full_name() or actor.username} ({actor.get_role_display()})"


# --- receive ---------------------------------------------------------------------------------


def _clean_form_data(form: str, data: dict, errors: dict) -> dict:
    clean = {}
    for name, (label, kind, required) in FORM_FIELDS[form].items():
        value = data.get(name)
        if kind == "bool":
            clean[name] = value in (True, "on", "true", "1", 1)
            continue
        value = nfc(str(value)) if value not in (None,) else ""
        if not value:
            if required:
                errors[name] = f"Chưa nhập “{label}”: trường này bắt buộc với {Form(form).label}."
            continue
        if kind == "int":
            if not value.isdigit() or int(value) > 50:
                errors[name] = f"“{label}” phải là số nguyên từ 0 đến 50."
                continue
            clean[name] = int(value)
        elif kind == "date":
            try:
                day = _parse_day(value)
            except ValueError:
                errors[name] = f"“{label}” không hợp lệ: nhập theo dạng dd/mm/yyyy."
                continue
            if day > _today():
                errors[name] = f"“{label}” ở sau hôm nay: kiểm tra lại."
                continue
            clean[name] = day.isoformat()
        else:
            clean[name] = value[:200]
    return clean


def _parse_day(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return dt.date.fromisoformat(text)
    day, month, year = text.split("/")
    return dt.date(int(year), int(month), int(day))


def _find_commune(value, errors: dict) -> Commune | None:
    code = getattr(value, "pk", value)
    commune = Commune.objects.filter(code=str(code or "").strip()).select_related("province").first()
    if commune is None:
        text = str(code or "").strip()
        if not text:
            errors["commune"] = (
                "Chưa chọn xã/phường nơi cư trú: chọn tỉnh, rồi chọn xã/phường trong danh sách."
            )
        elif text.isdigit():
            errors["commune"] = (
                f"Mã xã/phường “{text}” không tồn tại: chọn xã/phường nơi người đề nghị cư trú trong danh sách."
            )
        else:
            errors["commune"] = (
                f"Không tìm thấy một xã/phường tên “{text}”: chọn tỉnh, rồi chọn xã/phường trong danh sách."
            )
    return commune


def _clean_id(value, field: str, errors: dict, *, required: bool = True) -> str:
    if not value and not required:
        return ""
    try:
        return validate_personal_id(value)
    except InvalidInput as error:
        errors[field] = error.message
        return ""


FIRST_RECEIPT_DAY = min(rule.valid_from for rule in DEADLINES)
PUBLIC_REFUSAL = (
    "Không tiếp nhận trực tuyến được hồ sơ này cho số định danh đã nhập: kiểm tra lại số định danh "
    "và chế độ đề nghị, hoặc đến Bộ phận Một cửa UBND xã/phường để được hướng dẫn."
)


def _subject_conflicts(form: str, benefit: str, subject: Person | None, errors: dict) -> None:
    """Refusals on receipt that keep nothing (Bad input of issue 4). A person unknown to the
    registry is checked later (the registry check fails until they are registered)."""
    if subject is None:
        return
    if form == Form.FORM_03:
        if subject.date_of_death is None:
            errors["subject_personal_id"] = (
                f"{subject.full_name} còn sống theo cơ sở dữ liệu đối tượng: không đề nghị hỗ trợ mai táng. "
                "Kiểm tra lại số định danh người đã chết."
            )
        return
    if subject.date_of_death is not None:
        errors["subject_personal_id"] = (
            f"{subject.full_name} đã chết ngày {subject.date_of_death:%d/%m/%Y}: không đề nghị trợ cấp. "
            "Gia đình có thể nộp Mẫu 03 đề nghị hỗ trợ mai táng."
        )
        return
    if benefit in (Benefit.MONTHLY_ALLOWANCE, Benefit.SOCIAL_PENSION, Benefit.CARE_SUPPORT):
        if Entitlement.objects.filter(person=subject, benefit=benefit, end_month__isnull=True).exists():
            errors["benefit"] = (
                f"{subject.full_name} đang hưởng “{Benefit(benefit).label}”: không nộp hồ sơ đề nghị lần nữa. "
                "Nếu hoàn cảnh thay đổi, đề nghị điều chỉnh tại UBND xã."
            )


def dossier_submit(
    *,
    actor=None,
    form: str,
    channel: str,
    commune,
    benefit: str = "",
    subject_personal_id: str,
    subject_name: str,
    subject_birth_date=None,
    applicant_name: str = "",
    applicant_personal_id: str = "",
    applicant_relation: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    address: str = "",
    form_data: dict | None = None,
    received_on: dt.date | None = None,
    postmark_date: dt.date | None = None,
    subject_person: Person | None = None,
    uploads: list | None = None,
) -> Dossier:
    """Receive a dossier: at the desk or by post (an officer enters it), or online (actor None,
    the citizen on the public page). Runs the checks, sets the deadline, gives the tracking code.
    Raises InvalidInput / NotAllowed / Conflict naming the field; nothing is written then."""
    errors: dict[str, str] = {}
    if form not in Form.values:
        raise InvalidInput.for_field("form", f"Mẫu “{form}” không có: chọn 01, 02, 03 hoặc 04.")
    if channel not in (Channel.DESK, Channel.POST, Channel.ONLINE, Channel.LINKED):
        raise InvalidInput.for_field("channel", "Hình thức nộp phải là trực tiếp, bưu chính hoặc trực tuyến.")
    if actor is None:
        if channel != Channel.ONLINE:
            raise NotAllowed(
                "Hồ sơ nộp trực tiếp hoặc qua bưu chính do cán bộ Bộ phận Một cửa tiếp nhận.",
                fields={"channel": "Chỉ nộp trực tuyến khi không đăng nhập."},
            )
    elif not can_write(actor) or actor.role not in (Role.COMMUNE_OFFICER, Role.PROVINCIAL_OFFICER):
        raise NotAllowed(
            "Chỉ cán bộ tiếp nhận (công chức văn hóa - xã hội) được nhập hồ sơ.",
            fields={"actor": "Tài khoản này không tiếp nhận hồ sơ."},
        )
    benefits = FORM_BENEFITS[form]
    benefit = benefit or benefits[0]
    if benefit not in benefits:
        errors["benefit"] = f"{Form(form).label} không dùng cho chế độ “{benefit}”."
    commune = _find_commune(commune, errors)
    subject_personal_id = _clean_id(
        subject_personal_id, "subject_personal_id", errors, required=subject_person is None
    )
    subject_name = nfc(subject_name).strip()
    if not subject_name:
        errors["subject_name"] = "Chưa nhập họ và tên người được đề nghị hưởng."
    birth = None
    if subject_birth_date not in (None, ""):
        # As the registry: dd/mm/yyyy, or mm/yyyy or yyyy when the papers give no more.
        try:
            birth = PartialDate.parse(subject_birth_date, field="subject_birth_date", today=_today())
        except InvalidInput as error:
            errors.update(error.fields)
    applicant_name = nfc(applicant_name).strip() or subject_name
    if applicant_personal_id:
        applicant_personal_id = _clean_id(applicant_personal_id, "applicant_personal_id", errors)
    elif form == Form.FORM_03 and channel != Channel.LINKED:
        errors["applicant_personal_id"] = (
            "Chưa nhập số định danh của người tổ chức mai táng (người nộp hồ sơ)."
        )
    elif form != Form.FORM_03:
        applicant_personal_id = subject_personal_id
    applicant_phone = re.sub(r"[\s.\-]", "", applicant_phone or "")
    if applicant_phone and not _PHONE.match(applicant_phone):
        errors["applicant_phone"] = "Số điện thoại phải có 10 hoặc 11 chữ số, bắt đầu bằng 0."
    applicant_email = (applicant_email or "").strip()
    if applicant_email and not _EMAIL.match(applicant_email):
        errors["applicant_email"] = "Địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.vn."
    data = _clean_form_data(form, form_data or {}, errors)
    if birth is not None and not birth.is_complete:
        data[BIRTH_PRECISION_KEY] = "month" if birth.month else "year"
    uploads = [u for u in (uploads or []) if u is not None]
    checked_uploads = _check_uploads(uploads, errors)

    today = _today()
    if channel == Channel.POST:
        if postmark_date in (None, ""):
            errors["postmark_date"] = "Hồ sơ gửi qua bưu chính: nhập ngày theo dấu bưu điện."
        else:
            try:
                postmark_date = _parse_day(postmark_date)
            except (TypeError, ValueError):
                errors["postmark_date"] = "Ngày theo dấu bưu điện không hợp lệ: nhập theo dạng dd/mm/yyyy."
                postmark_date = None
            if postmark_date is not None and postmark_date > today:
                errors["postmark_date"] = "Ngày theo dấu bưu điện ở sau hôm nay: kiểm tra lại."
        received_on = postmark_date
    elif channel == Channel.ONLINE or received_on is None:
        received_on = today
    elif received_on > today:
        errors["received_on"] = "Ngày tiếp nhận ở sau hôm nay: kiểm tra lại."
    if isinstance(received_on, dt.date) and received_on < FIRST_RECEIPT_DAY:
        # Before 1 Jul 2025 the district decided (Decree 20/2021): no deadline rule here.
        field = "postmark_date" if channel == Channel.POST else "received_on"
        errors[field] = (
            f"Ngày {received_on:%d/%m/%Y} trước 01/07/2025: hồ sơ trước khi bỏ cấp huyện không tiếp nhận "
            "trên hệ thống, kiểm tra lại ngày."
        )

    subject = subject_person or (
        Person.objects.select_related("commune").filter(personal_id=subject_personal_id).first()
        if subject_personal_id
        else None
    )
    before_subject = dict(errors)
    _subject_conflicts(form, benefit, subject, errors)
    if not errors and subject is not None:
        open_dossier = Dossier.objects.filter(
            subject=subject,
            form=form,
            status__in=[Status.RECEIVED, Status.CHECKING, Status.PROPOSED, Status.FORWARDED],
        ).first()
        if open_dossier:
            errors["subject_personal_id"] = (
                f"{subject.full_name} đã có hồ sơ {Form(form).label} đang giải quyết "
                f"(mã {open_dossier.code}): không nộp trùng."
            )
    if actor is None:
        # The public page answers anyone who types a personal ID: it must not tell them the
        # person's name, death, benefits or the code of an open dossier (the code + ID is the key
        # to its status). The officer at the desk sees the full reason.
        for field in ("subject_personal_id", "benefit"):
            if errors.get(field) != before_subject.get(field):
                errors[field] = PUBLIC_REFUSAL
    if errors:
        raise InvalidInput(next(iter(errors.values())), fields=errors)

    deadline, rule = deadline_for(form, received_on, commune.province_id)
    with transaction.atomic():
        dossier = create_audited(
            Dossier,
            actor=actor,
            action="dossier.receive",
            area_code=commune.pk,
            code=_unique_code(),
            form=form,
            channel=channel,
            commune=commune,
            benefit=benefit,
            subject=subject,
            subject_personal_id=subject_personal_id,
            subject_name=subject_name,
            subject_birth_date=birth.earliest() if birth is not None else None,
            applicant_name=applicant_name,
            applicant_personal_id=applicant_personal_id or "",
            applicant_relation=nfc(applicant_relation)[:50],
            applicant_phone=applicant_phone,
            applicant_email=applicant_email,
            address=nfc(address)[:255],
            form_data=data,
            received_on=received_on,
            postmark_date=postmark_date if channel == Channel.POST else None,
            deadline=deadline,
            deadline_days=rule.days,
            deadline_basis=rule.basis,
            commune_deadline=step_deadline(form, received_on, 0, received_on, commune.province_id),
            received_by=actor,
        )
        DossierEvent.objects.create(
            dossier=dossier,
            action="receive",
            to_status=Status.RECEIVED,
            actor=actor,
            actor_label=_actor_label(actor) if channel != Channel.LINKED else "Hệ thống (liên thông)",
            note=Channel(channel).label,
        )
        for upload, (name, kind) in zip(uploads, checked_uploads, strict=True):
            _store_attachment(actor, dossier, upload, name, kind)
        checks_run(dossier)
        body = _receipt_message(dossier)
        transaction.on_commit(lambda: notify_applicant(dossier, body))
    return dossier


def _receipt_message(dossier: Dossier) -> str:
    return (
        f"UBND {dossier.commune.name} đã tiếp nhận hồ sơ {Form(dossier.form).label} của {dossier.subject_name}, "
        f"mã hồ sơ {dossier.code}, hạn giải quyết {dossier.deadline:%d/%m/%Y}. "
        "Tra cứu tại Dịch vụ công với mã hồ sơ và số định danh cá nhân."
    )


MAX_UPLOADS = 10


def _check_uploads(uploads: list, errors: dict) -> list[tuple[str, str]]:
    """Files sent with an online (or desk) filing: the same checks as dossier_attach."""
    if len(uploads) > MAX_UPLOADS:
        errors["attachments"] = f"Gửi {len(uploads)} tệp: mỗi lần nộp tối đa {MAX_UPLOADS} tệp đính kèm."
        return []
    checked = []
    for upload in uploads:
        try:
            checked.append(_checked_upload(upload))
        except InvalidInput as error:
            errors["attachments"] = error.message
            return []
    return checked


def _unique_code() -> str:
    while True:
        code = tracking_code()
        if not Dossier.objects.filter(code=code).exists():
            return code


# --- checks ----------------------------------------------------------------------------------


def _check(dossier, source, kind, outcome, detail) -> DossierCheck:
    return DossierCheck.objects.create(
        dossier=dossier, source=source, kind=kind, outcome=outcome, detail=detail
    )


def checks_run(dossier: Dossier) -> list[DossierCheck]:
    """Check the person against the registry and the population database (identity, age,
    residence, household, death). An unreachable source gives "not done" rows, never a pass."""
    rows = []
    subject = dossier.subject
    if subject is None:
        rows.append(
            _check(
                dossier,
                CheckSource.REGISTRY,
                "registry",
                CheckOutcome.FAILED,
                "Chưa có trong cơ sở dữ liệu đối tượng của xã: đăng ký đối tượng trước khi trình.",
            )
        )
    else:
        rows.append(
            _check(
                dossier,
                CheckSource.REGISTRY,
                "registry",
                CheckOutcome.PASSED,
                f"Có trong cơ sở dữ liệu: {subject.full_name}, {subject.commune.name}.",
            )
        )
    source = population.population_source()
    kinds = ("identity", "age", "residence", "household", "death")
    try:
        record = source.lookup(dossier.subject_personal_id)
        unusable = None
        if record is None:
            unusable = (
                CheckOutcome.FAILED,
                f"Không có số định danh {dossier.subject_personal_id} trong dữ liệu dân cư ({source.name}).",
            )
    except population.PopulationUnavailable as error:
        # The outcome already reads "Chưa kiểm tra được": the detail says why.
        unusable = (CheckOutcome.NOT_DONE, str(error))
    if unusable is not None:
        # Every check says so: never a silent pass.
        return rows + [_check(dossier, CheckSource.POPULATION, kind, *unusable) for kind in kinds]
    from ansinh.core.text import fold

    same_name = fold(record.full_name) == fold(dossier.subject_name)
    rows.append(
        _check(
            dossier,
            CheckSource.POPULATION,
            "identity",
            CheckOutcome.PASSED if same_name else CheckOutcome.FAILED,
            f"Họ tên trong dữ liệu dân cư: {record.full_name}.",
        )
    )
    if record.birth_date is None:
        rows.append(
            _check(
                dossier,
                CheckSource.POPULATION,
                "age",
                CheckOutcome.NOT_DONE,
                "Dữ liệu dân cư không có ngày sinh.",
            )
        )
    else:
        filed = dossier.subject_birth  # possibly partial: the record's date must fall within it
        matches = filed is None or filed.earliest() <= record.birth_date <= filed.latest()
        on = dossier.received_on
        age = (
            on.year
            - record.birth_date.year
            - ((on.month, on.day) < (record.birth_date.month, record.birth_date.day))
        )
        rows.append(
            _check(
                dossier,
                CheckSource.POPULATION,
                "age",
                CheckOutcome.PASSED if matches else CheckOutcome.FAILED,
                f"Ngày sinh {record.birth_date:%d/%m/%Y}"
                + (f", {age} tuổi khi nộp." if age is not None else "."),
            )
        )
    rows.append(
        _check(
            dossier,
            CheckSource.POPULATION,
            "residence",
            CheckOutcome.PASSED if record.commune_code == dossier.commune_id else CheckOutcome.FAILED,
            f"Nơi thường trú theo dữ liệu dân cư: mã xã {record.commune_code or '(trống)'}.",
        )
    )
    rows.append(
        _check(
            dossier,
            CheckSource.POPULATION,
            "household",
            CheckOutcome.PASSED if record.household_code else CheckOutcome.FAILED,
            f"Mã hộ: {record.household_code}." if record.household_code else "Không có thông tin hộ.",
        )
    )
    if dossier.form == Form.FORM_03:
        ok, text = (
            record.date_of_death is not None,
            (
                f"Đã khai tử ngày {record.date_of_death:%d/%m/%Y}."
                if record.date_of_death
                else "Chưa có thông tin khai tử."
            ),
        )
    else:
        ok, text = (
            record.date_of_death is None,
            (
                "Còn sống theo dữ liệu dân cư."
                if record.date_of_death is None
                else f"Đã khai tử ngày {record.date_of_death:%d/%m/%Y}."
            ),
        )
    rows.append(
        _check(
            dossier, CheckSource.POPULATION, "death", CheckOutcome.PASSED if ok else CheckOutcome.FAILED, text
        )
    )
    return rows


def dossier_checks_rerun(*, actor, dossier: Dossier) -> list[DossierCheck]:
    _require_area(actor, dossier)
    with transaction.atomic():
        if dossier.subject_id is None:
            subject = Person.objects.filter(personal_id=dossier.subject_personal_id).first()
            if subject is not None:
                dossier.subject = subject
                dossier.save(update_fields=["subject", "updated_at"])
        rows = checks_run(dossier)
        audit_record(actor=actor, action="dossier.check", entity=dossier, area_code=dossier.commune_id)
    return rows


# --- workflow --------------------------------------------------------------------------------


def _require_area(actor, dossier) -> None:
    if not AreaScope.for_user(actor).contains_commune(dossier.commune_id):
        raise NotAllowed("Hồ sơ này không thuộc địa bàn của bạn.", fields={"actor": "Ngoài địa bàn."})


def _law_result(dossier: Dossier, month: dt.date) -> dict | None:
    """What the law gives the subject for the requested benefit in `month` (None: nothing)."""
    from ansinh.assessment.services import assessment_run

    facts = dossier_facts(dossier, month)
    wanted = LAW_BENEFIT[dossier.benefit]
    results = assessment_run(facts=facts, month=month)
    return next((r for r in results if r["benefit"] == wanted), None)


def dossier_facts(dossier: Dossier, month: dt.date) -> dict:
    """The law's facts (docs/assess.md) from the registry and what the form declares."""
    from ansinh.registry.selectors import person_facts

    person = dossier.subject
    facts = person_facts(person)
    person_in: dict = {"birth_date": facts.birth_date.assumed_date().isoformat()}
    if person.date_of_death:
        person_in["date_of_death"] = person.date_of_death.isoformat()
    if facts.current_disability:
        person_in["disability_level"] = facts.current_disability.level
    declared = dict(dossier.form_data)
    if dossier.form == Form.FORM_03:
        # The deceased's own situation, as their granted Form 01 declared it.
        earlier = (
            Dossier.objects.filter(subject=person, form=Form.FORM_01, status=Status.GRANTED)
            .order_by("-id")
            .first()
        )
        if earlier is not None:
            declared = {**earlier.form_data, **declared}
    for key in ("no_supporter", "single_parent", "has_hiv", "studying", "receives_pension"):
        if declared.get(key):
            person_in[key] = True
    for key in ("single_parent_children", "cared_especially_severe_disabled"):
        if declared.get(key):
            person_in[key] = int(declared[key])
    if facts.incomes:
        kinds = {i.kind for i in facts.incomes if i.valid_to is None or i.valid_to >= month}
        if kinds & {"pension", "social_insurance"}:
            person_in["receives_pension"] = True
    household: dict = {"province_code": person.commune.province_id}
    statuses = {p.year: p.status for p in facts.poverty}
    status = statuses.get(month.year) or (facts.current_poverty.status if facts.current_poverty else None)
    if status:
        household["poverty_status"] = status
    if dossier.form == Form.FORM_03:
        person_in["applied_before_death"] = True
    return {"person": person_in, "household": household}


def _propose_grant(*, actor, dossier: Dossier, note: str):
    """The officer's proposal to grant: a draft decision with the law's amount."""
    if dossier.subject is None:
        raise Conflict(
            f"{dossier.subject_name} chưa có trong cơ sở dữ liệu đối tượng: đăng ký đối tượng, chạy lại "
            "kiểm tra, rồi trình.",
            fields={"subject": "Chưa đăng ký đối tượng."},
        )
    if dossier.benefit == INSTITUTION:
        return None
    if dossier.benefit == Benefit.FUNERAL_SUPPORT:
        person = dossier.subject
        if person.date_of_death is None:
            raise InvalidInput.for_field(
                "subject", f"{person.full_name} còn sống theo cơ sở dữ liệu: không hỗ trợ mai táng."
            )
        result = _law_result(dossier, person.date_of_death.replace(day=1))
        if result is None:
            raise Conflict(
                "Theo luật, người chết không thuộc diện hỗ trợ chi phí mai táng (Điều 11 Nghị định 335/2026): "
                "đề xuất từ chối và nêu lý do.",
                fields={"outcome": "Không đủ điều kiện theo luật."},
            )
        return decisions.funeral_decision_prepare(
            actor=actor,
            person=person,
            amount=int(result["amount"]),
            reason=f"Hồ sơ {dossier.code}. {note}".strip(),
            legal_basis=result["explanation"],
        )
    from ansinh.assessment.services import decision_prepare_from_assessment

    month = current_month()
    try:
        # Helper H1's service: coefficient, category and legal basis from the law for the month.
        return decision_prepare_from_assessment(
            actor=actor,
            person=dossier.subject,
            kind="grant",
            benefit=dossier.benefit,
            facts=dossier_facts(dossier, month),
            reason=f"Hồ sơ {dossier.code}. {note}".strip(),
        )
    except InvalidInput as error:
        if "benefit" not in error.fields:
            raise
        raise Conflict(
            f"{error.message} Đề xuất từ chối và nêu lý do, hoặc bổ sung thông tin.",
            fields={"outcome": "Không đủ điều kiện theo luật."},
        ) from None


def dossier_transition(
    *,
    actor,
    dossier: Dossier,
    action: str,
    note: str = "",
    outcome: str = "",
    number: str = "",
    signed_on: dt.date | None = None,
    signer_name: str = "",
    reason: str = "",
    facility_name: str = "",
    admission_date=None,
    today: dt.date | None = None,
) -> Dossier:
    """Move a dossier by one row of workflow.TRANSITIONS. Refused (NotAllowed / Conflict /
    InvalidInput, nothing written) when the role may not, the state does not allow it, or the
    dossier is outside the actor's area. The page and the API pass `today`: a grant is then
    signed between the dossier's receipt and today (history written by the demo passes none)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidInput.for_field("action", f"Thao tác “{action}” không có.")
    role = role_of(actor)
    if action == "grant" and role == CITIZEN:
        raise NotAllowed("Quyết định phải có người ký.", fields={"signed_by": "Chưa có người ký."})
    if role not in transition.roles:
        raise NotAllowed(
            f"“{transition.label}” không thuộc quyền của "
            f"{'người nộp hồ sơ' if role == CITIZEN else actor.get_role_display()}.",
            fields={"action": "Vai trò này không được thực hiện thao tác này."},
        )
    if role != CITIZEN:
        _require_area(actor, dossier)
    if not transition.applies_to(dossier.form):
        raise Conflict(
            f"“{transition.label}” không dùng cho {Form(dossier.form).label}.",
            fields={"action": "Thao tác không áp dụng cho mẫu hồ sơ này."},
        )
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("commune", "subject")
            .get(pk=dossier.pk)
        )
        if dossier.status not in transition.sources:
            raise Conflict(
                f"Hồ sơ đang ở trạng thái “{dossier.get_status_display()}”: không “{transition.label.lower()}” được.",
                fields={"status": "Trạng thái không cho phép thao tác này."},
            )
        before = snapshot(dossier)
        note = nfc(note).strip()
        if action == "propose":
            if outcome not in ("grant", "refuse"):
                raise InvalidInput.for_field("outcome", "Chọn đề xuất: cho hưởng hoặc từ chối.")
            if outcome == "refuse" and not note:
                raise InvalidInput.for_field("note", "Đề xuất từ chối phải nêu lý do.")
            if outcome == "grant":
                dossier.decision = _propose_grant(actor=actor, dossier=dossier, note=note)
            dossier.proposed_outcome = outcome
            dossier.proposal_note = note
        elif action == "return":
            _cancel_draft(actor, dossier, note or "Trả lại để thẩm định lại.")
            dossier.proposed_outcome = ""
        elif action == "grant":
            if dossier.proposed_outcome != "grant":
                raise Conflict(
                    "Cán bộ đề xuất từ chối: trả lại để thẩm định lại, hoặc từ chối.",
                    fields={"action": "Đề xuất là từ chối."},
                )
            if dossier.decision_id:
                decisions.decision_sign(
                    actor=actor,
                    decision=dossier.decision,
                    number=number,
                    signed_on=signed_on,
                    signer_name=signer_name,
                    # Between the dossier's receipt and today (a grant is in force from the month signed).
                    today=today,
                    earliest=dossier.received_on,
                )
                dossier.decision.refresh_from_db()
            dossier.decided_on = signed_on if isinstance(signed_on, dt.date) else _today()
        elif action == "forward":
            if dossier.proposed_outcome != "grant":
                raise Conflict(
                    "Cán bộ đề xuất từ chối: trả lại để thẩm định lại, hoặc từ chối.",
                    fields={"action": "Đề xuất là từ chối."},
                )
            dossier.forwarded_on = _today()
            dossier.facility_deadline = step_deadline(
                dossier.form, dossier.received_on, 1, dossier.forwarded_on, dossier.commune.province_id
            )
        elif action == "admit":
            _admit(actor, dossier, facility_name, admission_date, number, signer_name)
        elif action == "refuse_admission":
            reason = nfc(reason).strip()
            if not reason:
                raise InvalidInput.for_field("reason", "Không tiếp nhận phải nêu rõ lý do bằng văn bản.")
            dossier.refusal_reason = reason
            dossier.admission_signer = _signer(actor, signer_name)
            dossier.decided_on = _today()
        elif action == "refuse":
            # The reason goes to the citizen (notice, public page): the chairman writes it; the
            # officer's proposal note is not taken in its place.
            reason = nfc(reason).strip()
            if not reason:
                raise InvalidInput.for_field(
                    "reason",
                    "Chưa nhập lý do từ chối: lý do được ghi trong thông báo gửi người nộp hồ sơ.",
                )
            _cancel_draft(actor, dossier, reason)
            dossier.refusal_reason = reason
            dossier.decided_on = _today()
        elif action == "withdraw":
            if role != CITIZEN and not note:
                # An officer withdraws on the citizen's request: the reason is recorded (F12).
                raise InvalidInput.for_field(
                    "note", "Chưa nhập lý do rút hồ sơ (ví dụ: người nộp có đơn xin rút hồ sơ)."
                )
            _cancel_draft(actor, dossier, note or "Người nộp rút hồ sơ.")
        if dossier.decided_on and action in ("grant", "refuse", "admit", "refuse_admission"):
            dossier.processing_days = max(
                0, working_days_between(dossier.received_on, dossier.decided_on, dossier.commune.province_id)
            )
        from_status = dossier.status
        dossier.status = transition.target
        dossier.save()
        DossierEvent.objects.create(
            dossier=dossier,
            action=action,
            from_status=from_status,
            to_status=transition.target,
            actor=actor if role != CITIZEN else None,
            actor_label=_actor_label(actor),
            note=note or reason,
        )
        audit_record(
            actor=actor,
            action=f"dossier.{action}",
            entity=dossier,
            area_code=dossier.commune_id,
            before=before,
            after=snapshot(dossier),
        )
        if transition.target in (Status.GRANTED, Status.REFUSED):
            body = _decision_message(dossier)
            transaction.on_commit(lambda: notify_applicant(dossier, body))
    return dossier


def _signer(actor, signer_name: str = "") -> str:
    """Who signs for the facility: the name typed (the facility head), else the officer's."""
    return (nfc(signer_name or "").strip() or actor.get_full_name() or actor.username)[:150]


def _admit(
    actor, dossier: Dossier, facility_name: str, admission_date, number: str, signer_name: str
) -> None:
    """The facility's admission (Form 04, second step): which facility, from which day."""
    facility_name = nfc(facility_name or "").strip() or dossier.form_data.get("facility_name", "")
    if not facility_name:
        raise InvalidInput.for_field("facility_name", "Chưa nhập tên cơ sở trợ giúp xã hội tiếp nhận.")
    if admission_date in (None, ""):
        raise InvalidInput.for_field("admission_date", "Chưa nhập ngày tiếp nhận vào cơ sở (dd/mm/yyyy).")
    try:
        admission_date = _parse_day(admission_date)
    except ValueError:
        raise InvalidInput.for_field(
            "admission_date", "Ngày tiếp nhận vào cơ sở không hợp lệ: nhập theo dạng dd/mm/yyyy."
        ) from None
    if admission_date < dossier.received_on:
        raise InvalidInput.for_field(
            "admission_date",
            f"Ngày tiếp nhận vào cơ sở ở trước ngày nhận hồ sơ ({dossier.received_on:%d/%m/%Y}): kiểm tra lại.",
        )
    dossier.facility_name = facility_name[:200]
    dossier.admission_date = admission_date
    dossier.admission_number = nfc(number or "").strip()[:50] or f"{dossier.code}/QĐ-TN"
    dossier.admission_signer = _signer(actor, signer_name)
    dossier.decided_on = _today()


def _decision_message(dossier: Dossier) -> str:
    if dossier.form == Form.FORM_04 and dossier.forwarded_on:
        if dossier.status == Status.GRANTED:
            return (
                f"{dossier.facility_name}: hồ sơ {dossier.code} đã giải quyết – được tiếp nhận vào cơ sở "
                f"từ ngày {dossier.admission_date:%d/%m/%Y}."
            )
        return (
            f"{dossier.form_data.get('facility_name') or 'Cơ sở trợ giúp xã hội'}: hồ sơ {dossier.code} đã giải quyết – "
            f"không tiếp nhận. Lý do: {dossier.refusal_reason}"
        )
    if dossier.status == Status.GRANTED:
        amount = ""
        if (
            dossier.decision_id
            and dossier.decision.monthly_amount
            and dossier.benefit != Benefit.FUNERAL_SUPPORT
        ):
            amount = f", {format_vnd(dossier.decision.monthly_amount)}/tháng từ tháng {format_month(dossier.decision.effective_month)}"
        elif dossier.decision_id and dossier.decision.one_off_amount:
            amount = f", {format_vnd(dossier.decision.one_off_amount)}"
        return f"UBND {dossier.commune.name}: hồ sơ {dossier.code} đã giải quyết – được hưởng{amount}."
    return f"UBND {dossier.commune.name}: hồ sơ {dossier.code} đã giải quyết – không được hưởng. Lý do: {dossier.refusal_reason}"


def _cancel_draft(actor, dossier: Dossier, reason: str) -> None:
    if dossier.decision_id and dossier.decision.status == DecisionStatus.DRAFT:
        if actor is None or role_of(actor) == CITIZEN:
            dossier.decision.status = DecisionStatus.CANCELLED
            dossier.decision.save(update_fields=["status"])
        else:
            decisions.decision_cancel(actor=actor, decision=dossier.decision, reason=reason)
        dossier.decision = None


def normalise_code(code: str | None) -> str:
    """The tracking code as stored (HS-XXXX-XXXX) from what a citizen types: any case, with or
    without the spaces and dashes ("hs sgsl vz2l", "HSSGSLVZ2L", "SGSLVZ2L")."""
    body = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    if body.startswith("HS") and len(body) == 10:
        body = body[2:]
    if len(body) == 8:
        return f"HS-{body[:4]}-{body[4:]}"
    return re.sub(r"\s", "", code or "").upper()


def dossier_public_find(code: str, personal_id: str) -> Dossier | None:
    """The citizen's door: a dossier only for its code AND the personal ID of its subject or
    applicant; anything else finds nothing (no hint which of the two was wrong)."""
    code = normalise_code(code)
    personal_id = re.sub(r"\s", "", personal_id or "")
    if not code or not personal_id:
        return None
    dossier = Dossier.objects.select_related("commune", "decision").filter(code=code).first()
    if dossier is None or personal_id not in (dossier.subject_personal_id, dossier.applicant_personal_id):
        return None
    return dossier


def dossier_withdraw_by_citizen(*, code: str, personal_id: str) -> Dossier:
    dossier = dossier_public_find(code, personal_id)
    if dossier is None:
        raise InvalidInput.for_field("code", "Không tìm thấy hồ sơ với mã và số định danh này.")
    return dossier_transition(actor=None, dossier=dossier, action="withdraw")


# --- attachments -----------------------------------------------------------------------------


def dossier_attach(*, actor, dossier: Dossier, upload) -> Attachment:
    """Attach a scan or PDF. PDF, JPEG or PNG only, checked by content, at most
    ANSINH_DOSSIER_MAX_UPLOAD bytes (10 MB by default); stored under MEDIA_ROOT."""
    if actor is not None:
        _require_area(actor, dossier)
    name, kind = _checked_upload(upload)
    with transaction.atomic():
        return _store_attachment(actor, dossier, upload, name, kind)


def _checked_upload(upload) -> tuple[str, str]:
    """(name, content type) of an upload that is a PDF, JPEG or PNG by content and within the
    size limit; InvalidInput on the field "file" otherwise."""
    if upload is None:
        raise InvalidInput.for_field("file", "Chưa chọn tệp đính kèm.")
    limit = _max_upload()
    if upload.size > limit:
        raise InvalidInput.for_field(
            "file",
            f"Tệp “{upload.name}” lớn {upload.size // 1024} KB, quá giới hạn {limit // (1024 * 1024)} MB.",
        )
    name = nfc(upload.name or "tep").strip()[-200:]
    head = upload.read(16)
    upload.seek(0)
    kind = next(
        (
            ctype
            for ctype, (exts, magic) in ALLOWED_UPLOADS.items()
            if name.lower().endswith(exts) and head.startswith(magic)
        ),
        None,
    )
    if kind is None:
        raise InvalidInput.for_field(
            "file",
            f"Tệp “{name}” không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp): chọn bản quét hoặc PDF.",
        )
    return name, kind


def _store_attachment(actor, dossier: Dossier, upload, name: str, kind: str) -> Attachment:
    attachment = Attachment(
        dossier=dossier, name=name, content_type=kind, size=upload.size, uploaded_by=actor
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="dossier.attach",
        entity=dossier,
        area_code=dossier.commune_id,
        after={"attachment": attachment.pk, "name": name, "size": upload.size},
    )
    return attachment


# --- life events -----------------------------------------------------------------------------


def death_record(*, actor, person: Person, date_of_death) -> tuple[Person, list, Dossier | None]:
    """A death recorded: the registry fact, stop drafts from the month after the death for every
    benefit still paid (Decree 335/2026 Art. 8), and the funeral-support dossier (Form 03, Art. 11)
    opened for the family when the person was a beneficiary. One transaction."""
    from ansinh.registry.services import person_record_death

    with transaction.atomic():
        person = person_record_death(actor=actor, person=person, date_of_death=date_of_death)
        was_beneficiary = Entitlement.objects.filter(person=person).exists()
        stops = decisions.death_stop_prepare(actor=actor, person=person)
        dossier = None
        already = Dossier.objects.filter(subject=person, form=Form.FORM_03).exclude(status=Status.WITHDRAWN)
        if was_beneficiary and not already.exists():
            family = (
                HouseholdMember.objects.filter(
                    household__members__person=person,
                    household__members__valid_to__isnull=True,
                    valid_to__isnull=True,
                )
                .exclude(person=person)
                .select_related("person")
                .order_by("id")
                .first()
            )
            relative = family.person if family else None
            dossier = dossier_submit(
                actor=actor,
                form=Form.FORM_03,
                channel=Channel.LINKED,
                commune=person.commune_id,
                subject_personal_id=person.personal_id or "",
                subject_person=person,
                subject_name=person.full_name,
                applicant_name=relative.full_name if relative else "Gia đình người chết",
                applicant_personal_id=(relative.personal_id or "") if relative else "",
                applicant_relation=family.get_relationship_display() if family else "Gia đình",
                applicant_phone=relative.phone if relative else "",
                address=person.address,
                form_data={"date_of_death": person.date_of_death.isoformat()},
                received_on=_today(),
            )
    return person, stops, dossier


# --- the province's calendar -----------------------------------------------------------------


def declared_day_set(*, actor, province_code: str, day: dt.date, is_working_day: bool, note: str = ""):
    is_working_day_ = bool(is_working_day)
    """A province declares a substitute day off (is_working_day=False) or a compensatory working
    day (True); deadlines of dossiers received afterwards count with it. Provincial officers only."""
    from ansinh.areas.models import Province
    from ansinh.dossiers.models import DeclaredDay

    if role_of(actor) != Role.PROVINCIAL_OFFICER or not AreaScope.for_user(actor).contains_province(
        province_code
    ):
        raise NotAllowed(
            "Chỉ cán bộ cấp tỉnh của tỉnh này được khai báo ngày nghỉ bù, ngày làm bù.",
            fields={"actor": "Không có quyền khai báo lịch của tỉnh này."},
        )
    province = Province.objects.filter(code=province_code).first()
    if province is None:
        raise InvalidInput.for_field("province", f"Mã tỉnh “{province_code}” không tồn tại.")
    if not isinstance(day, dt.date):
        raise InvalidInput.for_field("day", "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.")
    from ansinh.core.workdays import is_working_day as national_working_day

    # A declaration changes the national calendar or it means nothing (and hides a typing error).
    if national_working_day(day) == is_working_day_:
        raise InvalidInput.for_field(
            "day",
            f"Ngày {day:%d/%m/%Y} đã là ngày "
            + ("làm việc" if is_working_day_ else "nghỉ (thứ Bảy, Chủ nhật hoặc ngày lễ)")
            + " theo lịch chung: chọn "
            + ("ngày nghỉ để khai báo làm bù." if is_working_day_ else "ngày làm việc để khai báo nghỉ bù."),
        )
    with transaction.atomic():
        row, _ = DeclaredDay.objects.update_or_create(
            province=province,
            day=day,
            defaults={"is_working_day": is_working_day_, "note": nfc(note)[:200]},
        )
        audit_record(
            actor=actor, action="calendar.declare", entity=row, area_code=province_code, after=snapshot(row)
        )
    return row


def declared_day_remove(*, actor, declared_day) -> None:
    """Take back a declared day; deadlines already fixed on receipt stay as they were."""
    if role_of(actor) != Role.PROVINCIAL_OFFICER or not AreaScope.for_user(actor).contains_province(
        declared_day.province_id
    ):
        raise NotAllowed(
            "Chỉ cán bộ cấp tỉnh của tỉnh này được xóa ngày nghỉ bù, ngày làm bù.",
            fields={"actor": "Không có quyền sửa lịch của tỉnh này."},
        )
    with transaction.atomic():
        before = snapshot(declared_day)
        audit_record(
            actor=actor,
            action="calendar.remove",
            entity=declared_day,
            area_code=declared_day.province_id,
            before=before,
        )
        declared_day.delete()
