"""Background jobs of the web import flow (ansinh/jobs): validating an uploaded file into staging,
and committing a batch into the registry. Both are idempotent: validating the same file again
finds its batch; committing a committed batch writes nothing (its rows are no longer valid)."""

import os

from django.urls import reverse

from ansinh.imports.models import ImportBatch, ImportUpload
from ansinh.imports.selectors import import_report
from ansinh.imports.services import import_commit, import_file
from ansinh.jobs.registry import task
from ansinh.plans.services import aggregates_refresh_later


class Counter:
    """Adapts the services' `progress(n)` (n more done, tqdm style) to the job's
    `progress(done, total, message)`."""

    def __init__(self, progress, total: int, message: str):
        self.progress = progress
        self.total = max(int(total), 0)
        self.message = message
        self.done = 0
        progress(0, self.total, message)

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if self.done > self.total:
            self.total = self.done
        self.progress(self.done, self.total, self.message)


@task("imports.validate", label="Kiểm tra danh sách nhập")
def validate_upload_task(progress, *, actor, upload_id: int) -> dict:
    upload = ImportUpload.objects.get(pk=upload_id)
    counter = Counter(
        progress, upload.row_estimate, f"Đang đọc và kiểm tra từng dòng của tệp «{upload.file_name}»"
    )
    batch = import_file(
        actor=actor,
        path=upload.stored_path,
        kind=upload.kind,
        file_name=upload.file_name,
        mapping=None if upload.is_correction else upload.mapping,
        template_name=upload.template.name if upload.template_id else None,
        progress=counter,
    )
    upload.batch = batch
    upload.save(update_fields=["batch"])
    # Staged now (raw values included): the uploaded copy is no longer needed.
    if os.path.exists(upload.stored_path):
        os.unlink(upload.stored_path)
    target = batch.corrects or batch
    report = import_report(batch, max_errors=0)
    counts = report.counts
    message = (
        f"Đã kiểm tra {target.data_rows} dòng: {counts['valid']} hợp lệ, {counts['error']} có lỗi, "
        f"{counts['duplicate']} nghi trùng, {target.blank_rows} dòng trống."
    )
    if batch.corrects_id:
        message = f"Tệp sửa lỗi cập nhật {batch.updated_rows} dòng. " + message
    progress(counter.total, counter.total, message)  # the page shows the outcome, not the last step
    return {"message": message, "url": reverse("imports:batch", args=[target.pk]), "batch_id": target.pk}


@task("imports.commit", label="Ghi danh sách vào sổ")
def commit_batch_task(progress, *, actor, batch_id: int) -> dict:
    batch = ImportBatch.objects.get(pk=batch_id)
    valid = batch.rows.filter(status="valid").count()
    counter = Counter(progress, valid, "Đang ghi các dòng hợp lệ vào sổ đối tượng")
    summary = import_commit(actor=actor, batch=batch, progress=counter)
    aggregates_refresh_later(actor=actor, area_code=batch.area_code)
    message = (
        f"Đã ghi vào sổ: {summary.imported} dòng nhập mới, {summary.merged} dòng gộp vào người đã có, "
        f"{summary.rejected} dòng loại bỏ."
    )
    progress(counter.total, counter.total, message)
    return {"message": message, "url": reverse("imports:batch", args=[batch.pk])}
