"""Forms for the dossier pages: shape only; the rules are the services'."""

import re

from django import forms

from ansinh.areas.models import Commune, Province
from ansinh.core.text import fold
from ansinh.dossiers.models import Form, Proposal
from ansinh.dossiers.services import FORM_BENEFITS, FORM_FIELDS
from ansinh.web.forms import VietnameseDateField

BENEFIT_LABELS = {
    "monthly_allowance": "Trợ cấp xã hội hằng tháng",
    "social_pension": "Trợ cấp hưu trí xã hội",
    "care_support": "Hỗ trợ kinh phí chăm sóc, nuôi dưỡng",
    "funeral_support": "Hỗ trợ chi phí mai táng",
    "institution_admission": "Tiếp nhận vào cơ sở trợ giúp xã hội",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content checks are the service's (dossier_submit)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def province_choices(only: str = "") -> list[tuple[str, str]]:
    provinces = Province.objects.order_by("name").only("code", "name")
    if only:
        provinces = provinces.filter(code=only)
    return [("", "— Chọn tỉnh, thành phố —")] + [(p.code, p.name) for p in provinces]


def commune_choices(province_code: str, only: str = "") -> list[tuple[str, str]]:
    if not province_code:
        return [("", "— Chọn tỉnh, thành phố trước —")]
    communes = Commune.objects.filter(province_id=province_code).order_by("name").only("code", "name")
    if only:
        communes = communes.filter(code=only)
    return [("", "— Chọn xã, phường —")] + [(c.code, c.name) for c in communes]


def commune_by_name(text: str, province_code: str = "") -> str:
    """The code of the one commune named `text` ("Thành Vinh", "phuong thanh vinh"), within the
    province when one is chosen; "" when none or several match."""
    key = fold(text)
    if not key:
        return ""
    rows = Commune.objects.all()
    if province_code:
        rows = rows.filter(province_id=province_code)
    exact = list(rows.filter(name_folded=key).values_list("code", flat=True)[:2])
    if len(exact) == 1:
        return exact[0]
    if exact:
        return ""
    suffix = list(rows.filter(name_folded__endswith=f" {key}").values_list("code", flat=True)[:2])
    return suffix[0] if len(suffix) == 1 else ""


class DossierForm(forms.Form):
    """Only the shape is checked here (everything is optional to Django): dossier_submit checks
    every value at once, so all the mistakes are shown together beside their fields. Fields the
    service requires are marked * (show_required)."""

    # The commune is picked by name: the province (a select of the small GET form
    # "pick-province", ?tinh=NN) fills this list; the 5-digit code may still be typed below.
    xa = forms.CharField(label="Xã/phường nơi cư trú", required=False, widget=forms.Select())
    commune = forms.CharField(
        label="Hoặc mã xã/phường (5 chữ số), nếu biết",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    benefit = forms.ChoiceField(label="Chế độ đề nghị")
    subject_name = forms.CharField(label="Họ và tên người được đề nghị hưởng", max_length=150, required=False)
    subject_personal_id = forms.CharField(label="Số định danh cá nhân", max_length=20, required=False)
    # Read by the service as the registry reads it (registry.birth.PartialDate): many elderly
    # applicants' papers give only the year, or the month and year.
    subject_birth_date = forms.CharField(
        label="Ngày sinh",
        max_length=20,
        required=False,
        help_text="dd/mm/yyyy; nếu giấy tờ chỉ ghi tháng và năm: mm/yyyy; chỉ ghi năm: yyyy.",
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
    )
    applicant_name = forms.CharField(label="Họ tên người nộp (nếu khác)", max_length=150, required=False)
    applicant_personal_id = forms.CharField(
        label="Số định danh người nộp (nếu khác)", max_length=20, required=False
    )
    applicant_relation = forms.CharField(
        label="Quan hệ với người được đề nghị", max_length=50, required=False
    )
    applicant_phone = forms.CharField(label="Số điện thoại nhận thông báo", max_length=15, required=False)
    applicant_email = forms.CharField(label="Thư điện tử nhận thông báo", max_length=254, required=False)
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    attachments = MultipleFileField(
        label="Giấy tờ kèm theo (PDF, JPEG, PNG; tối đa 10 tệp, mỗi tệp tối đa 10 MB)", required=False
    )

    def __init__(self, *args, form_code: str, staff: bool = False, province: str = "", scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_code = form_code
        self.fields["benefit"].choices = [(b, BENEFIT_LABELS[b]) for b in FORM_BENEFITS[form_code]]
        for name, (label, kind, required) in FORM_FIELDS[form_code].items():
            if kind == "bool":
                field = forms.BooleanField(label=label, required=False)
            elif kind == "date":
                # Read by the service (dd/mm/yyyy), so that a bad date is reported with the rest.
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20,
                    help_text="Dạng dd/mm/yyyy, ví dụ 01/07/2025.",
                    widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
                )
            else:
                field = forms.CharField(label=label, required=False)
            field.show_required = required
            self.fields[f"f_{name}"] = field
        if staff:
            self.fields["channel"] = forms.ChoiceField(
                label="Hình thức nộp",
                choices=[("desk", "Trực tiếp tại Bộ phận Một cửa"), ("post", "Qua bưu chính")],
            )
            self.fields["postmark_date"] = forms.CharField(
                label="Ngày theo dấu bưu điện",
                required=False,
                max_length=20,
                help_text="Bắt buộc khi nộp qua bưu chính. Dạng dd/mm/yyyy.",
                widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
            )
        for name in ("xa", "subject_name", "subject_personal_id"):
            self.fields[name].show_required = True
        if form_code == Form.FORM_03:
            self.fields["applicant_personal_id"].show_required = True
        self.province = province or self._province_of_posted_commune()
        # At the desk the lists hold the officer's own area only (ansinh.accounts.scope.AreaScope).
        area_province = scope.province_code if scope is not None and not scope.is_country else ""
        if area_province:
            self.province = area_province
        only_commune = scope.commune_code if scope is not None else ""
        self.fields["xa"].widget.choices = commune_choices(self.province, only=only_commune)
        self.province_choices = province_choices(only=area_province)

    def _province_of_posted_commune(self) -> str:
        if not self.is_bound:
            return ""
        for name in ("xa", "commune"):
            code = (self.data.get(name) or "").strip()
            if code.isdigit():
                commune = Commune.objects.filter(code=code).only("province_id").first()
                if commune:
                    return commune.province_id
        return ""

    def clean(self):
        data = super().clean()
        typed = re.sub(r"\s", "", data.get("commune") or "")
        if typed and not typed.isdigit():
            # A name typed where the code goes ("Thành Vinh"): taken when it names one commune.
            typed = commune_by_name(data.get("commune"), self.province) or data.get("commune").strip()
        # A code typed is deliberate; the select may only hold the officer's default.
        data["commune"] = typed or data.get("xa") or ""
        return data

    def form_data(self) -> dict:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("f_") and v not in (None, "")}


class LookupForm(forms.Form):
    code = forms.CharField(label="Mã hồ sơ", max_length=24)
    personal_id = forms.CharField(label="Số định danh cá nhân", max_length=20)


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="Đề xuất", required=False, choices=Proposal.choices)
    note = forms.CharField(label="Ý kiến, lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label="Số quyết định", required=False, max_length=50)
    signed_on = VietnameseDateField(label="Ngày ký", required=False)
    # Required by the service (InvalidInput on "reason"), marked * on the page.
    reason = forms.CharField(
        label="Lý do từ chối (ghi trong thông báo gửi người nộp)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    facility_name = forms.CharField(label="Cơ sở trợ giúp xã hội tiếp nhận", required=False, max_length=200)
    admission_date = VietnameseDateField(label="Ngày tiếp nhận vào cơ sở", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].show_required = True


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Tệp đính kèm (PDF, JPEG, PNG)")


FORM_CHOICES = Form.choices


class DeclaredDayForm(forms.Form):
    province = forms.CharField(label="Mã tỉnh (2 chữ số)", max_length=2)
    day = VietnameseDateField(label="Ngày")
    kind = forms.ChoiceField(
        label="Loại ngày",
        choices=[("off", "Nghỉ bù (ngày thường được nghỉ)"), ("worked", "Làm bù (ngày nghỉ phải đi làm)")],
    )
    note = forms.CharField(label="Căn cứ, ghi chú", max_length=200, required=False)
