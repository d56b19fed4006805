"""Reconciliation (đối soát): import the provider's return file and match it to the payrolls.

Return file layout (docs/payments.md), UTF-8 CSV:

    H,ANSINH-KQ,1,<commune (5 digits) or province (2)>,<YYYYMM>,<sequence of the payment file>
    D,<reference>,<personal id>,<amount>,<DA_CHI|THAT_BAI|CHUA_NHAN>,<reason>,<paid on dd/mm/yyyy>
    ...
    T,<row count>,<total amount>

Everything is set-based inside one transaction: the detail lines are COPYed into a temp table,
checked with one query (a bad amount, result or date refuses the whole file, naming the line and
the column: nothing is changed), matched to the frozen payees by one join, and recorded as one
PayeeOutcome per payee by one INSERT. Lines that cannot be applied (unknown reference, another
month or commune, duplicates, wrong amount, wrong personal ID, already reconciled) go to the
exception list.

The payment lines are not rewritten for the paid (97 % of a month): they take "paid" when the
payroll is closed (lifecycle.payroll_close). Rewriting millions of lines and payees on each file
cost 75 × the COPY of the file (issue 6, docs/benchmarks.md).

Follow-ups, in the same transaction, over the few lines that need them:
- failed and uncollected payees mark their lines so, and their entitlement's `arrears_from`, so
  the next payroll pays those months again as arrears (the contract of Entitlement.arrears_from);
- three consecutive months uncollected raise a SuspensionProposal (Decree 335/2026 Art. 9(1)(a));
- a paid line for a month after the beneficiary's death becomes an Overpayment to recover
  (Decree 335/2026 Art. 8: payment stops from the month after death).
"""

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ansinh.accounts.roles import can_prepare
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import DivisionType, Province
from ansinh.core.audit import audit_record
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.months import format_month
from ansinh.documents.headers import province_title
from ansinh.payments.lifecycle import mark_reconciled, overpayments_raise
from ansinh.payments.models import PayrollRun, PayrollStatus, ReturnFile

FORMAT = "ANSINH-KQ"
RESULT_CODES = {"DA_CHI": "paid", "THAT_BAI": "failed", "CHUA_NHAN": "uncollected"}
COLUMNS = ["loai_ban_ghi", "ma_chi_tra", "so_dinh_danh", "so_tien", "ket_qua", "ly_do", "ngay_chi"]
MAX_ERRORS = 10


@dataclass
class ImportResult:
    return_file: ReturnFile
    exceptions: int
    reconciled_runs: list[int]
    suspension_proposals: int
    overpayments: int


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: message})


