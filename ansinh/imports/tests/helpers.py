"""Objects of the import flow for other tests (e.g. tests/test_area_scoping.py)."""

from ansinh.imports.models import ImportBatch, ImportUpload


def batch_of(commune, officer) -> ImportBatch:
    """A batch imported by an officer of `commune` (one staged row)."""
    batch = ImportBatch.objects.create(
        kind="persons",
        file_name="danh_sach.xlsx",
        file_hash=f"hash-{commune.pk}-{officer.pk}",
        actor=officer,
        area_code=commune.pk,
        data_rows=1,
    )
    batch.rows.create(row_number=2, status="valid", values={"full_name": "Thử", "commune": commune.pk})
    return batch


def upload_of(commune, officer) -> ImportUpload:
    """A file uploaded by an officer of `commune`, waiting for its column mapping."""
    return ImportUpload.objects.create(
        kind="persons",
        file_name="danh_sach.xlsx",
        stored_path="/nonexistent/danh_sach.xlsx",
        file_hash=f"upload-{commune.pk}-{officer.pk}",
        labels=["Họ và tên", "Ngày sinh"],
        mapping={"full_name": "Họ và tên", "birth_date": "Ngày sinh"},
        actor=officer,
        area_code=commune.pk,
    )
