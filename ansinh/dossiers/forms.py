"""Forms for the dossier pages: shape only; the rules are the services'."""

from django import forms

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


class DossierForm(forms.Form):
    commune = forms.CharField(label="Mã xã/phường nơi cư trú (5 chữ số)", max_length=5)
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

    def __init__(self, *args, form_code: str, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_code = form_code
        self.fields["benefit"].choices = [(b, BENEFIT_LABELS[b]) for b in FORM_BENEFITS[form_code]]
        for name, (label, kind, _required) in FORM_FIELDS[form_code].items():
            if kind == "bool":
                field = forms.BooleanField(label=label, required=False)
            elif kind == "date":
                field = VietnameseDateField(label=label, required=False)
            else:
                field = forms.CharField(label=label, required=False)
            self.fields[f"f_{name}"] = field
        if staff:
            self.fields["channel"] = forms.ChoiceField(
                label="Hình thức nộp",
                choices=[("desk", "Trực tiếp tại Bộ phận Một cửa"), ("post", "Qua bưu chính")],
            )
            self.fields["postmark_date"] = VietnameseDateField(label="Ngày theo dấu bưu điện", required=False)

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