def return_file_split(content: bytes) -> tuple[list[str], bytes, list[str]]:
    """(header fields, detail bytes, trailer fields); detail bytes go to COPY untouched."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    content = content.replace(b"\r\n", b"\n").rstrip(b"\n")
    first, _, rest = content.partition(b"\n")
    body, _, last = rest.rpartition(b"\n")
    try:
        header = first.decode("utf-8").strip().split(",")
        trailer = last.decode("utf-8").strip().split(",")
    except UnicodeDecodeError:
        raise _refuse(
            "file", "Tệp kết quả phải là văn bản UTF-8 (CSV). Hãy lưu lại tệp dạng CSV UTF-8."
        ) from None
    if header[:2] != ["H", FORMAT] or len(header) < 5:
        raise _refuse(
            "file",
            f"Dòng 1 phải là dòng đầu tệp “H,{FORMAT},1,<mã xã>,<năm tháng YYYYMM>,…”: tệp này không phải "
            "tệp kết quả chi trả theo mẫu (xem Hướng dẫn tệp chi trả).",
        )
    if not trailer or trailer[0] != "T" or len(trailer) < 3:
        raise _refuse(
            "file",
            "Dòng cuối phải là dòng tổng “T,<số dòng>,<tổng tiền>”: tệp bị thiếu dòng cuối hoặc bị cắt ngang. "
            "Hãy xin đơn vị chi trả gửi lại tệp đầy đủ.",
        )
    return header, (body + b"\n") if body else b"", trailer


def return_file_check_header(header: list[str], *, area_code: str, month, area_name: str) -> None:
    file_area, file_month = header[3].strip(), header[4].strip()
    if file_area != area_code:
        raise _refuse(
            "commune",
            f"Tệp kết quả là của địa bàn mã {file_area}, không phải {area_name} ({area_code}). "
            "Hãy chọn đúng tệp kết quả của địa bàn này; không có gì được ghi.",
        )
    if file_month != f"{month:%Y%m}":
        shown = f"{file_month[4:]}/{file_month[:4]}" if re.fullmatch(r"\d{6}", file_month) else file_month
        raise _refuse(
            "month",
            f"Tệp kết quả là của tháng {shown}, không phải tháng {format_month(month)}. "
            "Hãy chọn đúng tệp kết quả của tháng này; không có gì được ghi.",
        )


def _copy_lines(cursor, detail: bytes) -> None:
    cursor.execute("DROP TABLE IF EXISTS recon_in")
    cursor.execute(
        "CREATE TEMP TABLE recon_in (line_no bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), "
        "rec text, reference text, personal_id text, amount text, result text, reason text, paid_on text) "
        "ON COMMIT DROP"
    )
    try:
        with transaction.atomic():
            with cursor.cursor.copy(
                "COPY recon_in (rec, reference, personal_id, amount, result, reason, paid_on) "
                "FROM STDIN WITH (FORMAT csv)"
            ) as copy:
                view = memoryview(detail)
                for start in range(0, len(view), 1 << 20):
                    copy.write(view[start : start + (1 << 20)])
    except (DatabaseError, psycopg.Error) as error:
        found = re.search(r"line (\d+)", str(error))
        where = f"dòng {int(found.group(1)) + 1}" if found else "một dòng"
        raise _refuse(
            "file",
            f"Tệp kết quả sai định dạng ở {where}: mỗi dòng chi tiết phải có đúng {len(COLUMNS)} cột "
            f"({', '.join(COLUMNS)}). Hãy sửa tệp rồi nhập lại; không có gì được ghi.",
        ) from None


# The checks of every line, cheapest first. Anchored regular expressions with bounded repeats cost
# PostgreSQL microseconds a row, so the amount is checked by `^[0-9]+$` and its length, and the
# dates (a handful of distinct values in a file) are checked once each in Python (_bad_dates).
_VALIDATE = """
SELECT line_no, field, value FROM (
  SELECT line_no,
         CASE WHEN rec IS DISTINCT FROM 'D' THEN 'loai_ban_ghi'
              WHEN coalesce(reference, '') = '' THEN 'ma_chi_tra'
              WHEN amount IS NULL OR length(amount) > 15 OR amount !~ '^[0-9]+$' THEN 'so_tien'
              WHEN result IS NULL OR result NOT IN ('DA_CHI', 'THAT_BAI', 'CHUA_NHAN') THEN 'ket_qua'
              WHEN result = 'THAT_BAI' AND coalesce(btrim(reason), '') = '' THEN 'ly_do'
              WHEN paid_on = ANY(%(bad_dates)s) THEN 'ngay_chi'
         END AS field,
         CASE WHEN rec IS DISTINCT FROM 'D' THEN rec
              WHEN coalesce(reference, '') = '' THEN reference
              WHEN amount IS NULL OR length(amount) > 15 OR amount !~ '^[0-9]+$' THEN amount
              WHEN result IS NULL OR result NOT IN ('DA_CHI', 'THAT_BAI', 'CHUA_NHAN') THEN result
              WHEN result = 'THAT_BAI' AND coalesce(btrim(reason), '') = '' THEN reason
              ELSE paid_on END AS value
    FROM recon_in) AS checked
 WHERE field IS NOT NULL ORDER BY line_no LIMIT %(limit)s
