"""/api/v1/payrolls: run a month's payroll and read payrolls, limited to the user's area."""

import datetime as dt

from ninja import Router, Schema

from ansinh.accounts.scope import AreaScope
from ansinh.core.months import parse_month
from ansinh.payments import selectors
from ansinh.payments.access import access_payroll, check_area
from ansinh.payments.bankfile import bankfile_export
from ansinh.payments.lifecycle import payroll_approve, payroll_check
from ansinh.payments.payroll import payroll_run
from ansinh.payments.reconcile import reconcile_import
from ansinh.web.downloads import attachment

router = Router(tags=["payrolls"])


class RunIn(Schema):
    month: str = ""  # "2026-11" or "11/2026"
    area: str = ""  # commune (5 digits), province (2) or "" for the country


class PayrollOut(Schema):
    id: int
    commune_code: str
    commune_name: str
    month: dt.date
    status: str
    line_count: int
    total_amount: int
    arrears_amount: int


class RunOut(Schema):
    month: dt.date
    area: str
    line_count: int
    total_amount: int
    arrears_amount: int
    payrolls: list[PayrollOut]


class LineOut(Schema):
    person_id: int
    person_name: str
    personal_id: str | None
    benefit: str
    category: str
    month: dt.date
    coefficient: str
    level: int
    amount: int
    is_arrears: bool
    status: str
    # The provider's answer for the payee ("", "paid", "failed", "uncollected"): a reconciled
    # payroll's paid lines keep status "due" until it is closed.
    provider_result: str


class TotalOut(Schema):
    benefit: str
    category: str
    line_count: int
    person_count: int
    total_amount: int
    arrears_amount: int


class PayrollDetailOut(PayrollOut):
    totals: list[TotalOut]
    lines: list[LineOut]


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "commune_code": run.commune_id,
        "commune_name": run.commune.name,
        "month": run.month,
        "status": run.status,
        "line_count": run.line_count,
        "total_amount": run.total_amount,
        "arrears_amount": run.arrears_amount,
    }


@router.post("/run", response=RunOut, summary="Build (or rebuild) a month's payroll for an area")
def payrolls_run(request, payload: RunIn):
    area = (payload.area or "").strip()
    check_area(request.auth, area)
    summary = payroll_run(month=payload.month, area_code=area, actor=request.auth)
    return {
        "month": summary.month,
        "area": summary.area_code,
        "line_count": summary.line_count,
        "total_amount": summary.total_amount,
        "arrears_amount": summary.arrears_amount,
        "payrolls": [
            {
                "id": c.run_id,
                "commune_code": c.commune_code,
                "commune_name": c.commune_name,
                "month": summary.month,
                "status": c.status,
                "line_count": c.line_count,
                "total_amount": c.total_amount,
                "arrears_amount": c.arrears_amount,
            }
            for c in summary.communes
        ],
    }


@router.get("", response=list[PayrollOut], summary="Payrolls in the user's area")
def payrolls_list(request, month: str = "", area: str = ""):
    runs = AreaScope.for_user(request.auth).filter(selectors.payroll_list())
    if month:
        runs = runs.filter(month=parse_month(month, field="month"))
    area = area.strip()
    if area:
        check_area(request.auth, area)
        runs = runs.filter(commune_id=area) if len(area) == 5 else runs.filter(commune__province_id=area)
    return [_run_out(run) for run in runs[:5000]]


@router.get("/{payroll_id}", response=PayrollDetailOut, summary="One payroll with its lines")
def payroll_detail(request, payroll_id: int):
    run = access_payroll(request.auth, payroll_id)
    lines = [
        {
            "person_id": line.person_id,
            "person_name": line.person_name,
            "personal_id": line.personal_id,
            "benefit": line.benefit,
            "category": line.category,
            "month": line.month,
            "coefficient": str(line.coefficient),
            "level": line.level,
            "amount": line.amount,
            "is_arrears": line.is_arrears,
            "status": line.status,
            "provider_result": line.provider_result,
        }
        for line in selectors.payroll_lines(run)
    ]
    totals = [
        {**t, "total_amount": t["total_amount"] or 0, "arrears_amount": t["arrears_amount"] or 0}
        for t in selectors.payroll_totals_by_benefit(run)
    ]
    return {**_run_out(run), "totals": totals, "lines": lines}


@router.post("/{payroll_id}/check", response=PayrollOut, summary="Check (freeze) a draft payroll")
def payroll_check_api(request, payroll_id: int):
    run = payroll_check(actor=request.auth, run=access_payroll(request.auth, payroll_id))
    return _run_out(run)


@router.post(
    "/{payroll_id}/approve", response=PayrollOut, summary="Approve a checked payroll (commune chairman)"
)
def payroll_approve_api(request, payroll_id: int):
    run = payroll_approve(actor=request.auth, run=access_payroll(request.auth, payroll_id))
    return _run_out(run)


@router.post(
    "/{payroll_id}/bank-file",
    summary="The bank file (CSV, docs/payments.md) of an approved payroll; the first call marks it sent",
)
def payroll_bank_file_api(request, payroll_id: int):
    issued, content = bankfile_export(actor=request.auth, run=access_payroll(request.auth, payroll_id))
    response = attachment(content, issued.filename, "text/csv; charset=utf-8")
    response["X-Checksum-SHA256"] = issued.checksum
    return response


class ReturnFileOut(Schema):
    return_file_id: int
    row_count: int
    applied_count: int
    paid_count: int
    failed_count: int
    uncollected_count: int
    exception_count: int
    status: str


@router.post(
    "/{payroll_id}/return-file",
    response=ReturnFileOut,
    summary="Import the provider's return file: the request body is the CSV itself (docs/payments.md)",
)
def payroll_return_file_api(request, payroll_id: int):
    run = access_payroll(request.auth, payroll_id)
    result = reconcile_import(actor=request.auth, run=run, content=request.body, filename="api")
    rf = result.return_file
    run.refresh_from_db()
    return {
        "return_file_id": rf.pk,
        "row_count": rf.row_count,
        "applied_count": rf.applied_count,
        "paid_count": rf.paid_count,
        "failed_count": rf.failed_count,
        "uncollected_count": rf.uncollected_count,
        "exception_count": rf.exception_count,
        "status": run.status,
    }
