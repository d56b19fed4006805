"""The web import flow: upload → column mapping (auto-recognised, corrected, saved as a template
and reused) → validation as a background job → report → error workbook → corrected re-import →
commit as a background job. Bad files refused with a message and nothing written; every id URL
is a 404 for another commune's officer."""

import io
import os

import pytest
from openpyxl import load_workbook

from ansinh.areas.models import Commune
from ansinh.imports.models import ImportBatch, ImportTemplate, ImportUpload
from ansinh.imports.tests.workbooks import MESSY_MERGES, messy_rows, save_rows
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_run_pending
from ansinh.registry.models import Person
from ansinh.registry.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_folder(settings, tmp_path):
    settings.ANSINH_IMPORT_DIR = str(tmp_path / "uploads")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "uploads"


@pytest.fixture
def officer_client(client, commune_officer):
    client.force_login(commune_officer)
    return client


@pytest.fixture
def messy_bytes(tmp_path):
    path = save_rows(tmp_path / "messy.xlsx", messy_rows(), merges=MESSY_MERGES)
    return path.read_bytes()


def upload(client, name, data, kind="persons", template=""):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post("/nhap-du-lieu/", {"kind": kind, "file": handle, "template": template})


def mapping_post(upload_obj, overrides=None, template_name=""):
    """The mapping form as the page pre-fills it, with some columns changed."""
    chosen = {label: field for field, label in upload_obj.mapping.items()}
    chosen.update(overrides or {})
    data = {f"col_{i}": chosen.get(label, "") for i, label in enumerate(upload_obj.labels)}
    data["template_name"] = template_name
    return data


def page_text(response) -> str:
    return response.content.decode()


