"""The API's plumbing: one error shape, session auth with a CSRF header on unsafe requests, the
OpenAPI schema listing every mounted router."""

import json

import pytest
from django.http import Http404
from django.test import Client
from django.urls import path
from ninja import NinjaAPI, Schema

from ansinh.api.errors import install_error_handlers
from ansinh.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from ansinh.registry.tests.factories import PASSWORD, make_commune, make_person, make_user

# --- the error shape, on a small API of its own -------------------------------------------------
errors_api = NinjaAPI(urls_namespace="errors_test", auth=None)
install_error_handlers(errors_api)


class NumberIn(Schema):
    number: int


@errors_api.get("/invalid")
def raise_invalid(request):
    raise InvalidInput.for_field("birth_date", "Ngày sinh không hợp lệ: nhập dd/mm/yyyy.")


@errors_api.get("/not-allowed")
def raise_not_allowed(request):
    raise NotAllowed("Chỉ Chủ tịch UBND xã được ký.", fields={"signed_by": "Người ký phải là Chủ tịch."})


@errors_api.get("/conflict")
def raise_conflict(request):
    raise Conflict("Quyết định đã ký: không ký lại.")


@errors_api.get("/domain")
def raise_domain(request):
    raise DomainError("Lỗi nghiệp vụ.", code="custom_rule")


@errors_api.get("/missing")
def raise_404(request):
    raise Http404("Person matching query does not exist.")


@errors_api.post("/number")
def take_number(request, payload: NumberIn):
    return {"number": payload.number}


# This module is the URLconf of the tests marked @pytest.mark.urls(ERRORS_URLCONF).
urlpatterns = [path("errors/", errors_api.urls)]
ERRORS_URLCONF = __name__


@pytest.mark.urls(ERRORS_URLCONF)
@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        (
            "/errors/invalid",
            400,
            {
                "code": "invalid_input",
                "message": "Ngày sinh không hợp lệ: nhập dd/mm/yyyy.",
                "fields": {"birth_date": "Ngày sinh không hợp lệ: nhập dd/mm/yyyy."},
            },
        ),
        (
            "/errors/not-allowed",
            403,
            {
                "code": "not_allowed",
                "message": "Chỉ Chủ tịch UBND xã được ký.",
                "fields": {"signed_by": "Người ký phải là Chủ tịch."},
            },
        ),
        (
            "/errors/conflict",
            409,
            {"code": "conflict", "message": "Quyết định đã ký: không ký lại.", "fields": {}},
        ),
        ("/errors/domain", 400, {"code": "custom_rule", "message": "Lỗi nghiệp vụ.", "fields": {}}),
        (
            "/errors/missing",
            404,
            {
                "code": "not_found",
                "message": "Không tìm thấy hồ sơ này trong địa bàn bạn quản lý.",
                "fields": {},
            },
        ),
    ],
)
def test_domain_errors_and_404_become_json_with_code_message_fields(client, url, status, body):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == body


@pytest.mark.urls(ERRORS_URLCONF)
def test_a_schema_error_is_a_400_naming_the_field(client):
    response = client.post(
        "/errors/number", data=json.dumps({"number": "mười"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": "Dữ liệu gửi lên không hợp lệ; xem từng trường trong 'fields'.",
        "fields": {"number": "Phải là một số."},
    }


@pytest.mark.urls(ERRORS_URLCONF)
def test_a_missing_field_and_bad_json_are_named(client):
    missing = client.post("/errors/number", data="{}", content_type="application/json")
    assert missing.json()["fields"] == {"number": "Trường này bắt buộc, hãy nhập giá trị."}
    broken = client.post("/errors/number", data="{", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {
        "code": "invalid_input",
        "message": "Không đọc được nội dung gửi lên: gửi JSON hợp lệ (UTF-8).",
        "fields": {},
    }


# --- the real API: auth, CSRF, 404 --------------------------------------------------------------
@pytest.fixture
def officer(db):
    return make_user(username="can_bo", commune=make_commune("00004"))


def test_an_anonymous_request_gets_401_in_the_error_shape(db):
    response = Client().get("/api/v1/persons")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "đăng nhập" in response.json()["message"]


def test_a_json_post_without_the_csrf_header_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post("/api/v1/persons", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "X-CSRFToken" in response.json()["message"]


def test_a_json_post_with_the_csrf_header_passes_the_check(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = client.post(
        "/api/v1/persons", data="{}", content_type="application/json", headers={"X-CSRFToken": token}
    )
    # Past the CSRF check: the empty person is refused by the registry's rules, not by CSRF.
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert "full_name" in response.json()["fields"]


def test_log_in_and_out_through_the_api(officer):
    client = Client(enforce_csrf_checks=True)
    wrong = client.post(
        "/api/v1/auth/login",
        data=json.dumps({"username": "can_bo", "password": "sai"}),
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "login_failed"

    right = client.post(
        "/api/v1/auth/login",
        data=json.dumps({"username": "can_bo", "password": PASSWORD}),
        content_type="application/json",
    )
    assert right.status_code == 200
    assert right.json() == {
        "username": "can_bo",
        "full_name": "",
        "role": "commune_officer",
        "role_label": "Công chức văn hóa - xã hội cấp xã",
        "area_level": "commune",
        "area_code": "00004",
    }
    assert client.get("/api/v1/auth/me").json()["area_code"] == "00004"
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers={"X-CSRFToken": token}).status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401


def test_another_commune_person_is_a_json_404(officer):
    other = make_person(commune=make_commune("00008"), full_name="Nguyễn Văn An")
    client = Client()
    client.force_login(officer)
    response = client.get(f"/api/v1/persons/{other.pk}")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Không tìm thấy hồ sơ này trong địa bàn bạn quản lý.",
        "fields": {},
    }
    mine = make_person(commune=officer.commune, full_name="Trần Văn Bình")
    assert client.get(f"/api/v1/persons/{mine.pk}").json()["full_name"] == "Trần Văn Bình"


# --- OpenAPI ------------------------------------------------------------------------------------
def test_openapi_schema_loads_and_lists_every_router(db):
    from ansinh.api.router import ROUTERS

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "ansinh API"
    paths = set(schema["paths"])
    mounted = [prefix for prefix, module in ROUTERS if _importable(module)]
    assert {"/auth", "/persons", "/decisions", "/payrolls", "/areas"} <= set(mounted)
    for prefix in mounted:
        assert any(p.startswith(f"/api/v1{prefix}") for p in paths), prefix
    assert "/api/v1/auth/csrf" in paths
    assert "/api/v1/persons/{person_id}" in paths
    # Session cookie auth is declared for the protected operations.
    assert "SessionAuth" in schema["components"]["securitySchemes"]


def test_api_docs_are_served_from_local_static_files(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