"""


def _day(text: str) -> dt.date | None:
    """dd/mm/yyyy naming a real day from 1900 on (31/02 is not), else None."""
    if not re.fullmatch(r"[0-9]{2}/[0-9]{2}/[0-9]{4}", text):
        return None
    try:
        day = dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None
    return day if day.year >= 1900 else None


def _bad_dates(cursor) -> list[str]:
    """The paid-on values that are not a real day, or a day still to come."""
    today = timezone.localdate()
    cursor.execute("SELECT DISTINCT paid_on FROM recon_in WHERE coalesce(paid_on, '') <> ''")
    return [text for (text,) in cursor.fetchall() if (_day(text) or dt.date.max) > today]


def _describe(line_no: int, field: str, value: str | None) -> str:
    shown = f"“{value}”" if value not in (None, "") else "(trống)"
    if field == "so_tien":
        if value and value.lstrip().startswith("-"):
            why = "số tiền không được âm"
        elif value and re.fullmatch(r"-?[0-9]+[.,][0-9]*", value.strip()):
            why = "số tiền là số nguyên đồng, không có phần thập phân hay dấu phân cách"
        else:
            why = "số tiền phải là số nguyên đồng (chỉ gồm chữ số)"
        return f"Dòng {line_no}, cột so_tien: {shown}: {why}."
    if field == "ngay_chi" and value and _day(value):
        return f"Dòng {line_no}, cột ngay_chi: {shown}: ngày chi chưa đến (sau hôm nay): ghi ngày đã chi thực tế."
    fixes = {
        "loai_ban_ghi": "dòng chi tiết phải bắt đầu bằng D",
        "ma_chi_tra": "thiếu mã chi trả",
        "ket_qua": "kết quả phải là DA_CHI, THAT_BAI hoặc CHUA_NHAN",
        "ly_do": "chi trả không thành công phải ghi lý do",
        "ngay_chi": "ngày chi phải là ngày có thật, dạng dd/mm/yyyy",
    }
    return f"Dòng {line_no}, cột {field}: {shown}: {fixes[field]}."


def _validate(cursor, trailer: list[str]) -> tuple[int, int]:
    cursor.execute(_VALIDATE, {"bad_dates": _bad_dates(cursor), "limit": MAX_ERRORS})
    errors = cursor.fetchall()
    if errors:
        messages = [_describe(*row) for row in errors]
        first_field = errors[0][1]
        raise InvalidInput(
            "Tệp kết quả có dòng sai, không có gì được ghi. Hãy sửa rồi nhập lại: " + " ".join(messages),
            fields={"file": " ".join(messages), first_field: messages[0]},
        )
    cursor.execute("SELECT count(*), coalesce(sum(amount::bigint), 0) FROM recon_in")
    rows, total = cursor.fetchone()
    if trailer[1].strip() != str(rows) or trailer[2].strip() != str(total):
        raise _refuse(
            "file",
            f"Dòng cuối ghi {trailer[1]} dòng, tổng {trailer[2]} đồng nhưng tệp có {rows} dòng, tổng {total} đồng: "
            "tệp không đầy đủ hoặc đã bị sửa. Hãy xin đơn vị chi trả gửi lại tệp; không có gì được ghi.",
        )
    return rows, int(total)


# Each line, matched to its payee by the reference itself (unique in a month: commune, month and
# person), so a well-formed line costs one hash probe and no pattern matching; only the lines that
# match no payee are told apart (malformed or unknown, or another month's or commune's).
# {answered} joins the outcomes already recorded, only when one of the payrolls has any: the first
# file of a month (the usual case) then reads no outcome at all.
_MATCH = """
CREATE TEMP TABLE recon ON COMMIT DROP AS
SELECT i.line_no, i.reference, coalesce(i.personal_id, '') AS personal_id, i.amount::bigint AS amount,
       CASE i.result WHEN 'DA_CHI' THEN 'paid' WHEN 'THAT_BAI' THEN 'failed' ELSE 'uncollected' END AS result,
       left(coalesce(btrim(i.reason), ''), 255) AS reason,
       CASE WHEN coalesce(i.paid_on, '') <> '' THEN to_date(i.paid_on, 'DD/MM/YYYY') END AS paid_on,
       -- A line matching no payee is still listed under its commune's payroll when there is one.
       coalesce(y.run_id, (SELECT t.run_id FROM recon_runs t WHERE t.commune_id = substr(i.reference, 1, 5))) AS run_id,
       y.id AS payee_id, y.person_id, y.amount AS expected,
       CASE WHEN y.id IS NULL THEN
                 CASE WHEN i.reference ~ '^[0-9]{5}-[0-9]{6}-[0-9]+$'
                       AND (substr(i.reference, 7, 6) <> %(yyyymm)s
                            OR substr(i.reference, 1, 5) NOT IN (SELECT commune_id FROM recon_runs))
                       AND EXISTS (SELECT 1 FROM areas_commune c WHERE c.code = substr(i.reference, 1, 5))
                      THEN 'other_payroll' ELSE 'unknown' END
            WHEN d.reference IS NOT NULL THEN 'duplicate'
            WHEN i.amount::bigint <> y.amount THEN 'wrong_amount'
            WHEN coalesce(i.personal_id, '') <> '' AND i.personal_id IS DISTINCT FROM y.personal_id THEN 'wrong_person'
            {already}
       END AS kind
  FROM recon_in i
  LEFT JOIN payments_payrollpayee y ON y.run_id = ANY(%(run_ids)s::bigint[]) AND y.reference = i.reference
  LEFT JOIN (SELECT reference FROM recon_in GROUP BY reference HAVING count(*) > 1) AS d
         ON d.reference = i.reference
  {answered}
