"""The review queue in the web: the area's pairs with score and reasons, a pair side by side
with the survivorship choice shown, merge with a choice changed, undo, reject; the queue filled by
a background job; every id URL a 404 for another commune's officer."""

import pytest

from ansinh.core.audit import snapshot
from ansinh.dedup.models import CandidateStatus, DuplicateCandidate, MergeRecord
from ansinh.dedup.tests.people import same_woman_twice
from ansinh.jobs.models import Job
from ansinh.jobs.services import job_run_pending
from ansinh.registry.models import Person
from ansinh.registry.tests.factories import make_commune, make_person, make_user, make_village

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def area():
    commune = make_commune("00001", name="Xã Đông Anh")
    village = make_village(commune, "Thôn Đông")
    officer = make_user(commune=commune, username="canbo_a")
    a, b = same_woman_twice(commune, village)
    make_person(commune=commune, full_name="Trần Văn Ba", birth_year=1931, personal_id=None)
    other_commune = make_commune("00002", name="Xã Khác")
    stranger = make_user(commune=other_commune, username="canbo_b")
    return officer, stranger, a, b


def scan(client):
    response = client.post("/trung-lap/tim/")
    assert response.status_code == 302
    assert job_run_pending() == 1
    return Job.objects.get(name="dedup.area_scan")


def test_scan_fills_the_queue_and_the_pair_page_shows_the_rules_choice(client, area):
    officer, _stranger, a, b = area
    client.force_login(officer)
    job = scan(client)
    assert job.status == "done", job.error
    assert job.message == (
        "Đã so khớp 3 hồ sơ: tìm thấy 1 cặp nghi trùng (1 cặp mới đưa vào danh sách xem xét, "
        "0 cặp đã có trong danh sách). Danh sách hiện có 1 cặp chờ xem xét."
    )
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.left_id, candidate.right_id, candidate.status) == (a.pk, b.pk, "pending")

    text = client.get("/trung-lap/").content.decode()
    assert f'href="/trung-lap/{candidate.pk}/"' in text
    assert candidate.reasons in text
    assert f"{candidate.score:.2f}".replace(".", ",") in text  # Vietnamese decimal comma

    text = client.get(f"/trung-lap/{candidate.pk}/").content.decode()
    # The more precise date of birth (the right-hand record's) wins by default; the phone only
    # the left has is kept.
    assert 'name="g_birth" value="right" checked> 12/03/1950' in text
    assert 'name="g_phone" value="left" checked> 0912345678' in text
    assert 'name="g_full_name" value="left" checked> Nguyễn Thị Ánh' in text
    # Scanning again adds nothing, and says so (the pair found is the one already waiting).
    client.post("/trung-lap/tim/")
    job_run_pending()
    assert DuplicateCandidate.objects.count() == 1
    again = Job.objects.filter(name="dedup.area_scan").latest("created_at")
    assert again.message == (
        "Đã so khớp 3 hồ sơ: tìm thấy 1 cặp nghi trùng (0 cặp mới đưa vào danh sách xem xét, "
        "1 cặp đã có trong danh sách). Danh sách hiện có 1 cặp chờ xem xét, trong đó 1 cặp đã có "
        "từ trước (từ lần tìm trước hoặc khi kiểm tra lúc đăng ký, nhập dữ liệu)."
    )


def test_the_scan_message_agrees_with_the_pairs_other_checks_put_in_the_queue(client, area):
    # A pair put in the queue by another check (e.g. an import) that the area scan itself does
    # not score above its threshold: the message must not say "0" above a list of waiting pairs.
    officer, _stranger, a, _b = area
    twin = make_person(commune=a.commune, full_name=a.full_name, birth_year=1977, personal_id=None)
    ba = Person.objects.get(full_name="Trần Văn Ba")
    DuplicateCandidate.objects.create(left=ba, right=twin, score=0.99, reasons="từ kiểm tra khi nhập")
    client.force_login(officer)
    job = scan(client)
    assert job.status == "done", job.error
    assert "tìm thấy 1 cặp nghi trùng" in job.message
    assert "Danh sách hiện có 2 cặp chờ xem xét, trong đó 1 cặp đã có từ trước" in job.message
    text = client.get("/trung-lap/").content.decode()
    assert "Các cặp chờ xem xét (2)" in text
    # Each record shows its number, so two rows with the same names can be told apart.
    for person in (a, twin, ba):
        assert f'href="/doi-tuong/{person.pk}/" data-testid="record-id">Hồ sơ số {person.pk}</a>' in text


