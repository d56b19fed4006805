"""/chi-tra/ after QA (qa_province.md §3, qa_commune.md F7, F13): the payrolls listed a month and a
page at a time; "Lập danh sách" on a month no longer a draft says it is not rebuilt; the run form
is shown only to those who may prepare a payroll."""

import datetime as dt

import pytest
from django.urls import reverse

from ansinh.payments.bankfile import bankfile_export
from ansinh.payments.lifecycle import payroll_approve, payroll_check
from ansinh.payments.listing import PAYROLL_PAGE_SIZE
from ansinh.payments.models import PaymentLine, PayrollRun, PayrollStatus
from ansinh.payments.provider import provider_list_export
from ansinh.registry.tests.factories import make_commune, make_province
from ansinh.web.tests.scenario import PAYROLL_MONTH

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)
LIST = reverse("web:payroll_list")


def text(response) -> str:
    return response.content.decode()


def many_payrolls(world, count: int) -> list[int]:
    """`count` more communes of the world's province with a November payroll (beside the world's
    two communes), three of them with October's too, and one commune of another province."""
    province = world.commune_a.province
    # Codes no real commune has: the real units may be loaded by other tests.
    communes = [make_commune(f"{95000 + i:05d}", province, f"Xã Số {i:03d}") for i in range(count)]
    runs = PayrollRun.objects.bulk_create(PayrollRun(commune=c, month=PAYROLL_MONTH) for c in communes)
    PayrollRun.objects.bulk_create(PayrollRun(commune=c, month=OCT) for c in communes[:3])
    other = make_commune("90001", make_province("02", "Tỉnh Khác"), "Xã Tỉnh Khác")
    PayrollRun.objects.create(commune=other, month=PAYROLL_MONTH)
    return [run.pk for run in runs] + [world.payroll.pk, world.payroll_b.pk]


def test_the_list_shows_the_latest_month_a_page_at_a_time_with_every_payroll_reachable(client, world):
    november = many_payrolls(world, 126)  # 128 communes in November, as in the QA's province run
    client.force_login(world.province_officer)

    first = client.get(LIST)
    html = text(first)
    listing = first.context["listing"]
    assert listing.month == PAYROLL_MONTH and listing.months == [PAYROLL_MONTH, OCT]
    assert len(first.context["runs"]) == PAYROLL_PAGE_SIZE
    pages = -(-128 // PAYROLL_PAGE_SIZE)
    assert f"Trang 1/{pages}" in html
    assert f"128 danh sách chi trả tháng 11/2026, đang hiện 1–{PAYROLL_PAGE_SIZE}" in html
    assert '<option value="2026-10">10/2026</option>' in html
    assert 'href="?thang=2026-11&amp;trang=2"' in html

    seen = []
    for number in range(1, pages + 1):
        page = client.get(LIST, {"thang": "2026-11", "trang": number})
        assert f"Trang {number}/{pages}" in text(page)
        seen += [run.pk for run in page.context["runs"]]
    assert sorted(seen) == sorted(november)  # every one once; another province's never

    october = client.get(LIST, {"thang": "10/2026"})
    assert october.context["listing"].month == OCT
    assert len(october.context["runs"]) == 3 and "Trang 1/1" in text(october)

    # A month that cannot be read: said so, and the latest is shown.
    bad = client.get(LIST, {"thang": "tháng mười"})
    assert "Tháng không hợp lệ" in text(bad) and bad.context["listing"].month == PAYROLL_MONTH


def test_a_commune_officer_still_sees_only_their_commune(client, world):
    many_payrolls(world, 5)
    client.force_login(world.officer_a)
    response = client.get(LIST)
    assert [run.pk for run in response.context["runs"]] == [world.payroll.pk]
    assert response.context["listing"].months == [PAYROLL_MONTH]
    assert "Trang 1/1" in text(response)


@pytest.mark.parametrize(
    ("steps", "said"),
    [
        ("checked", "đã được kiểm tra và chốt"),
        ("sent", "đã gửi đơn vị chi trả"),
    ],
)
def test_running_a_month_no_longer_a_draft_says_it_is_not_rebuilt(client, world, steps, said):
    run = payroll_check(actor=world.officer_a, run=world.payroll)
    if steps == "sent":
        run = payroll_approve(actor=world.chairman_a, run=run)
        provider_list_export(actor=world.officer_a, run=run)
        bankfile_export(actor=world.officer_a, run=run)
    before = sorted(PaymentLine.objects.filter(run=run).values_list("id", "amount"))
    client.force_login(world.officer_a)

    response = client.post(
        reverse("web:payroll_run"), {"commune": world.commune_a.pk, "month": "11/2026"}, follow=True
    )
    html = text(response)
    assert "Đã lập danh sách chi trả" not in html
    assert f"Danh sách chi trả tháng 11/2026 của Phường Ba Đình {said} nên không lập lại" in html
    assert "sẽ được chi trả trong danh sách tháng 12/2026, kèm truy lĩnh" in html
    assert 'class="warning"' in html
    assert sorted(PaymentLine.objects.filter(run=run).values_list("id", "amount")) == before
    assert PayrollRun.objects.get(pk=run.pk).status != PayrollStatus.DRAFT


def test_a_draft_month_is_still_rebuilt_and_said_so(officer_client, world):
    response = officer_client.post(
        reverse("web:payroll_run"), {"commune": world.commune_a.pk, "month": "11/2026"}, follow=True
    )
    assert "Đã lập danh sách chi trả tháng 11/2026 cho Phường Ba Đình." in text(response)


def test_the_chairman_is_refused_without_being_shown_the_run_form(chairman_client, world):
    assert 'data-testid="run-payroll"' not in text(chairman_client.get(LIST))
    response = chairman_client.post(
        reverse("web:payroll_run"), {"commune": world.commune_a.pk, "month": "10/2026"}
    )
    html = text(response)
    assert response.status_code == 400
    assert 'data-testid="run-refused"' in html and "không được lập danh sách chi trả" in html
    assert 'data-testid="run-payroll"' not in html
    assert 'action="/chi-tra/lap/"' not in html
    assert not PayrollRun.objects.filter(month=OCT).exists()
