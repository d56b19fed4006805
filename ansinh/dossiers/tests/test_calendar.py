"""The page where a provincial officer declares the province's substitute days off and
compensatory working days (DeclaredDay): list, add, remove; scoped to the province; audited."""

import datetime as dt

import pytest

from ansinh.accounts.models import Role
from ansinh.areas.models import Province
from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.core.workdays import add_working_days
from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.models import DeclaredDay
from ansinh.dossiers.services import declared_day_remove, declared_day_set
from ansinh.registry.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return Office("00001")


@pytest.fixture
def province(office):
    return make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province)


def test_the_province_adds_lists_and_removes_its_days(client, office, province):
    client.force_login(province)
    page = client.get("/ho-so/lich/")
    assert page.status_code == 200 and "Chưa khai báo ngày nào." in page.content.decode()
    # Tuesday 3 Nov 2026 off; Saturday 7 Nov 2026 worked.
    response = client.post(
        "/ho-so/lich/", {"province": "01", "day": "03/11/2026", "kind": "off", "note": "Nghỉ bù"}
    )
    assert response.status_code == 302
    client.post("/ho-so/lich/", {"province": "01", "day": "07/11/2026", "kind": "worked", "note": "Làm bù"})
    rows = list(
        DeclaredDay.objects.order_by("day").values_list("province_id", "day", "is_working_day", "note")
    )
    assert rows == [
        ("01", dt.date(2026, 11, 3), False, "Nghỉ bù"),
        ("01", dt.date(2026, 11, 7), True, "Làm bù"),
    ]
    # Deadlines count with them: Mon 2 Nov + 3 wd = Thu 5 Nov nationally; here 3 Nov is off.
    assert add_working_days(dt.date(2026, 11, 2), 3, "01") == dt.date(2026, 11, 6)
    listing = client.get("/ho-so/lich/").content.decode()
    assert (
        "03/11/2026" in listing and "Nghỉ bù" in listing and "07/11/2026" in listing and "Làm bù" in listing
    )
    off = DeclaredDay.objects.get(day=dt.date(2026, 11, 3))
    response = client.post(f"/ho-so/lich/{off.pk}/xoa/")
    assert response.status_code == 302
    assert list(DeclaredDay.objects.values_list("day", flat=True)) == [dt.date(2026, 11, 7)]
    assert add_working_days(dt.date(2026, 11, 2), 3, "01") == dt.date(2026, 11, 5)
    audit = list(
        AuditEvent.objects.filter(action__startswith="calendar.")
        .order_by("id")
        .values_list("action", "area_code")
    )
    assert audit == [("calendar.declare", "01"), ("calendar.declare", "01"), ("calendar.remove", "01")]
    removed = AuditEvent.objects.get(action="calendar.remove")
    assert removed.actor == province and removed.before["day"] == "2026-11-03"


def test_a_declaration_that_changes_nothing_is_refused(client, office, province):
    with pytest.raises(InvalidInput) as error:  # Saturday already off
        declared_day_set(actor=province, province_code="01", day=dt.date(2026, 11, 7), is_working_day=False)
    assert "day" in error.value.fields
    with pytest.raises(InvalidInput) as error:  # Tuesday already worked
        declared_day_set(actor=province, province_code="01", day=dt.date(2026, 11, 3), is_working_day=True)
    client.force_login(province)
    response = client.post(
        "/ho-so/lich/", {"province": "01", "day": "01/09/2026", "kind": "off"}
    )  # National Day
    assert response.status_code == 400 and "02/09/2026" not in response.content.decode()
    assert "đã là ngày nghỉ" in response.content.decode()
    assert (
        DeclaredDay.objects.count() == 0
        and not AuditEvent.objects.filter(action__startswith="calendar.").exists()
    )


def test_other_provinces_and_communes_cannot_change_the_calendar(client, office, province):
    row = declared_day_set(actor=province, province_code="01", day=dt.date(2026, 11, 3), is_working_day=False)
    elsewhere = Office("00002", province="02")
    other = make_user(role=Role.PROVINCIAL_OFFICER, province=Province.objects.get(code="02"))
    with pytest.raises(NotAllowed):
        declared_day_set(actor=other, province_code="01", day=dt.date(2026, 11, 4), is_working_day=False)
    with pytest.raises(NotAllowed):
        declared_day_remove(actor=office.officer, declared_day=row)
    # Another province's officer: 404 on removal, and the list does not show province 01's days.
    client.force_login(other)
    assert client.post(f"/ho-so/lich/{row.pk}/xoa/").status_code == 404
    assert "03/11/2026" not in client.get("/ho-so/lich/").content.decode()
    response = client.post("/ho-so/lich/", {"province": "01", "day": "04/11/2026", "kind": "off"})
    assert (
        response.status_code == 400
        and "Không có quyền khai báo lịch của tỉnh này." in response.content.decode()
    )
    # A commune officer reads the province's days but has no form and no removal.
    client.force_login(office.officer)
    page = client.get("/ho-so/lich/").content.decode()
    assert "03/11/2026" in page and 'data-testid="declare"' not in page and "remove-" not in page
    assert client.post(f"/ho-so/lich/{row.pk}/xoa/").status_code == 404
    client.force_login(elsewhere.officer)
    assert "03/11/2026" not in client.get("/ho-so/lich/").content.decode()
    assert list(DeclaredDay.objects.values_list("pk", flat=True)) == [row.pk]
