from django import forms

from ansinh.plans.models import DenominatorKind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _required(what: str) -> dict:
    return {
        "required": f"Chưa nhập {what}.",
        "invalid": f"{what.capitalize()} không hợp lệ: nhập theo dạng dd/mm/yyyy.",
    }


class ReportForm(forms.Form):
    khu_vuc = forms.CharField(
        label="Mã địa bàn",
        required=False,
        max_length=5,
        help_text="2 chữ số cho tỉnh, 5 chữ số cho xã; để trống: địa bàn của bạn.",
    )
    tu_ngay = forms.DateField(
        label="Từ ngày",
        input_formats=DATE_FORMATS,
        error_messages=_required("ngày bắt đầu"),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    den_ngay = forms.DateField(
        label="Đến ngày",
        input_formats=DATE_FORMATS,
        error_messages=_required("ngày kết thúc"),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )


class DenominatorForm(forms.Form):
    area_code = forms.CharField(
        label="Mã địa bàn",
        max_length=5,
        error_messages={"required": "Chưa nhập mã địa bàn (2 chữ số tỉnh, 5 chữ số xã)."},
    )
    kind = forms.ChoiceField(
        label="Loại mẫu số",
        choices=DenominatorKind.choices,
        error_messages={
            "required": "Chưa chọn loại mẫu số.",
            "invalid_choice": "Loại mẫu số không có trong danh sách.",
        },
    )
    year = forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Chưa nhập năm.",
            "invalid": "Năm phải là số có 4 chữ số.",
            "min_value": "Năm phải từ 2000.",
            "max_value": "Năm phải đến 2100.",
        },
    )
    value = forms.CharField(
        label="Giá trị",
        max_length=20,
        error_messages={"required": "Chưa nhập giá trị (số người hoặc số hộ)."},
    )
    source = forms.CharField(label="Nguồn số liệu", max_length=255, required=False)
