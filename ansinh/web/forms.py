"""Forms for the web pages. They check only the shape of what was typed (present, a number, a
date dd/mm/yyyy); the rules (ID checksum, dates of birth, who may sign) are the services' job,
and their InvalidInput errors are put back beside the field they name (`add_domain_error`)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ansinh.areas.models import Commune, Village
from ansinh.core.errors import DomainError
from ansinh.decisions.models import Benefit, DecisionKind
from ansinh.registry.models import PovertyStatus, Relationship, Sex
from config.formats.vi import formats as vi_formats

DATE_HELP = "Dạng dd/mm/yyyy, ví dụ 01/07/2025."
DATE_ERROR = "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025."


def required(label: str) -> dict:
    return {"required": f"Chưa nhập {label}: trường này bắt buộc."}


class VietnameseDateField(forms.DateField):
    """A date typed and shown day first (dd/mm/yyyy), whatever language the browser asks for:
    the formats are config/formats/vi's, pinned here so that a browser sending
    Accept-Language: en never turns 01/07/2025 into 7 January."""

    def __init__(self, *, label: str, **kwargs):
        kwargs.setdefault("help_text", DATE_HELP)
        kwargs.setdefault("input_formats", vi_formats.DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format=vi_formats.DATE_INPUT_FORMATS[0],
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
            ),
        )
        messages = {"invalid": DATE_ERROR, **required(label.lower())}
        super().__init__(label=label, error_messages=messages, **kwargs)


def add_domain_error(form: forms.Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's error: each named field beside its input, the rest above the form.

    `aliases` maps a service's field name to the form's ("area" → "commune")."""
    aliases = aliases or {}
    for field, message in (error.fields or {}).items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, message)
    if not error.fields:
        form.add_error(None, error.message)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Kiểm tra lại (mật khẩu phân biệt chữ hoa, chữ thường).",
        "inactive": "Tài khoản này đã bị khóa. Liên hệ quản trị viên.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["username"].error_messages = required("tên đăng nhập")
        self.fields["password"].label = "Mật khẩu"
        self.fields["password"].error_messages = required("mật khẩu")


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Số định danh hoặc họ tên",
        required=False,
        max_length=150,
        error_messages={
            "max_length": "Nội dung tìm kiếm dài quá %(limit_value)d ký tự (đang có %(show_value)d): "
            "chỉ gõ họ tên hoặc số định danh của người cần tìm."
        },
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Ví dụ: 001250012345 hoặc nguyen van an",
                "autocomplete": "off",
            }
        ),
    )


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.code})"


COMMUNE_REQUIRED = required("xã/phường")
COMMUNE_OUTSIDE = {
    "invalid_choice": "Xã/phường này không thuộc địa bàn bạn quản lý: chọn xã trong danh sách."
}


def scoped_commune_field(*, label: str = "Xã/phường", required: bool = True) -> CommuneChoiceField:
    """A commune of the user's area: the choices are set by ScopedFormMixin.limit_to_scope, and a
    commune outside them is refused with the same message on every form."""
    return CommuneChoiceField(
        label=label,
        queryset=Commune.objects.none(),
        empty_label="— Chọn xã/phường —",
        required=required,
        error_messages={**COMMUNE_REQUIRED, **COMMUNE_OUTSIDE} if required else COMMUNE_OUTSIDE,
    )


class ScopedFormMixin:
    """Communes and villages offered are the user's area only (AreaScope.communes())."""

    def limit_to_scope(self, scope) -> None:
        communes = scope.communes().select_related("province").order_by("name")
        if "commune" in self.fields:
            self.fields["commune"].queryset = communes
            if scope.commune_code:
                self.fields["commune"].initial = scope.commune_code
        if "village" in self.fields:
            self.fields["village"].queryset = Village.objects.filter(
                commune__in=communes.values("code")
            ).order_by("name")


