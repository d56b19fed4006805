"""What reconciliation raises, followed up: suspension proposals (three months not collected,
Decree 335/2026 Art. 9(1)(a)) and overpayments after death (Art. 8), scoped to the user's area;
and the province-wide steps: which province they act for (a national officer picks one), checks
before a background job is queued."""

import datetime as dt
import zipfile
from io import BytesIO

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ansinh.accounts.models import AreaLevel
from ansinh.accounts.roles import can_prepare, can_write
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Province
from ansinh.core.audit import audit_record
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.months import format_month
from ansinh.payments.models import (
    Overpayment,
    OverpaymentStatus,
    PaymentFile,
    PaymentFileKind,
    PayrollRun,
    PayrollStatus,
    SuspensionProposal,
)


def proposals_for(user) -> QuerySet:
    return (
        AreaScope.for_user(user)
        .filter(SuspensionProposal.objects.select_related("person", "commune"))
        .order_by("status", "commune_id", "person__name_folded", "pk")
    )


def overpayments_for(user) -> QuerySet:
    return (
        AreaScope.for_user(user)
        .filter(Overpayment.objects.select_related("person"), "commune_code", by_code=True)
        .order_by("status", "commune_code", "person_id", "month", "benefit")
    )


def _scoped(queryset: QuerySet, pk, what: str):
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404(f"Không tìm thấy {what} này trong địa bàn của bạn.")
    return found


def access_proposal(user, pk) -> SuspensionProposal:
    return _scoped(proposals_for(user), pk, "đề xuất tạm dừng")


def access_overpayment(user, pk) -> Overpayment:
    return _scoped(overpayments_for(user), pk, "khoản phải thu hồi")


def overpayment_recover(*, actor, overpayment: Overpayment) -> Overpayment:
    """Record that the money paid after death has been given back (by the family or the
    provider): the overpayment leaves the list to recover."""
    if not can_prepare(actor) or not AreaScope.for_user(actor).contains_area(overpayment.commune_code):
        raise NotAllowed(
            "Chỉ công chức cấp xã hoặc cán bộ cấp tỉnh phụ trách địa bàn được ghi nhận đã thu hồi.",
            fields={"actor": "Tài khoản này không được ghi nhận thu hồi."},
        )
    with transaction.atomic():
        changed = Overpayment.objects.filter(pk=overpayment.pk, status=OverpaymentStatus.OPEN).update(
            status=OverpaymentStatus.RECOVERED
        )
        if not changed:
            raise Conflict(
                "Khoản này đã được ghi nhận thu hồi trước đây.",
                fields={"status": "Đã thu hồi."},
            )
        overpayment.refresh_from_db()
        audit_record(
            actor=actor,
            action="overpayment.recover",
            entity=overpayment,
            area_code=overpayment.commune_code,
            before={"status": OverpaymentStatus.OPEN},
            after={"status": overpayment.status, "amount": overpayment.amount},
        )
    return overpayment


# --- Province-wide steps: checks before queueing --------------------------------------------


