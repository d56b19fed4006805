"""The five seed plans load with every target linked to its sentence, and show on the dashboard."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ansinh.accounts.models import Role
from ansinh.core.errors import InvalidInput
from ansinh.plans.models import Plan, Target
from ansinh.plans.services import DATA, plan_load, plans_load
from ansinh.registry.tests.factories import make_user

EXPECTED = {
    "bac-ninh-2017-2030": ("24", "27", 13),
    "ben-tre-2022": ("86", "83", 48),
    "binh-phuoc-2021-2030": ("75", "70", 9),
    "yen-bai-2017-2030": ("15", "15", 12),
    "lang-son-2022": ("20", "20", 5),
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def seeds(areas_loaded):
    return plans_load(actor=None)


def test_the_five_seed_plans_load_with_every_target_and_its_sentence(seeds):
    plans = {p.key: p for p in Plan.objects.all()}
    assert {
        key: (p.province_id, p.legacy_province_id, p.targets.count()) for key, p in plans.items()
    } == EXPECTED
    for plan in plans.values():
        source = _flat((DATA / "seeds" / plan.source_file).read_text(encoding="utf-8"))
        for target in plan.targets.all():
            assert _flat(target.sentence) in source, (plan.key, target.sentence[:60])
    ben_tre = plans["ben-tre-2022"]
    assert (ben_tre.number, ben_tre.issued_on, ben_tre.province.name) == (
        "2021/KH-UBND",
        dt.date(2022, 4, 7),
        "Vĩnh Long",
    )
    poverty = Target.objects.get(plan=ben_tre, indicator_id="poverty_rate")
    assert (poverty.value, poverty.comparator, poverty.phase.name) == (Decimal("3.00"), "at_most", "Năm 2022")
    assert "tỷ lệ hộ nghèo còn 3%" in poverty.sentence
    worker = Target.objects.get(plan__key="bac-ninh-2017-2030", indicator_id="social_workers_per_5000")
    assert (worker.value, worker.year, worker.unit) == (Decimal("1.00"), 2025, "người/5.000 dân")
    comprehensive = Target.objects.get(
        plan__key="bac-ninh-2017-2030", indicator_id="services_comprehensive", phase__year_from=2017
    )
    assert (comprehensive.value, comprehensive.value_max) == (Decimal("10.00"), Decimal("20.00"))
    assert (
        Target.objects.get(
            plan__key="yen-bai-2017-2030", indicator_id="communes_using_system", phase__year_from=2021
        ).value
        == 100
    )


def test_loading_again_replaces_the_plans_instead_of_adding(seeds):
    plans_load(actor=None)
    assert Plan.objects.count() == 5 and Target.objects.count() == sum(n for *_, n in EXPECTED.values())


def test_a_target_with_no_indicator_is_refused_and_nothing_is_written(seeds):
    data = {
        "key": "thu-nghiem",
        "title": "Kế hoạch thử",
        "issuer": "UBND tỉnh",
        "province": "20",
        "phases": [{"name": "Năm 2026", "year_from": 2026, "year_to": 2026}],
        "targets": [{"phase": 2026, "value": 90, "sentence": "90% người khuyết tật được xác định mức độ."}],
    }
    with pytest.raises(InvalidInput) as error:
        plan_load(actor=None, data=data)
    assert error.value.fields == {
        "indicator": "Chỉ tiêu chưa gắn chỉ số (kế hoạch “thu-nghiem”, chỉ tiêu thứ 1): ghi mã chỉ số trong danh mục, ví dụ poverty_rate."
    }
    data["targets"][0]["indicator"] = "khong_co"
    with pytest.raises(InvalidInput) as error:
        plan_load(actor=None, data=data)
    assert "Chỉ số “khong_co” không có trong danh mục chỉ số" in error.value.message
    assert not Plan.objects.filter(key="thu-nghiem").exists()


def test_the_targets_appear_on_the_provincial_dashboard_with_their_sentence(seeds, client):
    officer = make_user(role=Role.PROVINCIAL_OFFICER, province=Plan.objects.get(key="ben-tre-2022").province)
    client.force_login(officer)
    response = client.get(reverse("plans:dashboard"), {"thang": "11/2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Kế hoạch thực hiện Đề án thí điểm về đảm bảo an sinh xã hội trên địa bàn tỉnh Bến Tre năm 2022"
        in html
    )
    assert (
        "phấn đấu đến cuối năm 2022, tỷ lệ hộ nghèo còn 3% theo chuẩn nghèo của giai đoạn 2021 - 2025."
        in html
    )
    assert "≤ 3%" in html and "≥ 90%" in html
    assert "(ban hành khi còn là Tỉnh Bến Tre)" in html
    # Another province's plan is not on this province's dashboard.
    assert "tỉnh Lạng Sơn năm 2022" not in html
    # A target whose data the system does not hold says so.
    assert "Chưa có dữ liệu" in html


def test_the_country_page_lists_the_plans_and_links_to_their_provinces(seeds, client):
    client.force_login(make_user(role=Role.PROVINCIAL_OFFICER, country=True))
    html = client.get(reverse("plans:dashboard"), {"thang": "11/2026"}).content.decode()
    assert "Chỉ tiêu kế hoạch: Toàn quốc" in html and "Kế hoạch của các tỉnh" in html
    assert '<a href="?khu_vuc=86&amp;thang=11/2026">Vĩnh Long</a></td><td class="num">48</td>' in html


def test_the_load_command(areas_loaded):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("plans_load", stdout=out)
    assert "Đã nạp 5 kế hoạch." in out.getvalue()
    assert "Vĩnh Long: 48 chỉ tiêu" in out.getvalue()
