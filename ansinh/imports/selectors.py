"""Reads on imports: the report of a batch, in numbers and in Vietnamese."""

from dataclasses import dataclass, field

from django.db.models import Count

from ansinh.imports.headers import field_for
from ansinh.imports.models import ImportBatch, ImportKind, RowStatus

STATUS_ORDER = [
    RowStatus.VALID,
    RowStatus.ERROR,
    RowStatus.DUPLICATE,
    RowStatus.IMPORTED,
    RowStatus.MERGED,
    RowStatus.REJECTED,
]


@dataclass
class ImportReport:
    batch_id: int
    data_rows: int
    blank_rows: int
    counts: dict  # status → rows
    errors: list = field(default_factory=list)  # (row number, status, message)
    lines: list = field(default_factory=list)

    @property
    def adds_up(self) -> bool:
        return self.blank_rows + sum(self.counts.values()) == self.data_rows

    def text(self) -> str:
        return "\n".join(self.lines)


def import_report(batch: ImportBatch, *, max_errors: int = 50) -> ImportReport:
    target = batch.corrects or batch
    counts = {s.value: 0 for s in STATUS_ORDER}
    for row in target.rows.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    problems = []
    for number, status, errors, note in (
        target.rows.filter(status__in=[RowStatus.ERROR, RowStatus.DUPLICATE, RowStatus.REJECTED])
        .order_by("row_number")
        .values_list("row_number", "status", "errors", "note")[:max_errors]
    ):
        for error in errors or [{"message": note}]:
            problems.append((number, status, error["message"]))
    report = ImportReport(target.pk, target.data_rows, target.blank_rows, counts, problems)
    lines = report.lines
    if batch.corrects_id:
        lines.append(
            f"Tệp sửa lỗi «{batch.file_name}»: cập nhật {batch.updated_rows} dòng của lần nhập #{target.pk}."
        )
    lines.append(
        f"Lần nhập #{target.pk}: tệp «{target.file_name}» ({ImportKind(target.kind).label}), "
        f"dòng tiêu đề: dòng {target.header_row}."
    )
    labels = {s.value: s.label.lower() for s in STATUS_ORDER}
    parts = [f"{counts[s.value]} {labels[s.value]}" for s in STATUS_ORDER if counts[s.value]]
    parts.append(f"{target.blank_rows} dòng trống (bỏ qua)")
    lines.append(f"Số dòng dữ liệu: {target.data_rows} = " + " + ".join(parts) + ".")
    merging = target.rows.filter(status=RowStatus.VALID, values__has_key="person_id").count()
    if merging:
        lines.append(
            f"Trong các dòng hợp lệ, {merging} dòng là người đã có trong sổ: sẽ gộp vào người đó khi ghi."
        )
    used = set(target.mapping.values())
    unused = [c for c in target.columns if c not in used and field_for(c) != ""]
    if unused:
        lines.append("Các cột không dùng: " + ", ".join(f"«{c}»" for c in unused) + ".")
    if problems:
        lines.append("Các dòng cần xem lại:")
        for number, _status, text in problems:
            lines.append(f"  Dòng {number}: {text}")
        total = counts[RowStatus.ERROR] + counts[RowStatus.DUPLICATE] + counts[RowStatus.REJECTED]
        shown = len({n for n, _, _ in problems})
        if total > shown:
            lines.append(f"  … và {total - shown} dòng khác (tải tệp lỗi để xem đủ).")
    return report
