"""Forms of the web import flow. Messages in Vietnamese, naming the field and the fix."""

from django import forms

from ansinh.imports.headers import FIELD_LABELS
from ansinh.imports.models import ImportKind, ImportTemplate

NOT_USED = ""


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại danh sách",
        choices=ImportKind.choices,
        error_messages={
            "required": "Chưa chọn loại danh sách: chọn một loại trong danh sách.",
            "invalid_choice": "Loại danh sách không có: chọn một loại trong danh sách.",
        },
    )
    file = forms.FileField(
        label="Tệp danh sách (.xlsx hoặc .csv)",
        error_messages={
            "required": "Chưa chọn tệp: bấm “Chọn tệp” và chọn tệp Excel (.xlsx) hoặc CSV (.csv).",
            "empty": "Tệp đã chọn rỗng (0 byte): chọn đúng tệp danh sách đã lưu.",
            "invalid": "Không đọc được tệp gửi lên: chọn lại tệp rồi gửi lại.",
        },
    )
    template = forms.ChoiceField(label="Mẫu ánh xạ cột đã lưu", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "— Tự nhận biết cột —")] + [
            (t.name, f"{t.name} ({t.get_kind_display()})") for t in ImportTemplate.objects.order_by("name")
        ]
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"


def field_choices(kind: str) -> list[tuple[str, str]]:
    """The fields a column may be mapped to (row_ref is for corrected error workbooks only)."""
    return [(NOT_USED, "— Không dùng —")] + [
        (f, label) for f, label in FIELD_LABELS.items() if f != "row_ref"
    ]