class PersonForm(ScopedFormMixin, forms.Form):
    """Only the shape is checked here; person_create checks every value at once (so all the
    mistakes are shown together) and its messages land beside each field."""

    # Needed by the service; marked with * on the page, but checked by person_create.
    SERVICE_REQUIRED = ("full_name", "birth_date", "sex", "commune")

    full_name = forms.CharField(label="Họ và tên", max_length=150, required=False)
    personal_id = forms.CharField(
        label="Số định danh cá nhân",
        max_length=20,
        required=False,
        help_text="12 chữ số trên căn cước. Để trống nếu người này chưa có số định danh.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.CharField(
        label="Ngày sinh",
        max_length=20,
        required=False,
        help_text="dd/mm/yyyy; nếu giấy tờ chỉ ghi tháng và năm: mm/yyyy; chỉ ghi năm: yyyy.",
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label="Giới tính", choices=[("", "— Chọn —"), *Sex.choices], required=False)
    ethnicity = forms.CharField(label="Dân tộc", max_length=50, initial="Kinh", required=False)
    commune = scoped_commune_field(label="Xã/phường cư trú", required=False)
    village = forms.ModelChoiceField(
        label="Thôn, tổ dân phố",
        queryset=Village.objects.none(),
        required=False,
        empty_label="— Không ghi —",
        error_messages={
            "invalid_choice": "Thôn này không thuộc địa bàn bạn quản lý: chọn thôn trong danh sách."
        },
    )
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    phone = forms.CharField(label="Số điện thoại", max_length=15, required=False)
    bank_account = forms.CharField(label="Số tài khoản ngân hàng", max_length=30, required=False)
    bank_name = forms.CharField(label="Ngân hàng", max_length=100, required=False)
    # Set by the page after a likely-duplicate warning: the record numbers the officer has seen
    # and confirmed are other people ("Vẫn đăng ký người mới"). Not shown as a field.
    not_duplicate_of = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.SERVICE_REQUIRED:
            self.fields[name].show_required = True

    def confirmed_not_duplicates(self, confirmed: bool) -> set[int]:
        """The record numbers the officer confirmed are other people (only when the confirm
        button was pressed); anything unreadable is ignored, so the check simply runs again."""
        if not confirmed:
            return set()
        text = self.cleaned_data.get("not_duplicate_of") or ""
        return {int(part) for part in text.split(",") if part.strip().isdigit()}


class PersonEditForm(PersonForm):
    """Correct a registered person (person_update): the register form's fields, the same
    birth_date text (dd/mm/yyyy, mm/yyyy or yyyy, read by the service's PartialDate), plus the
    social security account. The commune is not edited here: a move to another commune is a
    hand-over (decision "chuyển địa bàn"); the village is one of the person's commune."""

    SERVICE_REQUIRED = ("full_name", "birth_date", "sex")

    commune = None  # not edited: see the docstring
    not_duplicate_of = None  # registration only
    social_security_account = forms.CharField(
        label="Số tài khoản an sinh xã hội", max_length=30, required=False
    )
    moved_on = VietnameseDateField(
        label="Ngày chuyển đến thôn mới",
        required=False,
        help_text="Chỉ khi đổi thôn, tổ dân phố: dạng dd/mm/yyyy. Để trống là hôm nay.",
    )

    # Person attributes the form shows, by field (birth_date is built from the three parts).
    PERSON_ATTRIBUTES = (
        "full_name",
        "personal_id",
        "sex",
        "ethnicity",
        "address",
        "phone",
        "bank_account",
        "bank_name",
        "social_security_account",
    )

    def __init__(self, *args, person, **kwargs):
        from ansinh.registry.birth import PartialDate

        initial = {name: getattr(person, name) or "" for name in self.PERSON_ATTRIBUTES}
        initial["birth_date"] = PartialDate.of(person).display()
        initial["village"] = person.village_id
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(commune_id=person.commune_id).order_by(
            "name"
        )

    def changes(self) -> dict:
        """The fields the user changed, as person_update's keyword arguments: an untouched field
        is not sent, so it is neither re-checked nor written (and nothing changed, nothing audited)."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data if name != "moved_on"}
        if "personal_id" in changes:
            changes["personal_id"] = changes["personal_id"] or None
        return changes


RECORD_HELP = (
    "Cho người chưa có số định danh: số hồ sơ ghi trong kết quả tra cứu đối tượng "
    "và ở địa chỉ trang của người đó (/doi-tuong/<số hồ sơ>/), ví dụ 6712."
)


class HouseholdForm(ScopedFormMixin, forms.Form):
    commune = scoped_commune_field()
    village = forms.ModelChoiceField(
        label="Thôn, tổ dân phố", queryset=Village.objects.none(), required=False, empty_label="— Không ghi —"
    )
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    head_personal_id = forms.CharField(
        label="Số định danh của chủ hộ",
        max_length=20,
        required=False,
        help_text="Chủ hộ phải đã được đăng ký. Có thể để trống và thêm sau.",
    )
    head_record_number = forms.CharField(
        label="Hoặc số hồ sơ của chủ hộ",
        max_length=30,
        required=False,
        help_text=RECORD_HELP,
    )


class MemberForm(forms.Form):
    """The member is picked by personal ID or, for someone registered without one, by record
    number (registry.selectors.person_pick checks which and finds them in the user's area)."""

    personal_id = forms.CharField(
        label="Số định danh của thành viên",
        max_length=20,
        required=False,
        help_text="Người này phải đã được đăng ký trong địa bàn.",
    )
    record_number = forms.CharField(
        label="Hoặc số hồ sơ của thành viên",
        max_length=30,
        required=False,
        help_text=RECORD_HELP,
    )
    relationship = forms.ChoiceField(
        label="Quan hệ với chủ hộ",
        choices=[("", "— Chọn —"), *Relationship.choices],
        error_messages=required("quan hệ với chủ hộ"),
    )
    valid_from = VietnameseDateField(label="Từ ngày", required=False)


class PovertyForm(forms.Form):
    year = forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        error_messages={
            **required("năm"),
            "invalid": "Năm phải là số, ví dụ 2026.",
            "min_value": "Năm phải từ 2000 trở đi.",
            "max_value": "Năm không hợp lệ.",
        },
    )
    status = forms.ChoiceField(
        label="Tình trạng",
        choices=[("", "— Chọn —"), *PovertyStatus.choices],
        error_messages=required("tình trạng"),
    )
    certificate_number = forms.CharField(label="Số giấy chứng nhận", max_length=50, required=False)


class DecisionPrepareForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại quyết định",
        choices=[("", "— Chọn —"), *DecisionKind.choices],
        error_messages=required("loại quyết định"),
    )
    benefit = forms.ChoiceField(
        label="Chế độ",
        choices=[("", "— Chọn —"), *Benefit.choices],
        error_messages=required("chế độ"),
    )
    category = forms.CharField(
        label="Nhóm đối tượng",
        max_length=32,
        required=False,
        help_text="Theo Điều 5 Nghị định, ví dụ 1, 5a, 6.",
    )
    # Text, passed as typed: decision_prepare reads "1,5" and "1.5" exactly and names the field
    # when it is wrong (a localized DecimalField would read "1,5" as 15 under an English locale).
    coefficient = forms.CharField(
        label="Hệ số",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "ví dụ 1,5"}),
    )
    event_date = VietnameseDateField(
        label="Ngày phát sinh sự kiện",
        required=False,
        help_text="Ngày chết, thay đổi điều kiện, chuyển đi… dạng dd/mm/yyyy.",
    )
    target_commune = forms.ModelChoiceField(
        label="Chuyển đến xã/phường (mã)",
        queryset=Commune.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "mã xã 5 chữ số"}),
        error_messages={"invalid_choice": "Không có xã/phường mã này: nhập mã xã 5 chữ số."},
    )
    reason = forms.CharField(label="Lý do", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionSignForm(forms.Form):
    number = forms.CharField(
        label="Số quyết định",
        max_length=50,
        error_messages=required("số quyết định"),
        help_text="Ví dụ 125/QĐ-UBND.",
    )
    signed_on = VietnameseDateField(label="Ngày ký")
    signer_name = forms.CharField(label="Người ký", max_length=150, required=False)


class PayrollRunForm(ScopedFormMixin, forms.Form):
    commune = scoped_commune_field()
    month = forms.CharField(
        label="Tháng chi trả",
        max_length=30,
        error_messages=required("tháng chi trả"),
        help_text="Dạng mm/yyyy, ví dụ 11/2026.",
        widget=forms.TextInput(attrs={"placeholder": "mm/yyyy", "autocomplete": "off"}),
    )


def form_submit(
    request, form: forms.Form, action, *, success, redirect_to, aliases: dict[str, str] | None = None
):
    """The shape of every write page. When the form is valid, run `action(cleaned_data)` (a
    service call); then flash `success` and redirect to `redirect_to` (each a value, or a
    function of the service's result). A DomainError goes onto the form (`aliases` as in
    add_domain_error). Returns None when the page must be shown again with the form's errors."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error, aliases)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def button_submit(request, action, *, redirect_to: str, success=None):
    """The shape of a button with no form to show again (check again, attach a file, remove):
    run `action()` (a service call), flash its DomainError or else `success` (a value, a
    function of the service's result, or None for no message), and go to `redirect_to` either
    way."""
    from django.contrib import messages
    from django.shortcuts import redirect

    try:
        result = action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if success is not None:
            messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to)