def test_the_whole_flow_from_upload_to_commit(officer_client, commune_officer, messy_bytes, upload_folder):
    response = upload(officer_client, "danh_sach_xa.xlsx", messy_bytes)
    upload_obj = ImportUpload.objects.get()
    assert response.status_code == 302 and response.url == f"/nhap-du-lieu/tep/{upload_obj.pk}/"
    assert (upload_obj.header_row, upload_obj.area_code, upload_obj.kind) == (3, "00097", "persons")
    assert upload_obj.mapping == {
        "full_name": "Ho va ten",
        "birth_date": "Ngay sinh",
        "sex": "Gioi tinh",
        "personal_id": "So CCCD",
        "village": "Thôn/Tổ",
        "commune": "Xa/Phuong",
        "district": "Huyen",
        "province": "Tinh",
        "phone": "So dien thoai",
    }
    assert ImportBatch.objects.count() == 0  # nothing staged before the mapping is confirmed

    # Step 1: the recognised columns are shown, pre-selected.
    page = officer_client.get(response.url)
    text = page_text(page)
    assert "Bước 1: Kiểm tra các cột" in text
    assert '<option value="full_name" selected>Họ và tên</option>' in text
    assert '<option value="phone" selected>Số điện thoại</option>' in text

    # The officer drops the phone column and saves the mapping as a template.
    data = mapping_post(upload_obj, {"So dien thoai": ""}, template_name="Mẫu Hồng Hà")
    response = officer_client.post(f"/nhap-du-lieu/tep/{upload_obj.pk}/", data)
    assert response.status_code == 302
    template = ImportTemplate.objects.get(name="Mẫu Hồng Hà")
    assert "phone" not in template.mapping and template.mapping["full_name"] == "Ho va ten"
    job = Job.objects.get(name="imports.validate")
    assert (job.kwargs, job.area_code, job.status) == ({"upload_id": upload_obj.pk}, "00097", "queued")

    # The page shows the job's progress; the worker runs it.
    assert 'class="job-progress"' in page_text(officer_client.get(f"/nhap-du-lieu/tep/{upload_obj.pk}/"))
    assert job_run_pending() == 1
    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert job.status == "done", job.error
    assert job.result["url"] == f"/nhap-du-lieu/{batch.pk}/"
    assert job.message == "Đã kiểm tra 10 dòng: 3 hợp lệ, 4 có lỗi, 1 nghi trùng, 2 dòng trống."
    assert job.done == job.total > 0
    progress_html = page_text(officer_client.get(f"/tac-vu/{job.pk}/", HTTP_HX_REQUEST="true"))
    assert "100%" in progress_html and f"/nhap-du-lieu/{batch.pk}/" in progress_html
    assert "phone" not in batch.mapping

    # Step 3: the report. Counts add up; each error names the column, the value and the fix.
    text = page_text(officer_client.get(f"/nhap-du-lieu/{batch.pk}/"))
    assert "Đủ dòng: mọi dòng của tệp đều có kết quả." in text
    assert "Số dòng dữ liệu: 10 = 3 hợp lệ + 4 có lỗi + 1 nghi trùng + 2 dòng trống (bỏ qua)." in text
    assert "<td>Ngay sinh</td><td>31/02/1950</td>" in text
    assert "ngày 31/02/1950 không có thật: tháng 2/1950 chỉ có 28 ngày." in text
    assert "trùng số định danh với dòng 5" in text

    # The error workbook.
    response = officer_client.get(f"/nhap-du-lieu/{batch.pk}/tep-loi.xlsx")
    assert response.status_code == 200
    assert 'filename="dong-loi-lan-nhap-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-2:] == ["Mã dòng nhập", "Lỗi"]
    assert [r[header.index("Mã dòng nhập")] for r in rows[1:]] == [
        f"{batch.pk}/{n}" for n in (7, 9, 10, 12, 14)
    ]

    # The officer fixes row 7's date and row 9's ward, and re-imports only those rows.
    sheet = workbook.active
    date_col = header.index("Ngay sinh") + 1
    commune_col = header.index("Xa/Phuong") + 1
    for r in range(2, sheet.max_row + 1):
        ref = sheet.cell(r, header.index("Mã dòng nhập") + 1).value
        if ref == f"{batch.pk}/7":
            sheet.cell(r, date_col).value = "28/02/1950"
        if ref == f"{batch.pk}/9":
            sheet.cell(r, commune_col).value = "Phúc Xá"
    fixed = io.BytesIO()
    workbook.save(fixed)
    response = upload(officer_client, "da_sua.xlsx", fixed.getvalue())
    correction = ImportUpload.objects.get(is_correction=True)
    assert response.status_code == 302 and response.url == f"/nhap-du-lieu/tep/{correction.pk}/"
    assert job_run_pending() == 1
    assert Job.objects.filter(name="imports.validate").order_by("-created_at").first().status == "done"
    text = page_text(officer_client.get(f"/nhap-du-lieu/{batch.pk}/"))
    assert "Số dòng dữ liệu: 10 = 5 hợp lệ + 2 có lỗi + 1 nghi trùng + 2 dòng trống (bỏ qua)." in text
    assert "«da_sua.xlsx», cập nhật 5 dòng." in text

    # Commit, as a job with progress.
    response = officer_client.post(f"/nhap-du-lieu/{batch.pk}/ghi-vao-so/")
    assert response.status_code == 302
    commit_job = Job.objects.get(name="imports.commit")
    assert commit_job.kwargs == {"batch_id": batch.pk}
    assert job_run_pending() == 2  # the commit, then the recount of the plan indicators it queues
    refresh = Job.objects.get(name="plans.aggregates_refresh")
    assert (refresh.status, refresh.kwargs["area_code"]) == ("done", batch.area_code)
    commit_job.refresh_from_db()
    assert commit_job.status == "done", commit_job.error
    assert commit_job.message == "Đã ghi vào sổ: 5 dòng nhập mới, 1 dòng gộp vào người đã có, 2 dòng loại bỏ."
    assert Person.objects.count() == 5
    text = page_text(officer_client.get(f"/nhap-du-lieu/{batch.pk}/"))
    assert (
        "Số dòng dữ liệu: 10 = 5 đã nhập + 1 đã gộp vào người đã có + 2 loại bỏ + 2 dòng trống (bỏ qua)."
        in text
    )
    assert "Không còn dòng hợp lệ nào chờ ghi." not in text  # the commit job's result shows instead
    # Posting the commit again writes nothing and queues nothing.
    officer_client.post(f"/nhap-du-lieu/{batch.pk}/ghi-vao-so/")
    assert Job.objects.filter(name="imports.commit").count() == 1

    # The same file again: found, nothing staged, nothing queued.
    response = upload(officer_client, "danh_sach_xa.xlsx", messy_bytes)
    assert response.status_code == 302 and response.url == f"/nhap-du-lieu/{batch.pk}/"
    assert ImportUpload.objects.count() == 2 and ImportBatch.objects.count() == 2
    # The uploaded copies are removed once staged; the refused duplicate was never kept.
    assert os.listdir(upload_folder) == []


def test_a_saved_template_preselects_the_columns_of_the_next_file(officer_client, tmp_path):
    rows = messy_rows()
    ImportTemplate.objects.create(
        name="Mẫu xã",
        kind="persons",
        mapping={"full_name": "Ho va ten", "birth_date": "Ngay sinh", "commune": "Xa/Phuong"},
    )
    path = save_rows(tmp_path / "b.xlsx", rows, merges=MESSY_MERGES)
    response = upload(officer_client, "b.xlsx", path.read_bytes(), template="Mẫu xã")
    assert response.status_code == 302
    assert ImportUpload.objects.get().mapping == {
        "full_name": "Ho va ten",
        "birth_date": "Ngay sinh",
        "commune": "Xa/Phuong",
    }
    text = page_text(officer_client.get(response.url))
    assert '<option value="sex" selected>' not in text


