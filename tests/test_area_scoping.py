"""Area scoping on EVERY page and API endpoint: an officer (or chairman) of commune A asking for an
object of commune B gets exactly what they would get for an id that does not exist (404), and
nothing is written.

The test walks the URLconf: every route with an id is tested, so a new page or endpoint is covered
the day it is added. A new kind of id (a path parameter not in ID_PARAMS) fails the test until it
is added there with the object of commune B it points to.
"""

import json
import re

import pytest
from django.urls import URLResolver, get_resolver

from ansinh.core.models import AuditEvent
from ansinh.decisions.models import Decision, Entitlement
from ansinh.payments.models import PaymentLine, PayrollRun
from ansinh.registry.models import Household, HouseholdMember, HouseholdPoverty, Person
from ansinh.web.tests.scenario import build_world

pytestmark = pytest.mark.django_db

# path parameter → the object of commune B it names
ID_PARAMS = {
    "person_id": lambda w: w.person_b.pk,
    "household_id": lambda w: w.household_b.pk,
    "decision_id": lambda w: w.decision_b.pk,
    "payroll_id": lambda w: w.payroll_b.pk,
    "dossier_id": lambda w: _dossier_b(w).pk,
    "attachment_id": lambda w: _attachment_b(w).pk,
    "declared_day_id": lambda w: _declared_day_b(w).pk,
    "event_id": lambda w: _relief_b(w)["event_id"],
    "affected_id": lambda w: _relief_b(w)["affected_id"],
    "request_id": lambda w: _relief_b(w)["request_id"],
    "review_item_id": lambda w: _review_item_b(w).pk,
    "batch_id": lambda w: _imports_b(w, "batch_of").pk,
    "upload_id": lambda w: _imports_b(w, "upload_of").pk,
    "candidate_id": lambda w: _dedup_b(w).pk,
    "merge_id": lambda w: _merge_b(w).pk,
    "job_id": lambda w: _job_b(w).pk,
    "proposal_id": lambda w: _payments_b(w, "proposal").pk,
    "overpayment_id": lambda w: _payments_b(w, "overpayment").pk,
}


def _payments_b(world, kind):
    """A suspension proposal or an overpayment raised by commune B's reconciliation."""
    import datetime as dt

    from django.utils import timezone

    from ansinh.payments.models import Overpayment, SuspensionProposal

    run, now = world.payroll_b, timezone.now()
    if kind == "proposal":
        return SuspensionProposal.objects.create(
            person=world.person_b,
            commune=world.commune_b,
            first_month=run.month,
            last_month=run.month,
            uncollected_amount=810_000,
            run=run,
            created_at=now,
        )
    return Overpayment.objects.create(
        person=world.person_b,
        run=run,
        commune_code=world.commune_b.pk,
        benefit="monthly_allowance",
        month=run.month,
        amount=810_000,
        date_of_death=dt.date(2026, 1, 1),
        detected_at=now,
    )


def _job_b(world):
    from ansinh.jobs.models import Job

    return Job.objects.create(
        name="payments.payroll_run", area_code=world.commune_b.pk, created_by=world.officer_b
    )


def _imports_b(world, maker):
    from ansinh.imports.tests import helpers

    return getattr(helpers, maker)(world.commune_b, world.officer_b)


def _dedup_b(world):
    from ansinh.dedup.tests.helpers import candidate_of

    return candidate_of(world.person_b)


def _merge_b(world):
    from ansinh.dedup.tests.helpers import merge_of

    return merge_of(world.person_b, world.officer_b)


def _review_item_b(world):
    from ansinh.review.tests.helpers import review_item_of

    return review_item_of(Entitlement.objects.get(opened_by=world.decision_b))


def _relief_b(world):
    from ansinh.relief.tests.scenario import relief_ids_of

    return relief_ids_of(world.commune_b, world.officer_b)


def _dossier_b(world):
    from ansinh.dossiers.tests.helpers import dossier_of

    return dossier_of(world.person_b)


def _declared_day_b(world):
    """A day declared by commune B's province: only its provincial officers may reach it."""
    import datetime as dt

    from ansinh.dossiers.models import DeclaredDay

    row, _ = DeclaredDay.objects.get_or_create(
        province=world.commune_b.province, day=dt.date(2026, 11, 3), defaults={"is_working_day": False}
    )
    return row


def _attachment_b(world):
    from ansinh.dossiers.tests.helpers import attachment_of

    return attachment_of(_dossier_b(world))


# Administrative units are public reference data (the official list of provinces and communes),
# not records of a commune: every officer may read them.
PUBLIC_ROUTES = {"api/v1/areas/provinces/<code>/communes"}
MISSING_ID = 2_000_000_000

# A POST body that passes the schema of any of our forms and JSON endpoints, so the request
# reaches the view's access check instead of stopping at validation.
SAMPLE_BODY = {
    "number": "999/QĐ-UBND",
    "signed_on": "2026-11-02",
    "signer_name": "Người Thử",
    "month": "2026-11",
    "personal_id": "001050000777",
    "relationship": "other",
    "year": 2026,
    "status": "poor",
    "kind": "stop",
    "benefit": "monthly_allowance",
    "event_date": "2026-11-02",
    "reason": "thử",
}

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def routes_with_ids() -> list[str]:
    routes = sorted({r for r in _routes() if _PARAM.search(r)})
    return [r for r in routes if r not in PUBLIC_ROUTES]


def routes_without_ids() -> list[str]:
    return sorted({r for r in _routes() if not _PARAM.search(r)})


