"""Each page with the Django test client: status, the key content, and what a POST writes."""

import datetime as dt

import pytest
from django.urls import reverse

from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Decision, DecisionStatus, Entitlement
from ansinh.payments.models import PaymentLine, PayrollRun
from ansinh.registry.models import Household, HouseholdMember, HouseholdPoverty, Person
from ansinh.web.tests.scenario import PAYROLL_MONTH, PAYROLL_TOTAL

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# --- log in / log out ---------------------------------------------------------------------------
def test_every_page_asks_an_anonymous_visitor_to_log_in(client, world):
    for url in [
        reverse("web:home"),
        reverse("web:person_search"),
        reverse("web:person_detail", kwargs={"person_id": world.an.pk}),
        reverse("web:payroll_detail", kwargs={"payroll_id": world.payroll.pk}),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login") + "?next=")


def test_login_page_is_in_vietnamese(client, db):
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    body = text(response)
    assert '<html lang="vi">' in body
    for words in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert words in body
    assert "/static/ansinh/vendor/htmx/htmx.min.js" in body
    assert "/static/ansinh/css/ansinh.css" in body


def test_a_wrong_password_is_refused_in_vietnamese(client, world):
    response = client.post(reverse("web:login"), {"username": "can_bo_a", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in text(response)
    assert "_auth_user_id" not in client.session


def test_logging_in_opens_the_dashboard_with_the_officer_area_and_role(client, world):
    response = client.post(
        reverse("web:login"), {"username": "can_bo_a", "password": world.password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("web:home")
    body = text(response)
    assert "Trần Thị Lan" in body
    assert "Công chức văn hóa - xã hội cấp xã" in body
    assert "Phường Ba Đình, Thành phố Hà Nội" in body
    for nav in ("Tra cứu đối tượng", "Đăng ký đối tượng", "Hộ gia đình", "Chi trả", "Đăng xuất"):
        assert nav in body


def test_logout_is_a_post_and_ends_the_session(officer_client):
    response = officer_client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert officer_client.get(reverse("web:home")).status_code == 302


# --- dashboard ------------------------------------------------------------------------------------
def test_dashboard_counts_only_the_officer_commune(officer_client, world):
    response = officer_client.get(reverse("web:home"))
    assert response.status_code == 200
    # Commune A: An and his wife, one household, one beneficiary (the wife's grant is a draft).
    assert response.context["person_count"] == 2
    assert response.context["household_count"] == 1
    assert response.context["beneficiary_count"] == 1
    assert [run.pk for run in response.context["latest_runs"]] == [world.payroll.pk]
    assert "2.430.000 đ" in text(response)


def test_dashboard_of_a_province_officer_counts_both_communes(client, world):
    client.force_login(world.province_officer)
    response = client.get(reverse("web:home"))
    assert (response.context["person_count"], response.context["household_count"]) == (3, 2)
    assert response.context["beneficiary_count"] == 2


# --- search ---------------------------------------------------------------------------------------
def test_search_without_diacritics_finds_the_person_of_my_commune_only(officer_client, world):
    response = officer_client.get(reverse("web:person_search"), {"q": "nguyen van an"})
    assert response.status_code == 200
    assert [p.pk for p in response.context["results"]] == [world.an.pk]
    body = text(response)
    assert "Nguyễn Văn An" in body
    assert "001048000123" in body
    assert "001050000777" not in body  # the namesake in commune B
    assert "<html" in body  # a full page without HTMX


def test_live_search_by_htmx_returns_only_the_results_fragment(officer_client, world):
    response = officer_client.get(reverse("web:person_search"), {"q": "NGUYEN van"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body
    assert 'data-testid="search-results"' in body
    assert reverse("web:person_detail", kwargs={"person_id": world.an.pk}) in body


def test_search_by_personal_id(officer_client, world):
    response = officer_client.get(reverse("web:person_search"), {"q": "001048000123"})
    assert [p.pk for p in response.context["results"]] == [world.an.pk]


def test_search_for_another_commune_personal_id_finds_nothing(officer_client, world):
    response = officer_client.get(reverse("web:person_search"), {"q": "001050000777"})
    assert response.context["results"] == []
    assert "Không tìm thấy ai" in text(response)


def test_the_search_page_without_a_query_shows_no_results(officer_client):
    response = officer_client.get(reverse("web:person_search"))
    assert response.status_code == 200
    assert response.context["results"] is None


# --- the person page --------------------------------------------------------------------------
def test_person_page_shows_facts_household_disability_decisions_entitlements_payments(officer_client, world):
    response = officer_client.get(reverse("web:person_detail", kwargs={"person_id": world.an.pk}))
    assert response.status_code == 200
    body = text(response)
    for expected in (
        "Nguyễn Văn An",
        "001048000123",
        "12/03/1948",  # date of birth dd/mm/yyyy
        "Số 5 ngõ 12 Đội Cấn, Tổ dân phố 3, Phường Ba Đình",
        "Hộ Nguyễn Văn An",
        "Phạm Thị Bình",
        "Vợ/chồng",
        "Hộ cận nghèo",  # 2026
        "Hộ nghèo",  # 2025
        "Khuyết tật vận động",
        "Khuyết tật nặng",
        "01/07/2025",  # determined on
        "125/QĐ-UBND",
        "15/09/2026",  # signed on
        "09/2026",  # effective month
        "Đang hưởng",
        "810.000 đ",
        "Truy lĩnh",
        "Lập quyết định",
    ):
        assert expected in body, expected


def test_person_page_of_a_person_without_household_or_payments(officer_client, world):
    HouseholdMember.objects.filter(person=world.an).delete()
    PaymentLine.objects.all().delete()
    body = text(officer_client.get(reverse("web:person_detail", kwargs={"person_id": world.an.pk})))
    assert "Chưa thuộc hộ gia đình nào" in body
    assert "Chưa có khoản chi trả nào" in body


def test_a_chairman_sees_the_person_but_no_prepare_button(chairman_client, world):
    body = text(chairman_client.get(reverse("web:person_detail", kwargs={"person_id": world.an.pk})))
    assert "Nguyễn Văn An" in body
    assert "Lập quyết định" not in body


def test_an_unknown_person_is_a_vietnamese_404(officer_client, world):
    response = officer_client.get(reverse("web:person_detail", kwargs={"person_id": 987654321}))
    assert response.status_code == 404
    assert "Không tìm thấy" in text(response)


# --- registering a person -----------------------------------------------------------------------
PERSON_POST = {
    "full_name": "trần thị  mai",
    "personal_id": "001165000321",
    "birth_date": "05/08/1965",
    "sex": "F",
    "ethnicity": "Kinh",
    "address": "Số 9 phố Liễu Giai",
    "phone": "0912 345 678",
}


def test_register_form_offers_only_my_commune(officer_client, world):
    response = officer_client.get(reverse("web:person_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["commune"].queryset) == [world.commune_a]
    assert form.fields["commune"].initial == world.commune_a.pk
    assert "dd/mm/yyyy" in text(response)


def test_register_a_person(officer_client, world):
    before_audit = AuditEvent.objects.filter(action="person.create").count()
    response = officer_client.post(
        reverse("web:person_create"), {**PERSON_POST, "commune": world.commune_a.pk}
    )
    person = Person.objects.get(personal_id="001165000321")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person_detail", kwargs={"person_id": person.pk})
    assert (person.full_name, person.name_folded) == ("Trần Thị Mai", "tran thi mai")
    assert (person.birth_year, person.birth_month, person.birth_day) == (1965, 8, 5)
    assert (person.sex, person.commune_id, person.phone) == ("F", "00004", "0912345678")
    assert AuditEvent.objects.filter(action="person.create").count() == before_audit + 1
    page = officer_client.get(response["Location"])
    assert "Đã đăng ký đối tượng Trần Thị Mai." in text(page)
    assert "05/08/1965" in text(page)


def test_register_with_year_only_birth_date(officer_client, world):
    post = {**PERSON_POST, "personal_id": "", "birth_date": "1940", "commune": world.commune_a.pk}
    assert officer_client.post(reverse("web:person_create"), post).status_code == 302
    person = Person.objects.get(full_name="Trần Thị Mai")
    assert (person.birth_year, person.birth_month, person.birth_day, person.personal_id) == (
        1940,
        None,
        None,
        None,
    )


def test_register_errors_are_shown_in_vietnamese_beside_each_field_and_nothing_is_written(
    officer_client, world
):
    count = Person.objects.count()
    post = {
        **PERSON_POST,
        "full_name": "",
        "personal_id": "001065000321",  # says male, born 1965; the form says female
        "birth_date": "31/02/1965",
        "commune": world.commune_a.pk,
    }
    response = officer_client.post(reverse("web:person_create"), post)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Chưa nhập họ và tên."]
    assert "30/02" not in errors["birth_date"][0]
    assert "không có thật" in errors["birth_date"][0]
    assert "personal_id" in errors
    body = text(response)
    assert 'id="id_full_name_errors"' in body
    assert 'id="id_birth_date_errors"' in body
    assert "Có thông tin chưa đúng" in body
    assert Person.objects.count() == count


def test_register_in_another_commune_is_refused_and_nothing_is_written(officer_client, world):
    count = Person.objects.count()
    response = officer_client.post(
        reverse("web:person_create"), {**PERSON_POST, "commune": world.commune_b.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["commune"] == [
        "Xã/phường này không thuộc địa bàn bạn quản lý: chọn xã trong danh sách."
    ]
    assert Person.objects.count() == count


def test_an_auditor_cannot_register(client, world):
    from ansinh.accounts.models import Role
    from ansinh.registry.tests.factories import make_user

    auditor = make_user(role=Role.AUDITOR, commune=world.commune_a)
    client.force_login(auditor)
    count = Person.objects.count()
    response = client.post(reverse("web:person_create"), {**PERSON_POST, "commune": world.commune_a.pk})
    assert response.status_code == 200
    assert "chỉ được xem dữ liệu" in text(response)
    assert Person.objects.count() == count


# --- households ---------------------------------------------------------------------------------
def test_household_list_shows_my_households(officer_client, world):
    response = officer_client.get(reverse("web:household_list"))
    assert response.status_code == 200
    assert [h.pk for h in response.context["households"]] == [world.household.pk]
    assert response.context["households"][0].member_count == 2


def test_create_a_household_add_a_member_and_set_poverty(officer_client, world):
    newcomer = Person.objects.create(
        commune=world.commune_a,
        full_name="Lê Văn Cường",
        name_folded="le van cuong",
        birth_year=1990,
        sex="M",
        personal_id="001090000555",
    )
    child = Person.objects.create(
        commune=world.commune_a,
        full_name="Lê Minh Khôi",
        name_folded="le minh khoi",
        birth_year=2020,
        sex="M",
        personal_id="001220000556",
    )
    response = officer_client.post(
        reverse("web:household_create"),
        {"commune": world.commune_a.pk, "address": "Số 1 Kim Mã", "head_personal_id": "001090000555"},
    )
    household = Household.objects.get(head=newcomer)
    assert response["Location"] == reverse("web:household_detail", kwargs={"household_id": household.pk})
    assert household.address == "Số 1 Kim Mã"

    response = officer_client.post(
        reverse("web:household_member_add", kwargs={"household_id": household.pk}),
        {"personal_id": "001220000556", "relationship": "child", "valid_from": "01/07/2025"},
    )
    assert response.status_code == 302
    member = HouseholdMember.objects.get(household=household, person=child)
    assert (member.relationship, member.valid_from) == ("child", dt.date(2025, 7, 1))

    response = officer_client.post(
        reverse("web:household_poverty_set", kwargs={"household_id": household.pk}),
        {"year": "2026", "status": "poor", "certificate_number": "GCN-26-001"},
    )
    assert response.status_code == 302
    poverty = HouseholdPoverty.objects.get(household=household, year=2026)
    assert (poverty.status, poverty.certificate_number) == ("poor", "GCN-26-001")

    page = text(officer_client.get(response["Location"]))
    for expected in ("Hộ Lê Văn Cường", "Lê Minh Khôi", "Con", "từ 01/07/2025", "GCN-26-001", "Hộ nghèo"):
        assert expected in page


def test_adding_a_member_from_another_commune_is_refused(officer_client, world):
    count = HouseholdMember.objects.count()
    response = officer_client.post(
        reverse("web:household_member_add", kwargs={"household_id": world.household.pk}),
        {"personal_id": "001050000777", "relationship": "sibling"},
    )
    assert response.status_code == 400
    assert "Không tìm thấy người có số định danh “001050000777” trong địa bàn" in text(response)
    assert HouseholdMember.objects.count() == count


def test_a_bad_poverty_year_is_explained(officer_client, world):
    response = officer_client.post(
        reverse("web:household_poverty_set", kwargs={"household_id": world.household.pk}),
        {"year": "hai nghìn", "status": "poor"},
    )
    assert response.status_code == 400
    assert response.context["poverty_form"].errors["year"] == ["Năm phải là số, ví dụ 2026."]
    assert HouseholdPoverty.objects.filter(household=world.household).count() == 2


# --- decisions ----------------------------------------------------------------------------------
def test_officer_prepares_a_decision(officer_client, world):
    response = officer_client.post(
        reverse("web:decision_create", kwargs={"person_id": world.an.pk}),
        {
            "kind": "stop",
            "benefit": "monthly_allowance",
            "event_date": "10/11/2026",
            "reason": "Chuyển đi nơi khác.",
        },
    )
    decision = Decision.objects.get(person=world.an, kind="stop")
    assert response["Location"] == reverse("web:decision_detail", kwargs={"decision_id": decision.pk})
    assert (decision.status, decision.prepared_by_id) == (DecisionStatus.DRAFT, world.officer_a.pk)
    # Typed day first: 10 November 2026, not 11 October.
    assert decision.event_date == dt.date(2026, 11, 10)


def test_a_paper_decision_without_a_signer_name_is_shown(officer_client, world):
    # Imported lists may not name who signed the paper decision (imports.commit): no signer at all.
    Decision.objects.filter(pk=world.grant.pk).update(signed_on_paper=True, signed_by=None, signer_name="")
    response = officer_client.get(reverse("web:decision_detail", kwargs={"decision_id": world.grant.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "(không ghi tên) (quyết định ký trên giấy trước khi dùng hệ thống)" in body


def test_preparing_with_a_bad_date_shows_the_dd_mm_yyyy_hint(officer_client, world):
    count = Decision.objects.count()
    response = officer_client.post(
        reverse("web:decision_create", kwargs={"person_id": world.an.pk}),
        {"kind": "stop", "benefit": "monthly_allowance", "event_date": "2026/31/12"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["event_date"] == [
        "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025."
    ]
    assert Decision.objects.count() == count


def test_a_service_refusal_is_shown_beside_the_field(officer_client, world):
    count = Decision.objects.count()
    response = officer_client.post(
        reverse("web:decision_create", kwargs={"person_id": world.an.pk}),
        # The law, not a typed coefficient, decides: born 1948 without a disability, no allowance.
        {
            "kind": "grant",
            "benefit": "monthly_allowance",
            "coefficient": "2,5",
            "facts-birth_date": "12/03/1948",
        },
    )
    assert response.status_code == 200
    assert "không được hưởng chế độ này trong tháng" in response.context["form"].errors["benefit"][0]
    assert Decision.objects.count() == count


def test_the_preparer_sees_no_sign_button(officer_client, world):
    response = officer_client.get(reverse("web:decision_detail", kwargs={"decision_id": world.draft.pk}))
    assert response.status_code == 200
    assert response.context["show_sign"] is False
    assert 'data-testid="sign"' not in text(response)
    assert "Dự thảo chờ Chủ tịch UBND xã ký" in text(response)


def test_the_chairman_sees_the_sign_button_and_signs_with_a_day_first_date(chairman_client, world):
    url = reverse("web:decision_detail", kwargs={"decision_id": world.draft.pk})
    response = chairman_client.get(url)
    assert response.context["show_sign"] is True
    assert 'data-testid="sign"' in text(response)

    response = chairman_client.post(
        reverse("web:decision_sign", kwargs={"decision_id": world.draft.pk}),
        {"number": "130/QĐ-UBND", "signed_on": "02/11/2026", "signer_name": "Lê Văn Hùng"},
    )
    assert response["Location"] == url
    decision = Decision.objects.get(pk=world.draft.pk)
    assert (decision.status, decision.signed_by_id) == (DecisionStatus.SIGNED, world.chairman_a.pk)
    assert (decision.number, decision.signed_on) == ("130/QĐ-UBND", dt.date(2026, 11, 2))
    assert decision.effective_month == dt.date(2026, 11, 1)
    assert Entitlement.objects.filter(opened_by=decision).count() == 1
    body = text(chairman_client.get(url))
    assert "Đã ký quyết định số 130/QĐ-UBND." in body
    assert "02/11/2026" in body
    assert 'data-testid="sign"' not in body


def test_a_signing_day_to_come_or_before_the_draft_is_refused_beside_the_date(chairman_client, world):
    for day, message in (
        ("01/01/2099", "Ngày ký 01/01/2099 là ngày chưa đến"),
        ("31/10/2026", "Ngày ký 31/10/2026 trước ngày lập dự thảo (01/11/2026)"),
    ):
        response = chairman_client.post(
            reverse("web:decision_sign", kwargs={"decision_id": world.draft.pk}),
            {"number": "132/QĐ-UBND", "signed_on": day},
        )
        assert response.status_code == 400
        assert message in text(response)
        assert Decision.objects.get(pk=world.draft.pk).status == DecisionStatus.DRAFT


def test_the_preparer_posting_a_signature_is_refused_and_nothing_changes(officer_client, world):
    audit = AuditEvent.objects.count()
    response = officer_client.post(
        reverse("web:decision_sign", kwargs={"decision_id": world.draft.pk}),
        {"number": "131/QĐ-UBND", "signed_on": "02/11/2026"},
    )
    assert response.status_code == 400
    assert "Chủ tịch UBND" in text(response)
    decision = Decision.objects.get(pk=world.draft.pk)
    assert (decision.status, decision.number, decision.signed_by_id) == (DecisionStatus.DRAFT, "", None)
    assert AuditEvent.objects.count() == audit


def test_a_signed_decision_shows_no_sign_button(chairman_client, world):
    response = chairman_client.get(reverse("web:decision_detail", kwargs={"decision_id": world.grant.pk}))
    assert response.context["show_sign"] is False
    body = text(response)
    assert "Đã ký" in body and "125/QĐ-UBND" in body and "810.000 đ" in body


# --- payroll ------------------------------------------------------------------------------------
def test_payroll_list_shows_my_runs_and_the_run_form(officer_client, world):
    response = officer_client.get(reverse("web:payroll_list"))
    assert response.status_code == 200
    assert [run.pk for run in response.context["runs"]] == [world.payroll.pk]
    assert list(response.context["form"].fields["commune"].queryset) == [world.commune_a]
    assert 'data-testid="run-payroll"' in text(response)


def test_run_the_payroll_of_a_month_and_see_its_total(client, unpaid_world):
    world = unpaid_world
    officer_client = client
    officer_client.force_login(world.officer_a)
    response = officer_client.post(
        reverse("web:payroll_run"), {"commune": world.commune_a.pk, "month": "11/2026"}
    )
    run = PayrollRun.objects.get(commune=world.commune_a, month=PAYROLL_MONTH)
    assert response["Location"] == reverse("web:payroll_detail", kwargs={"payroll_id": run.pk})
    assert (run.line_count, run.total_amount) == (3, PAYROLL_TOTAL)

    page = officer_client.get(response["Location"])
    body = text(page)
    assert "Danh sách chi trả tháng 11/2026" in body
    assert 'data-testid="payroll-total">2.430.000 đ<' in body
    assert body.count('class="arrears"') == 2
    assert [line.month.month for line in page.context["lines"]] == [9, 10, 11]
    assert "1.620.000 đ" in body  # of which arrears: September and October


def test_running_the_payroll_twice_gives_the_same_run(officer_client, world):
    before = list(PaymentLine.objects.filter(run=world.payroll).values_list("person_id", "month", "amount"))
    officer_client.post(reverse("web:payroll_run"), {"commune": world.commune_a.pk, "month": "11/2026"})
    run = PayrollRun.objects.get(commune=world.commune_a, month=PAYROLL_MONTH)
    assert (run.line_count, run.total_amount) == (3, PAYROLL_TOTAL)
    after = list(PaymentLine.objects.filter(run=run).values_list("person_id", "month", "amount"))
    assert sorted(after) == sorted(before)


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("13/2026", "Tháng 13 không tồn tại"),
        ("tháng mười", "Tháng không hợp lệ"),
        ("12/2026", "chưa đến"),
    ],
)
def test_a_bad_or_future_payroll_month_is_refused(officer_client, world, month, message):
    count = PayrollRun.objects.count()
    response = officer_client.post(
        reverse("web:payroll_run"), {"commune": world.commune_a.pk, "month": month}
    )
    assert response.status_code == 400
    assert message in response.context["form"].errors["month"][0]
    assert PayrollRun.objects.count() == count


def test_a_payroll_for_another_commune_is_refused(officer_client, world):
    lines = PaymentLine.objects.count()
    response = officer_client.post(
        reverse("web:payroll_run"), {"commune": world.commune_b.pk, "month": "11/2026"}
    )
    assert response.status_code == 400
    assert "không thuộc địa bàn bạn quản lý" in response.context["form"].errors["commune"][0]
    assert PaymentLine.objects.count() == lines


def test_a_chairman_cannot_run_the_payroll(chairman_client, world):
    response = chairman_client.get(reverse("web:payroll_list"))
    assert 'data-testid="run-payroll"' not in text(response)
    response = chairman_client.post(
        reverse("web:payroll_run"), {"commune": world.commune_a.pk, "month": "10/2026"}
    )
    assert response.status_code == 400
    assert "không được lập danh sách chi trả" in text(response)
    assert not PayrollRun.objects.filter(month=dt.date(2026, 10, 1)).exists()


def test_payroll_page_lists_names_amounts_arrears_and_total(officer_client, world):
    response = officer_client.get(reverse("web:payroll_detail", kwargs={"payroll_id": world.payroll.pk}))
    assert response.status_code == 200
    body = text(response)
    assert body.count("Nguyễn Văn An") >= 3
    assert body.count("810.000 đ") == 3
    assert "540.000 đ" in body  # the standard level in force
    assert "Truy lĩnh" in body
    assert "2.430.000 đ" in body


def test_an_english_browser_still_types_dates_day_first_and_coefficients_with_a_comma(officer_client, world):
    response = officer_client.post(
        reverse("web:decision_create", kwargs={"person_id": world.an.pk}),
        {
            "kind": "adjust",
            "benefit": "monthly_allowance",
            "category": "6",
            "coefficient": "2,5",  # typed, and ignored: the law gives 2,0 (severe disability, elderly)
            "event_date": "01/10/2026",
            "facts-birth_date": "12/03/1948",
            "facts-disability_level": "severe",
            "facts-poverty_status": "near_poor",
        },
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    assert response.status_code == 302, response.context["form"].errors
    decision = Decision.objects.get(person=world.an, kind="adjust")
    assert decision.event_date == dt.date(2026, 10, 1)  # 1 October, not 10 January
    assert (str(decision.coefficient), decision.category) == ("2.00", "6")
    page = text(officer_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    assert "01/10/2026" in page and "1.080.000" in page