def test_mapping_mistakes_are_named_and_nothing_is_queued(officer_client, messy_bytes):
    upload(officer_client, "a.xlsx", messy_bytes)
    upload_obj = ImportUpload.objects.get()
    url = f"/nhap-du-lieu/tep/{upload_obj.pk}/"
    response = officer_client.post(url, mapping_post(upload_obj, {"Ho va ten": ""}))
    assert response.status_code == 400
    assert "Chưa chọn cột cho «Họ và tên»: chọn cột tương ứng trong tệp" in page_text(response)
    response = officer_client.post(url, mapping_post(upload_obj, {"So dien thoai": "full_name"}))
    assert response.status_code == 400
    assert (
        "Trường «Họ và tên» đã được chọn cho cột «Ho va ten»: mỗi trường chỉ chọn cho một cột."
        in page_text(response)
    )
    assert Job.objects.count() == 0 and ImportBatch.objects.count() == 0


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "ds.xlsx",
            b"%PDF-1.4 not a sheet",
            "không phải bảng tính: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)",
        ),
        ("ds.csv", b"", "Tệp đã chọn rỗng (0 byte): chọn đúng tệp danh sách đã lưu."),
        (
            "ds.csv",
            b"a;b;c\n1;2;3\n",
            "Không tìm thấy dòng tiêu đề trong 2 dòng đầu của tệp «ds.csv»",
        ),
        ("ds.csv", b"x" * 3000, "nặng 0 MB, vượt giới hạn 0 MB: tách danh sách thành nhiều tệp nhỏ hơn"),
    ],
    ids=["not-a-spreadsheet", "empty", "no-header", "too-large"],
)
def test_bad_files_get_a_clear_message_and_nothing_is_written(
    officer_client, settings, upload_folder, name, data, message
):
    settings.ANSINH_IMPORT_MAX_BYTES = 2000
    response = upload(officer_client, name, data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert 'data-testid="upload-error"' in page_text(response)
    assert ImportUpload.objects.count() == 0 and ImportBatch.objects.count() == 0 and Job.objects.count() == 0
    assert not upload_folder.exists() or os.listdir(upload_folder) == []


def test_another_communes_officer_gets_404_on_every_id_url(client, officer_client, messy_bytes, areas_loaded):
    upload(officer_client, "a.xlsx", messy_bytes)
    upload_obj = ImportUpload.objects.get()
    officer_client.post(f"/nhap-du-lieu/tep/{upload_obj.pk}/", mapping_post(upload_obj))
    job_run_pending()
    batch = ImportBatch.objects.get()
    other = make_user(commune=Commune.objects.exclude(code="00097").order_by("code").first(), username="khac")
    client.force_login(other)
    for url in (
        f"/nhap-du-lieu/tep/{upload_obj.pk}/",
        f"/nhap-du-lieu/{batch.pk}/",
        f"/nhap-du-lieu/{batch.pk}/tep-loi.xlsx",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/nhap-du-lieu/{batch.pk}/ghi-vao-so/").status_code == 404
    assert client.post(f"/nhap-du-lieu/tep/{upload_obj.pk}/", mapping_post(upload_obj)).status_code == 404
    assert f"#{batch.pk}" not in page_text(client.get("/nhap-du-lieu/"))
    assert Job.objects.filter(name="imports.commit").count() == 0


def test_the_officer_cannot_commit_a_list_of_beneficiaries_from_the_page(
    officer_client, commune_officer, tmp_path
):
    from ansinh.imports.services import import_file
    from ansinh.imports.tests.workbooks import BENEFICIARY_HEADER

    rows = [
        BENEFICIARY_HEADER,
        ["Nguyễn Văn An", "1950", "Nam", "", "Phúc Xá", "Ba Đình", "Hà Nội", "6", "1,5", "", "01/2025"],
    ]
    batch = import_file(
        actor=commune_officer, path=str(save_rows(tmp_path / "ds.xlsx", rows)), kind="beneficiaries"
    )
    assert batch.rows.filter(status="valid").count() == 1

    response = officer_client.post(f"/nhap-du-lieu/{batch.pk}/ghi-vao-so/", follow=True)
    assert "Chủ tịch UBND xã" in response.content.decode()
    assert not Job.objects.filter(name="imports.commit").exists()