def province_reader(user) -> bool:
    """Reads the province-wide page without changing anything: a read-only account (thanh tra,
    kiểm toán) of a province or of the country; the return files and exceptions are what an audit
    reads."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and not can_write(user)
        and AreaScope.for_user(user).level in (AreaLevel.PROVINCE, AreaLevel.COUNTRY)
    )


def province_picker(user, *, reading: bool = False) -> bool:
    """A national officer works on one province at a time and picks it from the 34 provinces; a
    provincial officer always works on their own. `reading`: a national auditor picks one too."""
    allowed = can_prepare(user) or (reading and province_reader(user))
    return allowed and AreaScope.for_user(user).is_country


def province_of(user, requested: str = "", *, reading: bool = False) -> str:
    """The province a province-wide step acts for: a provincial officer's own, or the one a national
    officer picked (`requested`, its 2-digit code); refused for anyone else, for a province outside
    the user's area, and for a national officer who has not picked one. `reading`: the page is only
    read, which a province's or the country's auditor may do too (province_reader)."""
    scope = AreaScope.for_user(user)
    requested = (requested or "").strip()
    allowed = can_prepare(user) or (reading and province_reader(user))
    if not allowed or scope.level not in (AreaLevel.PROVINCE, AreaLevel.COUNTRY):
        raise NotAllowed(
            "Chỉ cán bộ cấp tỉnh được xuất tệp và nhập kết quả chi trả cho toàn tỉnh.",
            fields={"actor": "Tài khoản này không phải cán bộ cấp tỉnh."},
        )
    if scope.is_country and not requested:
        raise NotAllowed(
            "Hãy chọn tỉnh, thành phố trước khi xuất tệp hoặc nhập kết quả chi trả.",
            fields={"tinh": "Chưa chọn tỉnh, thành phố."},
        )
    if not requested:
        return scope.province_code
    if not scope.contains_province(requested) or not Province.objects.filter(code=requested).exists():
        raise NotAllowed(
            f"Tỉnh mã «{requested}» không có hoặc nằm ngoài địa bàn của bạn.",
            fields={"tinh": "Tỉnh nằm ngoài địa bàn của bạn."},
        )
    return requested


def export_check(area_code: str, month: dt.date) -> int:
    """How many approved payrolls the province has for the month; refused when none."""
    runs = PayrollRun.objects.filter(month=month, commune__province_id=area_code)
    approved = runs.filter(status=PayrollStatus.APPROVED).count()
    if not approved:
        waiting = runs.filter(status__in=[PayrollStatus.DRAFT, PayrollStatus.CHECKED]).count()
        raise Conflict(
            f"Tháng {format_month(month)} không có danh sách chi trả nào đã phê duyệt mà chưa xuất tệp"
            + (f" ({waiting} xã còn chờ kiểm tra hoặc phê duyệt)" if waiting else "")
            + ": chỉ xuất tệp cho danh sách đã được Chủ tịch UBND xã phê duyệt.",
            fields={"month": "Chưa có danh sách đã phê duyệt."},
        )
    return approved


def return_file_check(area_code: str, month: dt.date, content: bytes) -> None:
    """The header and trailer of a province's return file, and a payroll to apply it to, before
    the file is queued (the detail lines are validated by the import itself)."""
    from ansinh.payments.reconcile import return_file_check_header, return_file_split

    if not content:
        raise InvalidInput.for_field("file", "Chưa chọn tệp kết quả: hãy chọn tệp CSV đơn vị chi trả gửi về.")
    header, _detail, _trailer = return_file_split(content)
    return_file_check_header(header, area_code=area_code, month=month, area_name=f"tỉnh mã {area_code}")
    sent = PayrollRun.objects.filter(
        month=month,
        commune__province_id=area_code,
        status__in=[PayrollStatus.SENT, PayrollStatus.RECONCILED],
    ).exists()
    if not sent:
        raise Conflict(
            f"Tháng {format_month(month)} chưa có danh sách chi trả nào đã gửi tệp cho đơn vị chi trả: "
            "hãy xuất tệp chi trả trước khi nhập kết quả.",
            fields={"month": "Chưa gửi tệp chi trả."},
        )


def bankfiles_zip(area_code: str, month: dt.date) -> tuple[bytes, int]:
    """The province's bank files of the month as one ZIP (bytes, file count): each file rebuilt
    from the frozen payees by one COPY, byte for byte the one recorded at export (checksum)."""
    from ansinh.payments.bankfile import bankfile_assemble, bankfile_bodies

    files = list(
        PaymentFile.objects.filter(
            kind=PaymentFileKind.BANK, run__month=month, run__commune__province_id=area_code
        )
        .select_related("run")
        .order_by("commune_code", "sequence")
    )
    bodies = bankfile_bodies(sorted({f.run_id for f in files})) if files else {}
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in files:
            content, _rows, _total, checksum = bankfile_assemble(
                record.run, record.sequence, record.created_at, bodies[record.run_id]
            )
            if checksum != record.checksum:
                raise Conflict(
                    f"Tệp {record.filename} không còn khớp mã kiểm tra đã ghi khi xuất: không tải về.",
                    fields={"file": "Sai mã kiểm tra."},
                )
            stamp = timezone.localtime(record.created_at)
            info = zipfile.ZipInfo(record.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue(), len(files)


def province_of_or_404(user, requested: str = "", *, reading: bool = False) -> str:
    """As province_of, but anyone else gets the answer a page that does not exist gives."""
    try:
        return province_of(user, requested, reading=reading)
    except NotAllowed as error:
        raise Http404(error.message) from None
