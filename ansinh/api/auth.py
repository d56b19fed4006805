"""Authentication for the API.

Session authentication by default: the browser (or a script) logs in through the web log-in page
or POST /api/v1/auth/login and sends the session cookie. Because a cookie is sent by the browser
on its own, every unsafe request (POST, PUT, PATCH, DELETE) must also carry Django's CSRF token in
the `X-CSRFToken` header; GET /api/v1/auth/csrf returns the token (and sets the `csrftoken`
cookie). ninja's SessionAuth runs Django's own CsrfViewMiddleware check, so a forged cross-site
JSON POST fails with 403 {"code": "csrf_failed"} before any view code runs.
"""

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from ninja import Router, Schema
from ninja.security import SessionAuth

from ansinh.core.errors import InvalidInput

session_auth = SessionAuth(csrf=True)

router = Router(tags=["auth"])


class CsrfOut(Schema):
    csrf_token: str


class LoginIn(Schema):
    username: str
    password: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    area_level: str
    area_code: str


def me_payload(user) -> dict:
    area_code = user.commune_id or user.province_id or ""
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "role_label": user.get_role_display(),
        "area_level": user.area_level,
        "area_code": area_code,
    }


@router.get("/csrf", auth=None, response=CsrfOut, summary="CSRF token for JSON POSTs")
def csrf_token(request):
    return {"csrf_token": get_token(request)}


@router.post("/login", auth=None, response=MeOut, summary="Log in and start a session")
def auth_login(request, payload: LoginIn):
    # Log-in itself is exempt from the session's CSRF check (there is no session yet), but the
    # credentials are what is checked, and a new session and CSRF token are issued on success.
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise InvalidInput(
            "Tên đăng nhập hoặc mật khẩu không đúng. Kiểm tra lại và nhập lại.",
            fields={"password": "Tên đăng nhập hoặc mật khẩu không đúng."},
            code="login_failed",
        )
    login(request, user)
    return me_payload(user)


@router.post("/logout", summary="End the session")
def auth_logout(request):
    logout(request)
    return {"ok": True}


@router.get("/me", response=MeOut, summary="The logged-in officer, role and area")
def auth_me(request):
    return me_payload(request.auth)