def fill(route: str, values: dict) -> str:
    return "/" + _PARAM.sub(lambda m: str(values[m["name"]]), route)


def world_state():
    """Everything a request could write, to prove a refused request wrote nothing."""
    return (
        AuditEvent.objects.count(),
        list(Person.objects.order_by("pk").values_list("pk", "full_name", "commune_id", "date_of_death")),
        Household.objects.count(),
        HouseholdMember.objects.count(),
        list(HouseholdPoverty.objects.order_by("pk").values_list("pk", "status")),
        list(Decision.objects.order_by("pk").values_list("pk", "status", "number", "signed_by_id")),
        list(Entitlement.objects.order_by("pk").values_list("pk", "end_month", "suspended_from")),
        list(PayrollRun.objects.order_by("pk").values_list("pk", "line_count", "total_amount")),
        PaymentLine.objects.count(),
    )


def call(client, method: str, url: str):
    if method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return client.post(url, data=json.dumps(SAMPLE_BODY), content_type="application/json")
    return client.post(url, data=SAMPLE_BODY)


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def test_the_walk_finds_the_pages_and_endpoints_we_know():
    routes = routes_with_ids()
    for known in (
        "doi-tuong/<int:person_id>/",
        "quyet-dinh/<int:decision_id>/ky/",
        "chi-tra/<int:payroll_id>/",
        "ho-gia-dinh/<int:household_id>/thanh-vien/",
        "api/v1/persons/<int:person_id>",
        "api/v1/decisions/<decision_id>/sign",
        "api/v1/payrolls/<payroll_id>",
    ):
        assert known in routes


@pytest.mark.parametrize("role", ["officer_a", "chairman_a"])
@pytest.mark.parametrize("route", routes_with_ids())
def test_another_commune_object_is_a_404_on_every_route(client, world, route, role):
    names = [m["name"] for m in _PARAM.finditer(route)]
    unknown = [n for n in names if n not in ID_PARAMS]
    assert not unknown, f"{route}: add {unknown} to ID_PARAMS (which object of commune B it names)"
    client.force_login(getattr(world, role))
    foreign_url = fill(route, {n: ID_PARAMS[n](world) for n in names})
    missing_url = fill(route, dict.fromkeys(names, MISSING_ID))
    before = world_state()

    answered_404 = False
    for method in ("get", "post"):
        foreign = call(client, method, foreign_url)
        missing = call(client, method, missing_url)
        # Indistinguishable from an id that does not exist …
        assert foreign.status_code == missing.status_code, (method, foreign_url, foreign.status_code)
        assert foreign.status_code in (404, 405), (
            method,
            foreign_url,
            foreign.status_code,
            foreign.content[:300],
        )
        if foreign["Content-Type"].startswith("application/json"):
            assert foreign.json() == missing.json()
        answered_404 |= foreign.status_code == 404
    # … reached by at least one method, and nothing written.
    assert answered_404, f"{route} never answered 404"
    assert world_state() == before


@pytest.mark.parametrize("route", routes_without_ids())
def test_lists_and_searches_never_show_another_commune(client, world, route):
    client.force_login(world.officer_a)
    response = client.get(fill(route, {}), {"q": "nguyen van an"})
    if response["Content-Type"].startswith("application/json"):
        content = json.dumps(response.json(), ensure_ascii=False)
    else:
        content = response.content.decode()
    for marker in ("001050000777", "7/QĐ-UBND", "Phường Ngọc Hà"):
        assert marker not in content, (route, marker)


def test_search_page_and_api_find_only_my_namesake(client, world):
    client.force_login(world.officer_a)
    page = client.get("/doi-tuong/", {"q": "nguyen van an"})
    assert [p.pk for p in page.context["results"]] == [world.an.pk]
    api = client.get("/api/v1/persons", {"q": "nguyen van an"})
    assert [p["id"] for p in api.json()] == [world.an.pk]


# Ids and area codes that travel in a query string or a body rather than in the path.
@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/decisions?person={person_b}", None),
        (
            "post",
            "/api/v1/decisions",
            {
                "person": "{person_b}",
                "kind": "grant",
                "benefit": "monthly_allowance",
                "category": "6",
                "coefficient": "1.5",
            },
        ),
        ("post", "/api/v1/payrolls/run", {"month": "2026-11", "area": "00008"}),
        ("get", "/api/v1/payrolls?area=00008", None),
    ],
)
def test_ids_in_queries_and_bodies_are_scoped_too(client, world, method, url, body):
    client.force_login(world.officer_a)
    url = url.format(person_b=world.person_b.pk)
    before = world_state()
    if method == "get":
        response = client.get(url)
    else:
        payload = {
            k: (int(v.format(person_b=world.person_b.pk)) if v == "{person_b}" else v)
            for k, v in body.items()
        }
        response = client.post(url, data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 404, response.content[:300]
    assert response.json()["code"] == "not_found"
    assert world_state() == before


def test_the_web_payroll_form_refuses_another_commune(client, world):
    client.force_login(world.officer_a)
    before = world_state()
    response = client.post("/chi-tra/lap/", {"commune": world.commune_b.pk, "month": "11/2026"})
    assert response.status_code == 400
    assert world_state() == before


def test_a_province_officer_reaches_both_communes(client, world):
    client.force_login(world.province_officer)
    for url in (
        f"/doi-tuong/{world.person_b.pk}/",
        f"/quyet-dinh/{world.decision_b.pk}/",
        f"/chi-tra/{world.payroll_b.pk}/",
        f"/api/v1/persons/{world.person_b.pk}",
    ):
        assert client.get(url).status_code == 200, url
