"""Web pages of the duplicate review queue: the area's candidate pairs, a pair side by side
(confirm and merge with the survivorship choices shown, or reject), a merge and its undo.

Thin: ids through ansinh.dedup.access (404 outside the area), work by ansinh.dedup.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ansinh.accounts.roles import can_write
from ansinh.accounts.scope import AreaScope
from ansinh.core.errors import DomainError
from ansinh.dedup.access import access_candidate, access_merge, candidates_for_user
from ansinh.dedup.models import CandidateStatus, MergeRecord
from ansinh.dedup.selectors import merge_summary, pair_comparison
from ansinh.dedup.services import GROUPS, candidate_reject, merge_undo, person_merge
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_enqueue
from ansinh.registry.models import Person

READ_ONLY = "Tài khoản thanh tra, kiểm toán chỉ được xem, không được xử lý hồ sơ trùng."


@login_required
def queue(request):
    waiting = candidates_for_user(request.user).filter(status=CandidateStatus.PENDING)
    pending = list(waiting.order_by("-score", "pk")[:200])
    pending_total = len(pending) if len(pending) < 200 else waiting.count()
    persons = Person.objects.select_related("village").in_bulk(
        [c.left_id for c in pending] + [c.right_id for c in pending]
    )
    rows = [
        {"candidate": c, "left": persons.get(c.left_id), "right": persons.get(c.right_id)} for c in pending
    ]
    scope = AreaScope.for_user(request.user)
    merges = scope.filter(
        MergeRecord.objects.select_related("survivor", "merged_by"), "survivor__commune"
    ).order_by("-merged_at")[:20]
    job = Job.objects.filter(name="dedup.area_scan", created_by=request.user).order_by("-created_at").first()
    return render(
        request,
        "dedup/queue.html",
        {
            "rows": rows,
            "pending_total": pending_total,
            "merges": merges,
            "job": job,
            "can_write": can_write(request.user),
        },
    )


@login_required
@require_POST
def scan(request):
    if not can_write(request.user):
        raise PermissionDenied(READ_ONLY)
    job_enqueue("dedup.area_scan", actor=request.user, area_code=AreaScope.for_user(request.user).area_code)
    return redirect("dedup:queue")


def _pair_page(request, candidate, *, keep_side="left", choices=None, error="", status=200):
    persons = Person.objects.select_related("commune", "village").in_bulk(
        [candidate.left_id, candidate.right_id]
    )
    left, right = persons.get(candidate.left_id), persons.get(candidate.right_id)
    rows = pair_comparison(left, right) if left and right else []
    for row in rows:
        row["chosen"] = (choices or {}).get(row["group"], row["keep"])
    return render(
        request,
        "dedup/candidate.html",
        {
            "candidate": candidate,
            "left": left,
            "right": right,
            "rows": rows,
            "keep_side": keep_side,
            "error": error,
            "can_write": can_write(request.user) and candidate.status == CandidateStatus.PENDING,
            "merges": candidate.merges.order_by("-merged_at"),
        },
        status=status,
    )


@login_required
def candidate_detail(request, candidate_id):
    candidate = access_candidate(request.user, candidate_id)
    if request.method != "POST":
        return _pair_page(request, candidate)
    if not can_write(request.user):
        raise PermissionDenied(READ_ONLY)
    action = request.POST.get("action")
    if action == "reject":
        try:
            candidate_reject(
                actor=request.user, candidate=candidate, note=request.POST.get("note", "").strip()
            )
        except DomainError as error:
            return _pair_page(request, candidate, error=error.message, status=400)
        messages.success(request, "Đã ghi nhận: hai hồ sơ không phải là một người.")
        return redirect("dedup:queue")
    keep_side = "right" if request.POST.get("keep") == "right" else "left"
    sides = {group: ("right" if request.POST.get(f"g_{group}") == "right" else "left") for group in GROUPS}
    field_choices = {group: ("survivor" if side == keep_side else "merged") for group, side in sides.items()}
    survivor_id, merged_id = (
        (candidate.left_id, candidate.right_id)
        if keep_side == "left"
        else (candidate.right_id, candidate.left_id)
    )
    persons = Person.objects.in_bulk([survivor_id, merged_id])
    try:
        record = person_merge(
            actor=request.user,
            survivor=persons[survivor_id],
            merged=persons[merged_id],
            field_choices=field_choices,
            candidate=candidate,
        )
    except (DomainError, KeyError) as error:
        text = getattr(error, "message", "Một trong hai hồ sơ không còn: tải lại trang.")
        return _pair_page(request, candidate, keep_side=keep_side, choices=sides, error=text, status=400)
    messages.success(
        request, f"Đã gộp hai hồ sơ vào hồ sơ {record.survivor.full_name}. Có thể hoàn tác ở trang này."
    )
    return redirect("dedup:merge", merge_id=record.pk)


@login_required
def merge_detail(request, merge_id):
    merge = access_merge(request.user, merge_id)
    return render(
        request,
        "dedup/merge.html",
        {
            "merge": merge,
            "rows": merge_summary(merge),
            "merged_name": merge.before["merged"]["full_name"],
            "can_write": can_write(request.user) and not merge.undone_at,
        },
    )


@login_required
@require_POST
def merge_undo_view(request, merge_id):
    merge = access_merge(request.user, merge_id)
    if not can_write(request.user):
        raise PermissionDenied(READ_ONLY)
    try:
        person = merge_undo(actor=request.user, merge=merge)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã hoàn tác: hồ sơ {person.full_name} được khôi phục như trước khi gộp.")
    return redirect("dedup:merge", merge_id=merge.pk)
