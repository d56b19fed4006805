"""The printed signature list (danh sách ký nhận) of an event: one commune's decided households,
grouped by village, with what each receives, a cell to sign, subtotals and the total, as PDF."""

import datetime as dt

from ansinh.areas.models import Village
from ansinh.documents.testing import pdf_page_count, pdf_text
from ansinh.relief.services import event_create, support_decide, support_propose
from ansinh.relief.signature import signature_list_pdf
from ansinh.relief.tests.scenario import FLOOD_DAY, register

DAY_AFTER = FLOOD_DAY + dt.timedelta(days=1)


def decided(w, *, approve=True, goods=None, **fields):
    affected, _ = register(w, **fields)
    (support,) = support_propose(actor=w.officer_a, event=w.flood, affected_ids=[affected.pk], goods=goods)
    support_decide(
        actor=w.chairman_a,
        supports=[support],
        approve=approve,
        decision_number="45/QĐ-UBND" if approve else "",
        reason="" if approve else "Hộ đã tự khắc phục",
        decided_on=DAY_AFTER,
    )
    return affected


def text_of(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def flood_households(w):
    other_village = Village.objects.get(commune=w.commune_a, name="Tổ dân phố 4")
    decided(w, head_name="Trần Thị Lan", village=w.village_a, size=2, food_shortage=True)
    decided(w, head_name="Đỗ Văn Hải", village=other_village, size=4, food_shortage=True)
    decided(
        w,
        head_name="Bùi Thị Hồng",
        village=other_village,
        size=3,
        house_damage="severe_damage",
        goods={"chan": 2},
    )
    decided(w, head_name="Lê Văn Tư", size=1, food_shortage=True, head_personal_id="001080000456")
    decided(w, head_name="Phan Văn Khước", village=w.village_a, size=5, food_shortage=True, approve=False)
    proposed, _ = register(w, head_name="Hà Văn Chờ", village=w.village_a, size=2, food_shortage=True)
    support_propose(actor=w.officer_a, event=w.flood, affected_ids=[proposed.pk])


def test_the_signature_list_groups_the_decided_households_by_village_with_totals(w):
    flood_households(w)
    w.chairman_a.first_name, w.chairman_a.last_name = "Lò Văn", "Chủ"
    w.chairman_a.save(update_fields=["first_name", "last_name"])
    pdf = signature_list_pdf(w.flood, w.commune_a)
    text = text_of(pdf)
    assert pdf_page_count(pdf) == 1
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text.upper()
    assert "UBND PHƯỜNG BA ĐÌNH" in text
    assert "DANH SÁCH KÝ NHẬN HỖ TRỢ KHẨN CẤP" in text
    assert "Lũ lụt tháng 9/2026 (thiên tai, xảy ra ngày 08/09/2026) – Phường Ba Đình" in text
    assert "Ký nhận" in text
    # Villages in reading order, households without a village last; names within a village in order.
    assert (
        text.index("Tổ dân phố 3 (1 hộ)")
        < text.index("Trần Thị Lan")
        < text.index("Tổ dân phố 4 (2 hộ)")
        < text.index("Bùi Thị Hồng")
        < text.index("Đỗ Văn Hải")
        < text.index("Chưa ghi thôn, tổ dân phố (1 hộ)")
        < text.index("Lê Văn Tư 001080000456")
    )
    assert "Trần Thị Lan 2 45/QĐ-UBND 90" in text
    assert "Đỗ Văn Hải 4 45/QĐ-UBND 180" in text
    assert "Bùi Thị Hồng 3 45/QĐ-UBND 20.000.000 đ Chăn 2 cái" in text
    assert "Cộng Tổ dân phố 3 90" in text
    assert "Cộng Tổ dân phố 4 180 20.000.000 đ" in text
    assert "Cộng chưa ghi thôn 45" in text
    assert "Tổng cộng (4 hộ) 315 20.000.000 đ" in text
    # Refused and still proposed households are not on the list.
    assert "Phan Văn Khước" not in text and "Hà Văn Chờ" not in text
    assert "TM. UBND PHƯỜNG BA ĐÌNH" in text and "CHỦ TỊCH" in text
    assert text.index("CHỦ TỊCH") < text.index("Lò Văn Chủ")  # the chairman who decided, under the block


def test_a_long_list_runs_over_pages_with_every_household(w):
    for number in range(60):
        decided(w, head_name=f"Hộ Số {number:02d}", village=w.village_a, size=1, food_shortage=True)
    pdf = signature_list_pdf(w.flood, w.commune_a)
    text = text_of(pdf)
    assert pdf_page_count(pdf) > 1
    assert all(f"Hộ Số {number:02d}" in text for number in range(60))
    assert "Tổng cộng (60 hộ) 2.700" in text


def test_the_page_gives_the_pdf_of_one_commune_of_the_users_area(client, w):
    flood_households(w)
    client.force_login(w.officer_a)
    response = client.get(f"/cuu-tro/dot/{w.flood.pk}/ky-nhan/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="danh-sach-ky-nhan_{w.flood.pk}_{w.commune_a.code}.pdf"'
    )
    assert "Trần Thị Lan" in text_of(response.content)
    assert client.get(f"/cuu-tro/dot/{w.flood.pk}/ky-nhan/?xa={w.commune_b.code}").status_code == 404
    client.force_login(w.officer_b)
    assert client.get(f"/cuu-tro/dot/{w.flood.pk}/ky-nhan/").status_code == 404


def test_the_province_prints_one_list_per_commune_of_the_event(client, w):
    communes = [w.commune_a, w.commune_b]
    both = event_create(
        actor=w.province_officer, kind="disaster", name="Bão số 3", occurred_on=FLOOD_DAY, communes=communes
    )
    client.force_login(w.province_officer)
    page = client.get(f"/cuu-tro/dot/{both.pk}/").content.decode()
    assert f"/cuu-tro/dot/{both.pk}/ky-nhan/?xa={w.commune_b.code}" in page
    response = client.get(f"/cuu-tro/dot/{both.pk}/ky-nhan/?xa={w.commune_b.code}")
    text = text_of(response.content)
    assert "UBND PHƯỜNG NGỌC HÀ" in text
    assert "Chưa có hộ nào được quyết định hỗ trợ." in text
    assert "Tổng cộng (0 hộ)" in text