"""


def _target_runs(cursor, runs: list[PayrollRun]) -> None:
    cursor.execute("DROP TABLE IF EXISTS recon_runs")
    cursor.execute(
        "CREATE TEMP TABLE recon_runs (run_id bigint PRIMARY KEY, commune_id varchar(5) UNIQUE) ON COMMIT DROP"
    )
    # The payrolls that take results: lines of any other commune or month are exceptions.
    cursor.execute(
        "INSERT INTO recon_runs SELECT r.id, r.commune_id FROM payments_payrollrun r "
        "WHERE r.id = ANY(%s::bigint[])",
        [[run.pk for run in runs]],
    )
    cursor.execute("ANALYZE recon_runs")


def _match(cursor, runs: list[PayrollRun], month) -> None:
    answered = any(run.result_count for run in runs)
    sql = _MATCH.replace(
        "{already}", "WHEN o.payee_id IS NOT NULL THEN 'already'" if answered else ""
    ).replace("{answered}", "LEFT JOIN payments_payeeoutcome o ON o.payee_id = y.id" if answered else "")
    cursor.execute("DROP TABLE IF EXISTS recon")
    cursor.execute(sql, {"yyyymm": f"{month:%Y%m}", "run_ids": [run.pk for run in runs]})


def _apply(cursor, return_file_id: int) -> dict:
    params = {"file": return_file_id}
    cursor.execute(
        """
        INSERT INTO payments_reconciliationexception
               (return_file_id, run_id, kind, line_no, reference, personal_id, amount, expected_amount, result)
        SELECT %(file)s, run_id, kind, line_no, left(reference, 64), left(personal_id, 32), amount, expected, result
          FROM recon WHERE kind IS NOT NULL
        """,
        params,
    )
    # In key order: neighbouring payees go to neighbouring pages of the outcome's primary key.
    cursor.execute(
        """
        INSERT INTO payments_payeeoutcome (payee_id, result, reason, paid_on, return_file_id)
        SELECT payee_id, result, reason, paid_on, %(file)s FROM recon WHERE kind IS NULL ORDER BY payee_id
        """,
        params,
    )
    cursor.execute(
        """
        UPDATE payments_payrollrun t SET result_count = t.result_count + c.answered
          FROM (SELECT run_id, count(*) AS answered FROM recon WHERE kind IS NULL GROUP BY run_id) AS c
         WHERE t.id = c.run_id
        """
    )
    # The failed and uncollected payees' lines take their result and, in the same statement,
    # carry forward: the months of the regular lines just set are owed again; the next payroll
    # reads them from arrears_from (see decisions.Entitlement.arrears_from).
    cursor.execute(
        """
        WITH changed AS (
            UPDATE payments_paymentline l SET status = r.result
              FROM recon r
             WHERE r.kind IS NULL AND r.result <> 'paid' AND l.run_id = r.run_id AND l.person_id = r.person_id
               AND l.status = 'due'
            RETURNING l.entitlement_id, l.month, l.kind)
        UPDATE decisions_entitlement e SET arrears_from = least(e.arrears_from, g.month)
          FROM (SELECT entitlement_id, min(month) AS month FROM changed
                 WHERE kind = 'regular' GROUP BY entitlement_id) AS g
         WHERE e.id = g.entitlement_id
        """,
        params,
    )
    cursor.execute(
        """
        SELECT count(*) FILTER (WHERE kind IS NULL),
               count(*) FILTER (WHERE kind IS NULL AND result = 'paid'),
               coalesce(sum(amount) FILTER (WHERE kind IS NULL AND result = 'paid'), 0),
               count(*) FILTER (WHERE kind IS NULL AND result = 'failed'),
               coalesce(sum(amount) FILTER (WHERE kind IS NULL AND result = 'failed'), 0),
               count(*) FILTER (WHERE kind IS NULL AND result = 'uncollected'),
               coalesce(sum(amount) FILTER (WHERE kind IS NULL AND result = 'uncollected'), 0)
          FROM recon
        """
    )
    names = ["applied_count", "paid_count", "paid_amount", "failed_count", "failed_amount"]
    names += ["uncollected_count", "uncollected_amount"]
    return dict(zip(names, (int(v) for v in cursor.fetchone()), strict=True))


# The provider a payee is paid through: the bank (an account: bank or social-security) or the
# cash provider (usually the post office). Each sends its own return file.
_PROVIDER = "CASE WHEN {channel} = 'cash' THEN 'cash' ELSE 'account' END"


def _missing(cursor, return_file_id: int, run_ids: list[int]) -> None:
    """Payees of a single-commune file's payroll that still have no result, among those paid
    through the providers this file answers for: listed for the officer. (A bank's file says
    nothing of the cash payees, whose answer comes in the cash provider's file.)"""
    cursor.execute(
        f"""
        INSERT INTO payments_reconciliationexception
               (return_file_id, run_id, kind, reference, personal_id, expected_amount, result)
        SELECT %s, y.run_id, 'missing', y.reference, y.personal_id, y.amount, ''
          FROM payments_payrollpayee y
         WHERE y.run_id = ANY(%s::bigint[])
           -- A file that matched nobody says nothing of its provider: every payee is listed.
           AND (NOT EXISTS (SELECT 1 FROM recon WHERE payee_id IS NOT NULL)
                OR {_PROVIDER.format(channel="y.channel")} IN (
                    SELECT {_PROVIDER.format(channel="p.channel")} FROM recon r
                      JOIN payments_payrollpayee p ON p.id = r.payee_id))
           AND NOT EXISTS (SELECT 1 FROM payments_payeeoutcome o WHERE o.payee_id = y.id)
        """,
        [return_file_id, run_ids],
    )


def _suspension_proposals(cursor, now) -> int:
    """Decree 335/2026 Art. 9(1)(a): not collected in this file's month and in the two months
    before it (in the same commune's payrolls) → a proposal to suspend, one open proposal per person.

    The amount counts each month (and difference) once: an uncollected month is carried forward
    and offered again in the next payroll, so summing the three payees would count it twice."""
    cursor.execute(
        """
        INSERT INTO payments_suspensionproposal
               (person_id, commune_id, first_month, last_month, uncollected_amount, run_id, status, created_at)
        SELECT x.person_id, r.commune_id, (r.month - interval '2 months')::date, r.month,
               (SELECT coalesce(sum(last.amount), 0) FROM (
                    SELECT DISTINCT ON (l.benefit, l.month, l.kind, l.level) l.amount
                      FROM payments_paymentline l JOIN payments_payrollrun lr ON lr.id = l.run_id
                     WHERE l.person_id = x.person_id AND l.status = 'uncollected' AND lr.commune_id = r.commune_id
                       AND lr.month BETWEEN (r.month - interval '2 months')::date AND r.month
                     ORDER BY l.benefit, l.month, l.kind, l.level, lr.month DESC) AS last),
               r.id, 'proposed', %s
          FROM recon x
          JOIN payments_payrollrun r ON r.id = x.run_id
          JOIN payments_payrollrun r2 ON r2.commune_id = r.commune_id
                AND r2.month IN ((r.month - interval '1 month')::date, (r.month - interval '2 months')::date)
          JOIN payments_payrollpayee y2 ON y2.run_id = r2.id AND y2.person_id = x.person_id
          JOIN payments_payeeoutcome o2 ON o2.payee_id = y2.id AND o2.result = 'uncollected'
         WHERE x.kind IS NULL AND x.result = 'uncollected'
         GROUP BY x.person_id, r.id, r.commune_id, r.month
        HAVING count(DISTINCT r2.month) = 2
        ON CONFLICT (person_id) WHERE status = 'proposed' DO NOTHING
        """,
        [now],
    )
    return cursor.rowcount


def _check_actor(actor, area_code: str) -> None:
    if actor is None:
        return
    if not can_prepare(actor) or not AreaScope.for_user(actor).contains_area(area_code):
        raise NotAllowed(
            "Chỉ công chức cấp xã hoặc cán bộ cấp tỉnh phụ trách địa bàn được nhập kết quả chi trả.",
            fields={"actor": "Tài khoản này không được nhập kết quả chi trả."},
        )


def reconcile_import(
    *, actor, run: PayrollRun, content: bytes, filename: str = "", progress: Callable | None = None
) -> ImportResult:
    """Import one commune's return file for its payroll (which must have been sent)."""
    run = PayrollRun.objects.select_related("commune").get(pk=run.pk)
    _check_actor(actor, run.commune_id)
    if run.status not in (PayrollStatus.SENT, PayrollStatus.RECONCILED):
        raise Conflict(
            f"Danh sách chi trả tháng {format_month(run.month)} đang ở trạng thái “{run.get_status_display()}”: "
            "chỉ nhập kết quả sau khi đã gửi tệp chi trả cho đơn vị chi trả và trước khi khóa sổ.",
            fields={"status": "Chưa gửi hoặc đã khóa sổ."},
        )
    return _import(
        actor=actor,
        area_code=run.commune_id,
        area_name=run.commune.name,
        month=run.month,
        runs=[run],
        content=content,
        filename=filename,
        single=run,
        progress=progress,
    )


def _province_name(code: str) -> str:
    """ "tỉnh Nghệ An", "Thành phố Hà Nội": the province's title (documents.headers) in a sentence."""
    province = Province.objects.filter(code=code).first()
    if province is None:
        return f"tỉnh mã {code}"
    title = province_title(province)
    return title[0].lower() + title[1:] if province.division_type == DivisionType.PROVINCE else title


def reconcile_import_area(
    *, actor, area_code: str, month, content: bytes, filename: str = "", progress: Callable | None = None
) -> ImportResult:
    """Import a province's return file: each line goes to its commune's payroll of the month
    (payrolls sent or reconciled; lines of other communes are exceptions)."""
    _check_actor(actor, area_code)
    runs = list(
        PayrollRun.objects.filter(
            commune__province_id=area_code,
            month=month,
            status__in=[PayrollStatus.SENT, PayrollStatus.RECONCILED],
        )
    )
    return _import(
        actor=actor,
        area_code=area_code,
        area_name=_province_name(area_code),
        month=month,
        runs=runs,
        content=content,
        filename=filename,
        single=None,
        progress=progress,
    )


def _import(*, actor, area_code, area_name, month, runs, content, filename, single, progress) -> ImportResult:
    header, detail, trailer = return_file_split(content)
    return_file_check_header(header, area_code=area_code, month=month, area_name=area_name)
    digest = hashlib.sha256(content).hexdigest()
    now = timezone.now()
    run_ids = [run.pk for run in runs]
    with transaction.atomic(), connection.cursor() as cursor:
        # Runs are locked in id order so two imports of overlapping areas never deadlock.
        # Read again under the lock: the counts of results decide how the lines are matched.
        runs = list(PayrollRun.objects.select_for_update().filter(pk__in=run_ids).order_by("pk"))
        if ReturnFile.objects.filter(area_code=area_code, month=month, sha256=digest).exists():
            raise Conflict(
                "Tệp kết quả này đã được nhập (cùng nội dung): không nhập lại.",
                fields={"file": "Tệp đã nhập trước đây."},
            )
        # Statements over up to millions of rows: no JIT, and the window sort, the aggregates and
        # the hash joins in memory rather than in temp files.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        _copy_lines(cursor, detail)
        if progress:
            progress(1, 4, "Đã đọc tệp")
        rows, _total = _validate(cursor, trailer)
        _target_runs(cursor, runs)
        _match(cursor, runs, month)
        if progress:
            progress(2, 4, "Đã đối chiếu")
        return_file = ReturnFile.objects.create(
            run=single,
            area_code=area_code,
            month=month,
            filename=(filename or "")[:255],
            sha256=digest,
            row_count=rows,
            imported_by=actor if getattr(actor, "pk", None) else None,
            imported_at=now,
        )
        counts = _apply(cursor, return_file.pk)
        if single is not None:
            _missing(cursor, return_file.pk, run_ids)
        if progress:
            progress(3, 4, "Đã ghi kết quả")
        overpayments = overpayments_raise(run_ids, now=now)
        proposals = _suspension_proposals(cursor, now)
        cursor.execute(
            "SELECT count(*) FROM payments_reconciliationexception WHERE return_file_id = %s",
            [return_file.pk],
        )
        exceptions = cursor.fetchone()[0]
        for name, value in counts.items():
            setattr(return_file, name, value)
        return_file.exception_count = exceptions
        return_file.save()
        reconciled = mark_reconciled(run_ids, actor=actor, now=now)
        audit_record(
            actor=actor,
            action="payroll.return_file_import",
            entity=return_file,
            area_code=area_code,
            after={
                **counts,
                "row_count": rows,
                "exception_count": exceptions,
                "overpayments": overpayments,
                "suspension_proposals": proposals,
                "reconciled_runs": len(reconciled),
            },
            note=f"{filename} SHA-256 {digest}",
        )
        if progress:
            progress(4, 4, "Xong")
    return ImportResult(return_file, exceptions, reconciled, proposals, overpayments)


def return_file_build(rows: list[tuple], *, area_code: str, month, sequence: int = 1) -> bytes:
    """A return file in the documented layout from (reference, personal_id, amount, code, reason,
    paid_on) rows: what a provider sends back (used by tests, the bench and the demo)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["H", FORMAT, "1", area_code, f"{month:%Y%m}", sequence])
    total = 0
    for reference, personal_id, amount, code, reason, paid_on in rows:
        writer.writerow(["D", reference, personal_id, amount, code, reason, paid_on])
        try:
            total += int(amount)
        except (TypeError, ValueError):
            pass
    writer.writerow(["T", len(rows), total])
    return buffer.getvalue().encode()
