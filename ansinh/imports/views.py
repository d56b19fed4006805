"""Web pages of the import flow: upload → column mapping → validation (background job) → report
(error workbook, corrected re-import) → commit (background job).

Thin: every id is fetched through ansinh.imports.access (404 outside the user's area), the work
is done by the services and the jobs in tasks.py; DomainErrors come back as messages.
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ansinh.accounts.roles import can_write
from ansinh.accounts.scope import AreaScope
from ansinh.core.errors import DomainError
from ansinh.imports import readers
from ansinh.imports.access import access_batch, access_upload, area_filter
from ansinh.imports.forms import NOT_USED, UploadForm, field_choices
from ansinh.imports.headers import FIELD_LABELS, field_for
from ansinh.imports.models import ImportBatch, ImportKind, RowStatus
from ansinh.imports.selectors import import_report
from ansinh.imports.services import (
    import_commit_check,
    import_error_workbook,
    upload_create,
    upload_set_mapping,
)
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_enqueue

SUFFIXES = (".xlsx", ".csv")
READ_ONLY = "Tài khoản thanh tra, kiểm toán chỉ được xem dữ liệu, không được nhập hay ghi danh sách."


def upload_dir() -> Path:
    folder = Path(getattr(settings, "ANSINH_IMPORT_DIR", Path(settings.BASE_DIR) / "var" / "imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _latest_job(name: str, **kwargs) -> Job | None:
    return (
        Job.objects.filter(name=name, **{f"kwargs__{k}": v for k, v in kwargs.items()})
        .order_by("-created_at")
        .first()
    )


def _home(request, form, status=200):
    batches = area_filter(request.user, ImportBatch.objects.filter(corrects__isnull=True)).order_by(
        "-created_at"
    )[:50]
    return render(
        request,
        "imports/home.html",
        {"form": form, "batches": batches, "can_write": can_write(request.user)},
        status=status,
    )


def _store(upload) -> str:
    """The uploaded file on disk under a random name (the officer's name is kept as text)."""
    suffix = Path(upload.name).suffix.lower()
    path = upload_dir() / f"{uuid.uuid4().hex}{suffix if suffix in SUFFIXES else ''}"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(path)


@login_required
def import_home(request):
    if request.method != "POST":
        return _home(request, UploadForm())
    if not can_write(request.user):
        raise PermissionDenied(READ_ONLY)
    # The size is known from the request before the file is read: refuse a file over the limit
    # before anything of it is kept.
    uploaded = request.FILES.get("file")
    if uploaded is not None and uploaded.size > readers.max_bytes():
        form = UploadForm(request.POST)
        form.is_valid()
        form.add_error(
            None,
            f"Tệp «{uploaded.name}» nặng {uploaded.size / 1024 / 1024:.0f} MB, vượt giới hạn "
            f"{readers.max_bytes() / 1024 / 1024:.0f} MB: tách danh sách thành nhiều tệp nhỏ hơn (ví dụ theo xã) "
            "rồi nhập từng tệp.",
        )
        return _home(request, form, status=400)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _home(request, form, status=400)
    data = form.cleaned_data
    path = _store(data["file"])
    try:
        upload, existing = upload_create(
            actor=request.user,
            path=path,
            kind=data["kind"],
            file_name=os.path.basename(data["file"].name),
            template_name=data["template"],
        )
    except DomainError as error:
        os.unlink(path)
        form.add_error(None, error.message)
        return _home(request, form, status=400)
    if existing is not None:
        os.unlink(path)
        target = existing.corrects or existing
        messages.info(
            request,
            f"Tệp «{existing.file_name}» đã được nhập ở lần nhập #{target.pk}: không nhập lại, không thay đổi gì.",
        )
        return redirect("imports:batch", batch_id=target.pk)
    if upload.is_correction:
        _enqueue_validation(request, upload)
        messages.info(request, "Tệp sửa lỗi: các dòng trong tệp được kiểm tra lại, cập nhật vào lần nhập cũ.")
    return redirect("imports:upload", upload_id=upload.pk)


def _enqueue_validation(request, upload) -> Job:
    return job_enqueue(
        "imports.validate",
        actor=request.user,
        area_code=upload.area_code,
        kwargs={"upload_id": upload.pk},
        label=f"Kiểm tra tệp «{upload.file_name}»",
    )


@login_required
def upload_detail(request, upload_id):
    """The column-mapping step, then the validation's progress."""
    upload = access_upload(request.user, upload_id)
    job = _latest_job("imports.validate", upload_id=upload.pk)
    errors: dict[str, str] = {}
    general = ""
    chosen = {label: field for field, label in upload.mapping.items()}
    template_name = upload.template.name if upload.template_id else ""
    if request.method == "POST" and job is None:
        if not can_write(request.user):
            raise PermissionDenied(READ_ONLY)
        chosen = {}
        mapping: dict[str, str] = {}
        for index, label in enumerate(upload.labels):
            field = request.POST.get(f"col_{index}", NOT_USED)
            chosen[label] = field
            if field == NOT_USED:
                continue
            if field in mapping:
                errors[label] = (
                    f"Trường «{FIELD_LABELS.get(field, field)}» đã được chọn cho cột «{mapping[field]}»: "
                    "mỗi trường chỉ chọn cho một cột."
                )
                continue
            mapping[field] = label
        template_name = request.POST.get("template_name", "").strip()
        if not errors:
            try:
                upload_set_mapping(
                    actor=request.user, upload=upload, mapping=mapping, template_name=template_name
                )
            except DomainError as error:
                general = error.message
            else:
                job = _enqueue_validation(request, upload)
                return redirect("imports:upload", upload_id=upload.pk)
    columns = [
        {
            "index": index,
            "label": label,
            "field": chosen.get(label, NOT_USED),
            "recognised": field_for(label) not in (None, ""),
            "error": errors.get(label, ""),
        }
        for index, label in enumerate(upload.labels)
    ]
    context = {
        "upload": upload,
        "job": job,
        "columns": columns,
        "choices": field_choices(upload.kind),
        "general_error": general,
        "template_name": template_name,
        "kind_label": ImportKind(upload.kind).label,
    }
    return render(request, "imports/upload.html", context, status=400 if (errors or general) else 200)


@login_required
def batch_detail(request, batch_id):
    batch = access_batch(request.user, batch_id)
    report = import_report(batch, max_errors=200)
    problems = list(
        batch.rows.filter(status__in=[RowStatus.ERROR, RowStatus.DUPLICATE, RowStatus.REJECTED])
        .order_by("row_number")
        .values("row_number", "status", "errors", "note")[:200]
    )
    labels = dict(RowStatus.choices)
    for row in problems:
        row["status_label"] = labels[row["status"]]
        row["errors"] = row["errors"] or [{"column": "", "value": "", "message": row["note"]}]
    counts = report.counts
    waiting = counts[RowStatus.ERROR] + counts[RowStatus.DUPLICATE] + counts[RowStatus.REJECTED]
    context = {
        "batch": batch,
        "report": report,
        "summary_lines": [
            line for line in report.lines if not line.startswith("  ") and not line.endswith(":")
        ],
        "counts": [(labels[s], n, s) for s, n in counts.items()],
        "problems": problems,
        "waiting": waiting,
        "commit_job": _latest_job("imports.commit", batch_id=batch.pk),
        "corrections": batch.corrections.order_by("created_at"),
        "can_write": can_write(request.user),
        "upload_form": UploadForm(initial={"kind": batch.kind}),
        "kind_label": ImportKind(batch.kind).label,
    }
    return render(request, "imports/batch.html", context)


@login_required
def batch_errors(request, batch_id):
    """The error workbook: the rows still waiting, with "Mã dòng nhập" and "Lỗi"."""
    batch = access_batch(request.user, batch_id)
    path = upload_dir() / f"loi-{batch.pk}-{uuid.uuid4().hex}.xlsx"
    import_error_workbook(batch=batch, path=str(path))
    handle = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    os.unlink(path)  # the open handle keeps the data until the response is sent
    return FileResponse(handle, as_attachment=True, filename=f"dong-loi-lan-nhap-{batch.pk}.xlsx")


@login_required
@require_POST
def batch_commit(request, batch_id):
    batch = access_batch(request.user, batch_id)
    if not can_write(request.user):
        raise PermissionDenied(READ_ONLY)
    if not batch.rows.filter(status=RowStatus.VALID).exists():
        messages.warning(
            request, "Lần nhập này không còn dòng hợp lệ nào chờ ghi: không có gì để ghi vào sổ."
        )
        return redirect("imports:batch", batch_id=batch.pk)
    try:
        import_commit_check(request.user, batch.corrects or batch)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("imports:batch", batch_id=batch.pk)
    job = _latest_job("imports.commit", batch_id=batch.pk)
    if job is None or job.finished:
        job_enqueue(
            "imports.commit",
            actor=request.user,
            area_code=batch.area_code or AreaScope.for_user(request.user).area_code,
            kwargs={"batch_id": batch.pk},
            label=f"Ghi lần nhập #{batch.pk} vào sổ",
        )
    return redirect(reverse("imports:batch", args=[batch.pk]) + "#ghi-vao-so")
