"""Bring a commune's spreadsheet into the registry in two steps.

1. `import_file` reads the file, maps its columns (automatically, or with a saved template),
   validates every row into the staging tables (ImportBatch, ImportRow) and flags rows that look
   like duplicates. Nothing in the registry changes. The same file again finds its batch and
   changes nothing; a corrected error workbook (it carries the column "Mã dòng nhập") updates
   only the rows it names.
2. `import_commit` writes the valid rows into the registry in one transaction with set-based
   inserts (commit.py) and audit rows, then marks every row imported, merged or rejected.
"""

import hashlib
import os
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from ansinh.accounts.models import AreaLevel, Role
from ansinh.accounts.roles import can_sign, can_write
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune
from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.text import fold, nfc
from ansinh.imports import readers
from ansinh.imports.copying import copy_rows
from ansinh.imports.headers import FIELD_LABELS, auto_mapping, detect_header, is_column_number_row
from ansinh.imports.models import ImportBatch, ImportKind, ImportRow, ImportTemplate, RowStatus
from ansinh.imports.normalize import text_of
from ansinh.imports.validate import Context, missing_columns, validate_row
from ansinh.registry.models import Person

ROW_BATCH = 2000
REF_LABEL = "Mã dòng nhập"
ERRORS_LABEL = "Lỗi"


@dataclass(slots=True)
class _Staged:
    """A validated row before it is staged: the ImportRow fields the duplicate checks read and
    set, without building a model instance per row (100,000 of them cost seconds)."""

    row_number: int
    key: str
    raw: dict
    values: dict
    status: str
    errors: list


