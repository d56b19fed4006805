"""One error shape for the whole API: {"code", "message", "fields"}, messages in Vietnamese.

Domain errors raised by services keep their code and per-field messages; the HTTP status follows
the kind of error (a wrong value 400, not permitted 403, contradicts the current state 409).
Anything outside the user's area is a plain 404, exactly like an id that does not exist, so the
API never tells another commune's records apart from missing ones.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ansinh.core.errors import Conflict, DomainError, InvalidInput, NotAllowed

STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (InvalidInput, 400),
    (NotAllowed, 403),
    (Conflict, 409),
]

NOT_FOUND_MESSAGE = "Không tìm thấy hồ sơ này trong địa bàn bạn quản lý."
UNAUTHENTICATED_MESSAGE = "Bạn chưa đăng nhập hoặc phiên làm việc đã hết hạn. Hãy đăng nhập lại."
CSRF_MESSAGE = (
    "Thiếu hoặc sai mã chống giả mạo (CSRF). Gửi lại yêu cầu với tiêu đề X-CSRFToken lấy từ "
    "GET /api/v1/auth/csrf."
)
INVALID_REQUEST_MESSAGE = "Dữ liệu gửi lên không hợp lệ; xem từng trường trong 'fields'."


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def status_for(exc: DomainError) -> int:
    for error_class, status in STATUS_BY_ERROR:
        if isinstance(exc, error_class):
            return status
    return 400


def _field_name(location: list | tuple) -> str:
    # ninja reports ("body", "payload", "birth_date"); the client knows only "birth_date".
    parts = [str(p) for p in location if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "__all__"


def _validation_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "Trường này bắt buộc, hãy nhập giá trị."
    if kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
        return "Phải là một số."
    if kind.startswith("date"):
        return "Ngày không hợp lệ; dùng dạng YYYY-MM-DD (ISO) trong API."
    if kind.startswith("string"):
        return "Phải là một chuỗi ký tự hợp lệ."
    if kind == "json_invalid":
        return "Nội dung gửi lên không phải JSON hợp lệ."
    return "Giá trị không hợp lệ."


def install_error_handlers(api: NinjaAPI) -> None:
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=status_for(exc))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, error_body("not_found", NOT_FOUND_MESSAGE), status=404)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = {_field_name(e.get("loc", ())): _validation_message(e) for e in exc.errors}
        return api.create_response(
            request, error_body("invalid_input", INVALID_REQUEST_MESSAGE, fields), status=400
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            body = error_body("unauthenticated", UNAUTHENTICATED_MESSAGE)
        elif exc.status_code == 403 and "CSRF" in str(exc):
            body = error_body("csrf_failed", CSRF_MESSAGE)
        elif exc.status_code == 403:
            body = error_body("not_allowed", "Bạn không có quyền thực hiện thao tác này.")
        elif exc.status_code == 404:
            body = error_body("not_found", NOT_FOUND_MESSAGE)
        elif exc.status_code == 400:
            # ninja raises this when the body cannot be parsed at all (broken JSON).
            body = error_body("invalid_input", "Không đọc được nội dung gửi lên: gửi JSON hợp lệ (UTF-8).")
        elif exc.status_code == 429:
            body = error_body("throttled", "Gửi quá nhiều yêu cầu: đợi một lát rồi thử lại.")
        else:
            body = error_body("http_error", str(exc))
        return api.create_response(request, body, status=exc.status_code)

    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(HttpError, on_http_error)
