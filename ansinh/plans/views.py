"""Pages of the plans section (/chi-tieu/). Thin: pick the area through access.area_for_user,
read through selectors, write through services; DomainErrors are shown in Vietnamese."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ansinh.accounts.roles import can_write
from ansinh.accounts.scope import AreaScope
from ansinh.core.errors import DomainError, InvalidInput, NotAllowed
from ansinh.core.months import current_month, format_month, parse_month
from ansinh.plans import charts, reports, selectors, services
from ansinh.plans.access import area_for_user
from ansinh.plans.forms import DenominatorForm, ReportForm
from ansinh.plans.models import Denominator, Indicator
from ansinh.web.downloads import PDF, XLSX, attachment
from ansinh.web.forms import form_submit

STATUS_LABELS = {"met": "Đạt", "off_track": "Chưa đạt", "unknown": "Chưa đánh giá được"}


def _error_page(request, error: DomainError):
    status = 403 if isinstance(error, NotAllowed) else 400
    return render(request, "plans/error.html", {"error": error}, status=status)


def _month(request) -> dt.date:
    text = request.GET.get("thang")
    return parse_month(text, field="thang") if text else current_month()


@login_required
def dashboard(request):
    try:
        area_code = area_for_user(request.user, request.GET.get("khu_vuc"))
        month = _month(request)
    except DomainError as error:
        return _error_page(request, error)
    values = selectors.indicator_values(area_code, month)
    series = selectors.indicator_series(area_code, month)
    # A plan's targets are measured against its own province (or one of its communes): the
    # country page lists the plans and links to each province's page instead.
    targets = (
        selectors.targets_with_actuals(area_code, month, values=values, series=series) if area_code else []
    )
    plan_list = (
        [] if area_code else list(selectors.plans_for_area("").annotate(target_count=Count("targets")))
    )
    for item in targets:
        item.chart = charts.trend_svg(
            item.series,
            target=item.target.value if item.target.unit == "%" else None,
            label=item.target.label or item.target.indicator.name,
        )
        item.status_label = STATUS_LABELS[item.status]
    cards = []
    order = {"computed": 0, "table": 1, "external": 2, "not_held": 3}
    for ind in sorted(selectors.indicators(), key=lambda i: (order.get(i.source, 4), i.code)):
        if ind.code == "other_outside_system":
            continue
        cards.append(
            {
                "indicator": ind,
                "value": values[ind.code],
                "chart": charts.trend_svg(series[ind.code], label=ind.name) if ind.code in series else "",
            }
        )
    plans = {}
    for item in targets:
        plans.setdefault(item.target.plan, []).append(item)
    drill_codes = ["monthly_allowance_coverage", "severe_disability_assisted", "communes_using_system"]
    drill = []
    if len(area_code) == 2:
        drill = selectors.commune_values(area_code, month)
        for row in drill:
            row["cells"] = [row["values"].get(code) for code in drill_codes]
    elif area_code == "":
        drill = [{"code": p.code, "name": p.name, "cells": []} for p in selectors.Province.objects.all()]
    context = {
        "area_code": area_code,
        "area_name": selectors.area_label(area_code),
        "province_code": selectors.province_of(area_code),
        "month": month,
        "month_text": format_month(month),
        "cards": cards,
        "plans": plans,
        "plan_list": plan_list,
        "drill": drill,
    }
    return render(request, "plans/dashboard.html", context)


@login_required
def indicator_detail(request):
    ind = Indicator.objects.filter(code=request.GET.get("chi_so", "")).first()
    if ind is None:
        raise Http404("Không có chỉ số này trong danh mục.")
    try:
        area_code = area_for_user(request.user, request.GET.get("khu_vuc"))
        month = _month(request)
    except DomainError as error:
        return _error_page(request, error)
    breakdown = selectors.indicator_breakdown(ind, area_code, month)
    labels = {"sex": "Theo giới tính", "age_group": "Theo nhóm tuổi", "category": "Theo nhóm đối tượng"}
    sections = [
        {"title": labels[d], "rows": rows, "chart": charts.bar_svg(rows)} for d, rows in breakdown.items()
    ]
    context = {
        "indicator": ind,
        "value": selectors.indicator_values(area_code, month)[ind.code],
        "area_code": area_code,
        "area_name": selectors.area_label(area_code),
        "month_text": format_month(month),
        "sections": sections,
    }
    return render(request, "plans/indicator.html", context)


@login_required
def denominators(request):
    form = DenominatorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done = form_submit(
            request,
            form,
            lambda data: services.denominator_set(actor=request.user, **data),
            aliases={"area": "area_code"},
            success="Đã lưu mẫu số.",
            redirect_to=reverse("plans:denominators"),
        )
        if done:
            return done
        status = 400
    scope = AreaScope.for_user(request.user)
    rows = Denominator.objects.order_by("-year", "area_code", "kind")
    if not scope.is_country:
        # Commune codes are national (a province's communes do not start with its code): the
        # province sees its own row and its communes' rows, a commune only its own.
        rows = rows.filter(Q(area_code=scope.area_code) | Q(area_code__in=scope.communes().values("code")))
    return render(
        request,
        "plans/denominators.html",
        {"form": form, "rows": rows[:200], "can_write": can_write(request.user)},
        status=status,
    )


def _report_from_request(request):
    form = ReportForm(request.GET)
    if not form.is_valid():
        return form, None, None
    try:
        area_code = area_for_user(request.user, form.cleaned_data["khu_vuc"] or None)
        report = reports.report_build(
            user=request.user,
            area_code=area_code,
            date_from=form.cleaned_data["tu_ngay"],
            date_to=form.cleaned_data["den_ngay"],
        )
    except DomainError as error:
        return form, None, error
    return form, report, None


@login_required
def report_page(request):
    own_area = area_for_user(request.user, None)
    try:
        year = int(request.GET.get("nam") or timezone.localdate().year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        return _error_page(
            request,
            InvalidInput.for_field(
                "nam", f"Năm “{request.GET.get('nam')}” không hợp lệ: nhập năm có 4 chữ số, ví dụ 2026."
            ),
        )
    calendar = [
        reports.submission_status(d, own_area)
        for d in reports.deadlines(year, selectors.province_of(own_area))
    ]
    context = {
        "year": year,
        "calendar": calendar,
        "own_area": own_area,
        "can_write": can_write(request.user),
        "form": ReportForm(),
        "report": None,
        "error": None,
    }
    status = 200
    if "tu_ngay" in request.GET:
        form, report, error = _report_from_request(request)
        context.update(form=form, report=report, error=error)
        if error is not None:
            status = 403 if isinstance(error, NotAllowed) else 400
        elif report is None:
            status = 400
    return render(request, "plans/reports.html", context, status=status)


@login_required
def report_download(request, fmt):
    form, report, error = _report_from_request(request)
    if error is not None:
        return _error_page(request, error)
    if report is None:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return _error_page(request, InvalidInput(f"Kỳ báo cáo chưa đúng: {errors}"))
    name = f"bao-cao-{report.area_code or 'toan-quoc'}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}"
    if fmt == "xlsx":
        return attachment(reports.report_workbook(report), f"{name}.xlsx", XLSX)
    return attachment(reports.report_pdf(report), f"{name}.pdf", PDF)


@login_required
@require_POST
def submission_create(request):
    try:
        period_start = dt.date.fromisoformat(request.POST.get("period_start", ""))
        period_end = dt.date.fromisoformat(request.POST.get("period_end", ""))
        due_on = dt.date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        return _error_page(request, InvalidInput("Kỳ báo cáo không hợp lệ: chọn lại từ lịch hạn báo cáo."))
    try:
        services.submission_record(
            actor=request.user,
            schedule=request.POST.get("schedule", ""),
            area_code=area_for_user(request.user, None),
            period_start=period_start,
            period_end=period_end,
            due_on=due_on,
        )
    except DomainError as error:
        return _error_page(request, error)
    messages.success(request, "Đã ghi nhận nộp báo cáo.")
    return redirect(f"{reverse('plans:reports')}?nam={period_end.year}")