def test_merge_with_a_changed_choice_then_undo_restores_both(client, area):
    officer, _stranger, a, b = area
    client.force_login(officer)
    candidate = DuplicateCandidate.objects.create(
        left=a, right=b, score=0.93, reasons="trùng họ tên không dấu"
    )
    before = {p.pk: snapshot(p) for p in Person.objects.filter(pk__in=[a.pk, b.pk])}
    data = {
        "action": "merge",
        "keep": "left",
        "g_full_name": "right",
        "g_birth": "right",
        "g_phone": "left",
        "g_address": "left",
        "g_personal_id": "right",
    }
    response = client.post(f"/trung-lap/{candidate.pk}/", data)
    record = MergeRecord.objects.get()
    assert response.status_code == 302 and response.url == f"/trung-lap/gop/{record.pk}/"
    a.refresh_from_db()
    assert (a.full_name, a.birth_day, a.birth_month, a.phone, a.personal_id) == (
        "Nguyen Anh",
        12,
        3,
        "0912345678",
        before[b.pk]["personal_id"],
    )
    assert not Person.objects.filter(pk=b.pk).exists()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CONFIRMED

    text = client.get(f"/trung-lap/gop/{record.pk}/").content.decode()
    assert (
        '<th scope="row">Họ tên</th><td>Nguyễn Thị Ánh</td><td>Nguyen Anh</td><td>hồ sơ bị gộp</td><td>Nguyen Anh</td>'
        in text
    )
    assert (
        '<th scope="row">Ngày sinh</th><td>1950</td><td>12/03/1950</td><td>hồ sơ bị gộp</td><td>12/03/1950</td>'
        in text
    )

    response = client.post(f"/trung-lap/gop/{record.pk}/hoan-tac/")
    assert response.status_code == 302
    after = {p.pk: snapshot(p) for p in Person.objects.filter(pk__in=[a.pk, b.pk])}
    assert after == before
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING
    text = client.get(f"/trung-lap/gop/{record.pk}/").content.decode()
    assert 'data-testid="undone"' in text and 'data-testid="undo"' not in text


def test_reject_takes_the_pair_off_the_queue(client, area):
    officer, _stranger, a, b = area
    client.force_login(officer)
    candidate = DuplicateCandidate.objects.create(left=a, right=b, score=0.85, reasons="cùng thôn")
    response = client.post(f"/trung-lap/{candidate.pk}/", {"action": "reject", "note": "Hai chị em"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.note, candidate.reviewer_id) == ("rejected", "Hai chị em", officer.pk)
    assert f'href="/trung-lap/{candidate.pk}/"' not in client.get("/trung-lap/").content.decode()
    assert Person.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_another_communes_officer_gets_404_and_sees_no_pair(client, area):
    officer, stranger, a, b = area
    candidate = DuplicateCandidate.objects.create(left=a, right=b, score=0.9, reasons="x")
    client.force_login(officer)
    client.post(f"/trung-lap/{candidate.pk}/", {"action": "merge", "keep": "left"})
    record = MergeRecord.objects.get()
    client.force_login(stranger)
    assert client.get(f"/trung-lap/{candidate.pk}/").status_code == 404
    assert client.post(f"/trung-lap/{candidate.pk}/", {"action": "reject"}).status_code == 404
    assert client.get(f"/trung-lap/gop/{record.pk}/").status_code == 404
    assert client.post(f"/trung-lap/gop/{record.pk}/hoan-tac/").status_code == 404
    assert MergeRecord.objects.get().undone_at is None
    text = client.get("/trung-lap/").content.decode()
    assert "Không có cặp hồ sơ nào chờ xem xét trong địa bàn." in text and "Chưa gộp hồ sơ nào." in text
    # The stranger's scan finds nothing of commune A.
    scan(client)
    assert DuplicateCandidate.objects.count() == 1
