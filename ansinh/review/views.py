"""Pages of the monthly review (/ra-soat/): the month's items of the user's area by commune, the
reason in Vietnamese, a link that opens the decision form prefilled from the item, and a button
that runs the review as a background job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ansinh.accounts.roles import can_prepare
from ansinh.accounts.scope import AreaScope
from ansinh.core.errors import DomainError
from ansinh.core.months import current_month, parse_month
from ansinh.jobs.services import job_enqueue
from ansinh.review import selectors
from ansinh.review.access import access_review_item
from ansinh.review.services import review_item_close


def _month(request):
    text = request.GET.get("month") or request.POST.get("month") or ""
    if text:
        try:
            return parse_month(text), ""
        except DomainError as error:
            return current_month(), error.message
    months = selectors.review_months(request.user)
    return (months[0] if months else current_month()), ""


@login_required
def review_list(request):
    month, month_error = _month(request)
    scope = AreaScope.for_user(request.user)
    communes = selectors.review_communes(request.user, month)
    commune = request.GET.get("commune") or (scope.commune_code if scope.commune_code else "")
    if not commune and len(communes) == 1:
        commune = communes[0]["commune_id"]
    items = list(selectors.review_items(request.user, month, commune)[:1000]) if commune else []
    context = {
        "month": month,
        "month_error": month_error,
        "communes": communes,
        "commune": commune,
        "commune_name": next((c["commune__name"] for c in communes if c["commune_id"] == commune), ""),
        "items": items,
        "last_run": selectors.review_last_run(month, scope.area_code),
        "can_prepare": can_prepare(request.user),
    }
    return render(request, "review/list.html", context)


@login_required
@require_POST
def review_start(request):
    month, month_error = _month(request)
    if month_error or not can_prepare(request.user):
        messages.error(request, month_error or "Chỉ cán bộ lập quyết định được chạy rà soát.")
        return redirect("review:list")
    area_code = AreaScope.for_user(request.user).area_code
    job = job_enqueue(
        "review.run",
        actor=request.user,
        area_code=area_code,
        kwargs={"month": month.isoformat(), "area_code": area_code},
    )
    return redirect(reverse("jobs:detail", args=[job.id]))


@login_required
@require_POST
def review_item_dismiss(request, review_item_id):
    item = access_review_item(request.user, review_item_id)
    try:
        review_item_close(actor=request.user, item=item, dismiss=True)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã ghi: {item.person.full_name} không cần quyết định.")
    return redirect(reverse("review:list") + f"?month={item.month:%Y-%m}&commune={item.commune_id}")