def _file_hash(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_actor(actor, *, writing: bool) -> AreaScope | None:
    if actor is None:
        if writing:
            raise NotAllowed("Cần tài khoản cán bộ (--actor) để ghi danh sách vào sổ.")
        return None
    if not can_write(actor):
        raise NotAllowed("Tài khoản thanh tra, kiểm toán chỉ được xem dữ liệu, không được nhập danh sách.")
    return AreaScope.for_user(actor)


def _check_kind(kind: str) -> None:
    if kind not in ImportKind.values:
        raise InvalidInput.for_field(
            "kind", f"Loại danh sách «{kind}» không có: chọn một trong {', '.join(ImportKind.values)}."
        )


# --- templates -------------------------------------------------------------------------------


def template_save(*, actor, name: str, kind: str, mapping: dict) -> ImportTemplate:
    """Save (or replace) a named column mapping {field: header as written in the file}."""
    _check_kind(kind)
    name = nfc(name)
    if not name:
        raise InvalidInput.for_field("name", "Chưa đặt tên cho mẫu ánh xạ cột.")
    unknown = sorted(set(mapping) - set(FIELD_LABELS))
    if unknown:
        raise InvalidInput.for_field("mapping", f"Trường không có: {', '.join(unknown)}.")
    template, _ = ImportTemplate.objects.update_or_create(
        name=name,
        defaults={
            "kind": kind,
            "mapping": mapping,
            "created_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    return template


def _template(template_name: str | None, kind: str) -> ImportTemplate | None:
    """The saved template of that name (None if there is none yet), refused for another kind."""
    if not template_name:
        return None
    template = ImportTemplate.objects.filter(name=nfc(template_name)).first()
    if template is not None and template.kind != kind:
        raise InvalidInput.for_field(
            "template",
            f"Mẫu «{template.name}» dùng cho «{ImportKind(template.kind).label}», không dùng được cho "
            f"«{ImportKind(kind).label}»: chọn mẫu khác hoặc đặt tên mẫu mới.",
        )
    return template


def _header(head: list[list], name: str) -> tuple[int, list[str], int]:
    found = detect_header(head)
    if found is None:
        raise InvalidInput(
            f"Không tìm thấy dòng tiêu đề trong {len(head)} dòng đầu của tệp «{name}»: bảng cần có dòng tiêu đề "
            "ghi tên cột như «Họ và tên», «Ngày sinh», «Số định danh», «Xã/Phường».",
            fields={"file": "no_header"},
            code="file_no_header",
        )
    return found


# --- web upload: inspect the file before validating it -----------------------------------------


def upload_create(*, actor, path: str, kind: str, file_name: str, template_name: str = ""):
    """Check an uploaded file (refusals as in `import_file`, before anything is written), find its
    header and suggest a column mapping (the saved template's, else the automatic one). Returns
    (upload, existing batch or None): the same file imported before is found, not staged again."""
    from ansinh.imports.models import ImportUpload

    _check_kind(kind)
    scope = _check_actor(actor, writing=False)
    size = readers.check_file(path, file_name)
    digest = _file_hash(path)
    existing = ImportBatch.objects.filter(kind=kind, file_hash=digest).first()
    if existing is not None:
        return None, existing
    sheet = readers.open_sheet(path, file_name)
    head, _rows = readers.split_head(sheet)
    header_index, labels, _height = _header(head, file_name)
    template = _template(template_name, kind)
    suggested = auto_mapping(labels)
    if template is not None:
        suggested = {f: lab for f, lab in template.mapping.items() if lab in labels} or suggested
    upload = ImportUpload.objects.create(
        kind=kind,
        file_name=file_name[:255],
        stored_path=path,
        file_size=size,
        file_hash=digest,
        labels=[lab for lab in labels if lab],
        header_row=header_index + 1,
        mapping=suggested,
        row_estimate=sheet.total_rows or 0,
        is_correction="row_ref" in suggested,
        template=template,
        actor=actor,
        area_code=scope.area_code if scope else "",
    )
    return upload, None


def upload_set_mapping(*, actor, upload, mapping: dict, template_name: str = "") -> dict:
    """The officer's column mapping {field: label}: every label from the file, every field once,
    the required columns present. Raises InvalidInput naming the field; returns the mapping."""
    _check_actor(actor, writing=False)
    clean: dict[str, str] = {}
    for field_name, label in mapping.items():
        if not label:
            continue
        if field_name not in FIELD_LABELS:
            raise InvalidInput.for_field("mapping", f"Trường «{field_name}» không có.")
        if label not in upload.labels:
            raise InvalidInput.for_field(
                field_name, f"Cột «{label}» không có trong tệp: chọn một cột của dòng tiêu đề."
            )
        clean[field_name] = label
    twice = defaultdict(list)
    for field_name, label in clean.items():
        twice[label].append(FIELD_LABELS[field_name])
    for label, names in twice.items():
        if len(names) > 1:
            raise InvalidInput.for_field(
                "mapping",
                f"Cột «{label}» được chọn cho nhiều trường ({', '.join(names)}): mỗi cột chỉ dùng cho một trường.",
            )
    missing = missing_columns(upload.kind, clean)
    if missing:
        raise InvalidInput.for_field(
            "mapping",
            f"Chưa chọn cột cho {', '.join(missing)}: chọn cột tương ứng trong tệp (bắt buộc với "
            f"«{ImportKind(upload.kind).label}»).",
        )
    if template_name:
        upload.template = template_save(actor=actor, name=template_name, kind=upload.kind, mapping=clean)
    upload.mapping = clean
    upload.save(update_fields=["mapping", "template"])
    return clean


# --- validation into staging -----------------------------------------------------------------


def _context(kind: str, mapping: dict, scope: AreaScope | None, actor) -> Context:
    communes = {
        code: (name, province)
        for code, name, province in Commune.objects.values_list("code", "name", "province_id")
    }
    default_commune = default_province = ""
    if actor is not None and scope is not None:
        if scope.level == "commune":
            default_commune = scope.commune_code
        if scope.province_code:
            from ansinh.areas.models import Province

            default_province = (
                Province.objects.filter(code=scope.province_code).values_list("name", flat=True).first() or ""
            )
    return Context(
        kind=kind,
        mapping=mapping,
        scope=scope,
        default_commune=default_commune,
        default_province=default_province,
        communes=communes,
    )


def import_file(
    *,
    actor,
    path: str,
    kind: str,
    template_name: str | None = None,
    file_name: str | None = None,
    mapping: dict | None = None,
    progress=None,
) -> ImportBatch:
    """Validate a file into a staging batch (see the module docstring). Refusals raise InvalidInput
    before anything is written. `batch.already` is True when the same file was imported before."""
    _check_kind(kind)
    scope = _check_actor(actor, writing=False)
    name = file_name or os.path.basename(path)
    size = readers.check_file(path, name)
    digest = _file_hash(path)
    existing = ImportBatch.objects.filter(kind=kind, file_hash=digest).first()
    if existing is not None:
        existing.already = True
        return existing
    sheet = readers.open_sheet(path, name)
    head, all_rows = readers.split_head(sheet)
    template = _template(template_name, kind)
    header_index, labels, height = _header(head, name)
    chosen = mapping is not None  # the officer's own mapping (web column-mapping step)
    if chosen:
        mapping = {f: lab for f, lab in mapping.items() if lab in labels and f in FIELD_LABELS}
    elif template is not None:
        mapping = {f: lab for f, lab in template.mapping.items() if lab in labels}
    else:
        mapping = auto_mapping(labels)
    if "row_ref" in mapping:
        return _import_correction(
            actor=actor,
            scope=scope,
            kind=kind,
            name=name,
            size=size,
            digest=digest,
            sheet=sheet,
            labels=labels,
            rows=all_rows,
            start=header_index + height,
            progress=progress,
        )
    missing = missing_columns(kind, mapping)
    if missing:
        raise InvalidInput(
            f"Tệp «{name}» thiếu cột {', '.join(missing)} (dòng tiêu đề là dòng {header_index + 1}): "
            "thêm cột đó, hoặc đặt lại tên cột cho đúng.",
            fields={"file": "missing_columns"},
            code="file_missing_columns",
        )
    if template_name and (template is None or chosen):
        template = template_save(actor=actor, name=template_name, kind=kind, mapping=mapping)

    clock = time.perf_counter()
    ctx = _context(kind, mapping, scope, actor)
    column_of = {field: labels.index(label) for field, label in mapping.items()}
    labelled = [(i, label) for i, label in enumerate(labels) if label]
    staged: list[_Staged] = []
    data_rows = blank = 0
    pending_blank = 0
    first_row = header_index + height
    for number, cells in enumerate(all_rows, start=1):
        if progress:
            progress(1)
        if number <= first_row:
            continue
        if number == first_row + 1 and is_column_number_row(cells):
            continue
        if all(text_of(c) == "" for c in cells):
            pending_blank += 1  # counted only if data follows (trailing empty rows are not rows)
            continue
        data_rows += 1 + pending_blank
        blank += pending_blank
        pending_blank = 0
        row_cells = {field: (cells[i] if i < len(cells) else None) for field, i in column_of.items()}
        result = validate_row(row_cells, ctx)
        width = len(cells)
        raw = {label: text_of(cells[i]) if i < width else "" for i, label in labelled}
        staged.append(
            _Staged(
                row_number=number,
                key=result.key,
                raw=raw,
                values=result.values,
                status=RowStatus.ERROR if result.errors else RowStatus.VALID,
                errors=result.errors,
            )
        )
    if not staged:
        raise InvalidInput(
            f"Tệp «{name}» có dòng tiêu đề (dòng {header_index + 1}) nhưng không có dòng dữ liệu nào.",
            fields={"file": "no_rows"},
            code="file_no_rows",
        )
    timings = {"read_validate": time.perf_counter() - clock}
    clock = time.perf_counter()
    _flag_duplicates(staged, mapping)
    _match_registry(staged, mapping)
    _flag_lookalikes(staged, mapping, scope)
    timings["duplicates"] = time.perf_counter() - clock
    clock = time.perf_counter()
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind,
            file_name=name[:255],
            file_hash=digest,
            file_size=size,
            sheet_name=sheet.name[:100],
            header_row=header_index + 1,
            mapping=mapping,
            columns=[lab for lab in labels if lab],
            template=template,
            actor=actor,
            area_code=scope.area_code if scope else "",
            data_rows=data_rows,
            blank_rows=blank,
        )
        copy_rows(
            ImportRow,
            ("batch_id", "row_number", "key", "raw", "values", "status", "errors"),
            [(batch.pk, r.row_number, r.key, r.raw, r.values, r.status, r.errors) for r in staged],
        )
    timings["stage"] = time.perf_counter() - clock
    batch.already = False
    batch.timings = timings
    return batch


def _duplicate_error(row: ImportRow, mapping: dict, first: int, by_id: bool) -> dict:
    field = "personal_id" if by_id else "full_name"
    column = mapping.get(field) or FIELD_LABELS[field]
    value = row.raw.get(column, "")
    if by_id:
        reason = (
            f"trùng số định danh với dòng {first}: nếu là một người thì xoá một dòng, "
            "nếu là hai người thì sửa lại số định danh cho đúng."
        )
    else:
        reason = (
            f"trùng họ tên, ngày sinh và xã với dòng {first}: nếu là một người thì xoá một dòng, "
            "nếu là hai người thì ghi số định danh để phân biệt."
        )
    shown = f"Cột «{column}», giá trị «{value}»: {reason}"
    return {"column": column, "value": value, "message": shown}


def _flag_duplicates(rows: list[ImportRow] | list[_Staged], mapping: dict, known: dict | None = None) -> None:
    """Within the file: the same row key twice (personal ID, else folded name + birth + commune,
    with the kind's own part, e.g. the year for poverty). The later row is the duplicate."""
    seen: dict[str, int] = dict(known or {})
    for row in rows:
        if row.status != RowStatus.VALID or not row.key:
            continue
        first = seen.get(row.key)
        if first is None:
            seen[row.key] = row.row_number
            continue
        row.status = RowStatus.DUPLICATE
        row.values["duplicate_of_row"] = first
        row.errors = [_duplicate_error(row, mapping, first, by_id=bool(row.values.get("personal_id")))]


def _match_registry(rows: list[ImportRow] | list[_Staged], mapping: dict) -> None:
    """Rows of a person already in the registry: by personal ID, else by folded name, date of
    birth and commune. They will be merged into that person, not created again. A personal ID
    registered under a clearly different name is flagged as a likely duplicate to check."""
    valid = [r for r in rows if r.status == RowStatus.VALID]
    pids = {r.values["personal_id"] for r in valid if r.values.get("personal_id")}
    by_pid = {}
    pid_list = sorted(pids)
    for i in range(0, len(pid_list), 5000):
        for pk, pid, folded, full_name, commune in Person.objects.filter(
            personal_id__in=pid_list[i : i + 5000]
        ).values_list("pk", "personal_id", "name_folded", "full_name", "commune_id"):
            by_pid[pid] = (pk, folded, full_name, commune)
    names = defaultdict(set)
    for r in valid:
        if not r.values.get("personal_id") and r.values.get("commune"):
            names[r.values["commune"]].add(fold(r.values["full_name"]))
    by_name = {}
    for commune, folded_names in names.items():
        for pk, folded, y, m, d in Person.objects.filter(
            commune_id=commune, name_folded__in=folded_names
        ).values_list("pk", "name_folded", "birth_year", "birth_month", "birth_day"):
            by_name[(commune, folded, y, m, d)] = pk
    for r in valid:
        v = r.values
        if v.get("personal_id"):
            hit = by_pid.get(v["personal_id"])
            if hit is None:
                continue
            pk, folded, full_name, commune = hit
            if folded.replace(" thi ", " ") != fold(v["full_name"]).replace(" thi ", " "):
                column = mapping.get("personal_id") or FIELD_LABELS["personal_id"]
                value = r.raw.get(column, "")
                r.status = RowStatus.DUPLICATE
                r.errors = [
                    {
                        "column": column,
                        "value": value,
                        "message": (
                            f"Cột «{column}», giá trị «{value}»: số định danh này đã đăng ký cho «{full_name}» "
                            f"(xã mã {commune}), khác họ tên «{v['full_name']}» trong tệp: kiểm tra lại số định danh "
                            "hoặc họ tên."
                        ),
                    }
                ]
                continue
            v["person_id"] = pk
        else:
            key = (
                v.get("commune"),
                fold(v["full_name"]),
                v.get("birth_year"),
                v.get("birth_month"),
                v.get("birth_day"),
            )
            if key in by_name:
                v["person_id"] = by_name[key]


def _flag_lookalikes(rows: list[ImportRow] | list[_Staged], mapping: dict, scope: AreaScope | None) -> None:
    """Rows not matched exactly that the duplicate engine (ansinh.dedup) scores as probably a
    person already in the registry (inside the officer's area): flagged for review, with the
    engine's reasons, instead of creating a second record."""
    try:
        from ansinh.dedup.services import registry_candidates
    except ImportError:  # the dedup app is optional for imports
        return
    if scope is None:
        return
    open_rows = [r for r in rows if r.status == RowStatus.VALID and not r.values.get("person_id")]
    if not open_rows:
        return
    incoming = [
        {
            "id": str(r.row_number),
            "full_name": r.values["full_name"],
            "birth_year": r.values.get("birth_year"),
            "birth_month": r.values.get("birth_month"),
            "birth_day": r.values.get("birth_day"),
            "sex": r.values.get("sex") or "",
            "personal_id": r.values.get("personal_id") or "",
            "commune_code": r.values.get("commune") or "",
            "village": r.values.get("village_name") or "",
            "household_members": "",
        }
        for r in open_rows
    ]
    best: dict[int, dict] = {}
    for hit in registry_candidates(incoming, scope=scope):
        best.setdefault(hit["row"], hit)
    if not best:
        return
    names = dict(
        Person.objects.filter(pk__in=[h["person_id"] for h in best.values()]).values_list("pk", "full_name")
    )
    column = mapping.get("full_name") or FIELD_LABELS["full_name"]
    for index, hit in best.items():
        row = open_rows[index]
        value = row.raw.get(column, "")
        row.status = RowStatus.DUPLICATE
        row.values["lookalike_person_id"] = hit["person_id"]
        row.errors = [
            {
                "column": column,
                "value": value,
                "message": (
                    f"Cột «{column}», giá trị «{value}»: có thể trùng với người đã có trong sổ "
                    f"«{names.get(hit['person_id'], '')}» (mã #{hit['person_id']}, điểm {hit['score']:.2f}: {hit['reasons']}). "
                    "Nếu là một người thì xoá dòng này; nếu là hai người thì ghi số định danh để phân biệt."
                ),
            }
        ]


# --- corrections -------------------------------------------------------------------------------


def _parse_ref(text: str) -> tuple[int, int] | None:
    parts = text.replace(" ", "").split("/")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return int(parts[0]), int(parts[1])
    return None


def _import_correction(
    *, actor, scope, kind, name, size, digest, sheet, labels, rows, start, progress
) -> ImportBatch:
    """A corrected error workbook: re-validate the rows it names (by "Mã dòng nhập" = batch/row)
    and update only those rows of the original batch that are still waiting (error, duplicate or
    rejected). Rows already imported or merged are left alone."""
    ref_index = next(i for i, lab in enumerate(labels) if lab and lab.strip().lower() == REF_LABEL.lower())
    corrections: dict[int, list] = {}
    original_id = None
    for number, cells in enumerate(rows, start=1):
        if progress:
            progress(1)
        if number <= start or all(text_of(c) == "" for c in cells):
            continue
        ref = _parse_ref(text_of(cells[ref_index]) if ref_index < len(cells) else "")
        if ref is None:
            raise InvalidInput(
                f"Dòng {number} của tệp «{name}» không có «{REF_LABEL}» hợp lệ (dạng số lần nhập/số dòng): "
                "giữ nguyên cột này như trong tệp lỗi đã tải về.",
                fields={"file": "bad_ref"},
                code="file_bad_ref",
            )
        if original_id is None:
            original_id = ref[0]
        if ref[0] != original_id:
            raise InvalidInput(
                f"Tệp «{name}» có dòng của nhiều lần nhập khác nhau (#{original_id}, #{ref[0]}): "
                "sửa và nhập lại từng tệp lỗi riêng.",
                fields={"file": "mixed_refs"},
                code="file_mixed_refs",
            )
        corrections[ref[1]] = cells
    original = ImportBatch.objects.filter(pk=original_id, kind=kind).first() if original_id else None
    if original is None:
        raise InvalidInput(
            f"Không tìm thấy lần nhập #{original_id} loại «{ImportKind(kind).label}» mà tệp «{name}» sửa lỗi.",
            fields={"file": "no_original"},
            code="file_no_original",
        )
    mapping = {f: lab for f, lab in original.mapping.items() if lab in labels}
    ctx = _context(kind, mapping, scope, actor)
    column_of = {field: labels.index(label) for field, label in mapping.items()}
    waiting = {
        r.row_number: r
        for r in original.rows.filter(
            row_number__in=list(corrections),
            status__in=[RowStatus.ERROR, RowStatus.DUPLICATE, RowStatus.REJECTED],
        )
    }
    changed: list[ImportRow] = []
    for number, cells in sorted(corrections.items()):
        row = waiting.get(number)
        if row is None:
            continue
        row_cells = {field: (cells[i] if i < len(cells) else None) for field, i in column_of.items()}
        result = validate_row(row_cells, ctx)
        row.raw = {
            lab: text_of(cells[i]) if i < len(cells) else ""
            for i, lab in enumerate(labels)
            if lab and lab not in (REF_LABEL, ERRORS_LABEL)
        }
        row.values, row.errors, row.key = result.values, result.errors, result.key
        row.status = RowStatus.ERROR if result.errors else RowStatus.VALID
        row.note = f"Sửa từ tệp «{name}»"
        changed.append(row)
    # Duplicates against the rows of the batch that stay as they are.
    keys = [r.key for r in changed if r.key]
    known = dict(
        original.rows.filter(key__in=keys, status__in=[RowStatus.VALID, RowStatus.IMPORTED, RowStatus.MERGED])
        .exclude(row_number__in=[r.row_number for r in changed])
        .values_list("key", "row_number")
    )
    _flag_duplicates(changed, mapping, known=known)
    _match_registry(changed, mapping)
    _flag_lookalikes(changed, mapping, scope)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind,
            file_name=name[:255],
            file_hash=digest,
            file_size=size,
            sheet_name=sheet.name[:100],
            header_row=1,
            mapping=mapping,
            columns=[lab for lab in labels if lab],
            actor=actor,
            corrects=original,
            area_code=scope.area_code if scope else "",
            data_rows=len(corrections),
            updated_rows=len(changed),
        )
        ImportRow.objects.bulk_update(
            changed, ["raw", "values", "errors", "key", "status", "note"], batch_size=ROW_BATCH
        )
    batch.already = False
    return batch


# --- error workbook ----------------------------------------------------------------------------


def import_error_workbook(*, batch: ImportBatch, path: str) -> int:
    """Write the rows still waiting (error, duplicate, rejected) with the file's own columns, then
    "Mã dòng nhập" (keep it: re-importing the fixed file updates those rows) and "Lỗi". Returns
    the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    target = batch.corrects or batch
    rows = target.rows.filter(status__in=[RowStatus.ERROR, RowStatus.DUPLICATE, RowStatus.REJECTED]).order_by(
        "row_number"
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dòng lỗi")
    labels: list[str] = [lab for lab in target.columns if lab not in (REF_LABEL, ERRORS_LABEL)]
    header = []
    for text in labels + [REF_LABEL, ERRORS_LABEL]:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows.iterator(chunk_size=2000):
        errors = "\n".join(e["message"] for e in row.errors) or row.note
        # Everything as text, so IDs keep their leading zeros when the officer edits the file.
        sheet.append([row.raw.get(lab, "") for lab in labels] + [f"{target.pk}/{row.row_number}", errors])
        count += 1
    workbook.save(path)
    return count


def import_commit(*, actor, batch: ImportBatch, progress=None):
    """Write the batch's valid rows into the registry (see commit.py)."""
    from ansinh.imports.commit import commit_batch

    scope = _check_actor(actor, writing=True)
    target = batch.corrects or batch
    import_commit_check(actor, target)
    return commit_batch(actor=actor, scope=scope, batch=target, progress=progress)


def import_commit_check(actor, batch: ImportBatch) -> None:
    """A list of current beneficiaries becomes signed decisions that the payroll pays, so a
    commune officer alone may validate it but not commit it: the commune chairman commits it
    (checker, not the officer who brought the file in), or a provincial officer bringing in the
    province's lists (Decree 335/2026 Art. 8: the chairman decides)."""
    if batch.kind != ImportKind.BENEFICIARIES:
        return
    if actor.role == Role.PROVINCIAL_OFFICER or actor.area_level == AreaLevel.COUNTRY:
        return
    if not can_sign(actor):
        raise NotAllowed(
            "Danh sách đối tượng đang hưởng tạo quyết định và được chi trả: Chủ tịch UBND xã (hoặc "
            "cán bộ cấp tỉnh) ghi danh sách vào sổ sau khi cán bộ đã kiểm tra.",
            fields={"actor": "Tài khoản này chỉ được kiểm tra danh sách, không được ghi vào sổ."},
        )
    if batch.actor_id == actor.pk:
        raise NotAllowed(
            "Người ghi danh sách vào sổ phải khác người đã nhập tệp.",
            fields={"actor": "Người nhập tệp không tự ghi vào sổ."},
        )
