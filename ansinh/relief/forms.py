"""Forms of the relief pages. They only carry what was typed; the services check every value
(so all mistakes show together) and their errors land beside the field they name."""

from django import forms

from ansinh.relief.models import DistributionKind, DonorKind, EventKind, HouseDamage, RequestLevel, Source

DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
NUMBER_ATTRS = {"inputmode": "numeric", "autocomplete": "off"}


def _text(label, *, help_text="", attrs=None, required_mark=False, **kwargs):
    field = forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.TextInput(attrs=attrs or {}), **kwargs
    )
    field.show_required = required_mark
    return field


def _date(label, *, required_mark=True):
    return _text(
        label, help_text="Dạng dd/mm/yyyy, ví dụ 08/09/2026.", attrs=DATE_ATTRS, required_mark=required_mark
    )


class ChoiceText(forms.CharField):
    """A select whose value the service checks (so "not in the event's area" is the service's
    message, not the form's generic "invalid choice")."""

    def __init__(self, *, choices=(), blank="— Chọn —", **kwargs):
        self.blank = blank
        super().__init__(required=False, widget=forms.Select, **kwargs)
        self.choices = choices

    @property
    def choices(self):
        return self.widget.choices

    @choices.setter
    def choices(self, value):
        value = list(value)
        if self.blank is not None and (not value or value[0][0] != ""):
            value = [("", self.blank), *value]
        self.widget.choices = value


def _choice(label, choices, *, required_mark=True, blank="— Chọn —"):
    field = ChoiceText(label=label, choices=choices, blank=blank)
    field.show_required = required_mark
    return field


class EventForm(forms.Form):
    kind = _choice("Loại sự kiện", EventKind.choices)
    name = _text("Tên đợt", help_text="Ví dụ: Bão số 3 tháng 9/2026.", required_mark=True, max_length=200)
    occurred_on = _date("Ngày xảy ra")
    communes = forms.MultipleChoiceField(
        label="Xã/phường bị ảnh hưởng", required=False, widget=forms.CheckboxSelectMultiple
    )
    villages = forms.MultipleChoiceField(
        label="Thôn, tổ dân phố bị ảnh hưởng",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Để trống nếu cả xã bị ảnh hưởng.",
    )
    rice_months = _text(
        "Số tháng hỗ trợ gạo",
        help_text="Để trống: mức tối đa của luật (Tết 1 tháng, thiên tai 3 tháng).",
        attrs=NUMBER_ATTRS,
    )
    description = forms.CharField(label="Mô tả", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, communes=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].show_required = True
        self.fields["communes"].choices = [(c.code, c.name) for c in communes]
        self.fields["villages"].choices = [(v.pk, f"{v.name} ({v.commune.name})") for v in villages]
        if len(communes) == 1:
            self.fields["communes"].initial = [communes[0].code]


class FieldEntryForm(forms.Form):
    """The form an officer fills on a phone in the field (static/relief/field.js queues it)."""

    client_uuid = forms.CharField(widget=forms.HiddenInput, required=False)
    household = forms.CharField(widget=forms.HiddenInput, required=False)
    commune = _choice("Xã/phường", [])
    village = _choice("Thôn, tổ dân phố", [], required_mark=False, blank="— Không ghi —")
    head_name = _text("Họ tên chủ hộ", required_mark=True, attrs={"autocomplete": "off"}, max_length=150)
    head_personal_id = _text(
        "Số định danh chủ hộ",
        help_text="12 chữ số; để trống nếu không có.",
        attrs=NUMBER_ATTRS,
        max_length=20,
    )
    address = _text("Địa chỉ", max_length=255)
    size = _text("Số nhân khẩu", required_mark=True, attrs={**NUMBER_ATTRS, "type": "number", "min": "1"})
    food_shortage = forms.BooleanField(label="Hộ thiếu đói", required=False)
    house_damage = ChoiceText(label="Thiệt hại về nhà ở", choices=HouseDamage.choices, blank=None)
    injured_names = forms.CharField(
        label="Người bị thương nặng (mỗi dòng: họ tên; số ngày điều trị)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Lê Văn Tư; 5"}),
    )
    killed_names = forms.CharField(
        label="Người chết, mất tích (mỗi dòng một họ tên)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, communes=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        if len(communes) == 1:
            self.fields["commune"].initial = communes[0].code
        self.fields["village"].choices = [("", "— Không ghi —"), *village_choices(communes, villages)]


def village_choices(communes, villages) -> list:
    """The villages, grouped under their commune's name (an <optgroup> each) when the event has
    several communes: "Tổ dân phố 1" of two wards are then told apart (the service still checks
    that the village is in the chosen commune)."""
    names = {c.code: c.name for c in communes}
    if len({v.commune_id for v in villages}) <= 1:
        return [(v.pk, v.name) for v in villages]
    groups: dict[str, list] = {}
    for v in villages:
        groups.setdefault(v.commune_id, []).append((v.pk, v.name))
    return [(names.get(code) or code, options) for code, options in groups.items()]


def persons_from_text(injured: str, killed: str) -> list[dict]:
    """'Lê Văn Tư; 5' lines → the persons the service takes (the same parse as field.js)."""
    persons = []
    for line in (injured or "").splitlines():
        if not line.strip():
            continue
        name, _, days = line.partition(";")
        persons.append(
            {"full_name": name.strip(), "outcome": "injured", "treatment_days": days.strip() or "0"}
        )
    for line in (killed or "").splitlines():
        if line.strip():
            persons.append({"full_name": line.strip(), "outcome": "killed"})
    return persons


class DecideForm(forms.Form):
    decision_number = _text("Số quyết định", required_mark=True, max_length=50)
    decided_on = _date("Ngày quyết định")
    reason = forms.CharField(
        label="Lý do (khi không hỗ trợ)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DistributionForm(forms.Form):
    kind = _choice("Loại cấp phát", DistributionKind.choices)
    item = _choice("Mặt hàng (khi cấp hàng hóa)", [], required_mark=False, blank="—")
    quantity = _text(
        "Số lượng",
        help_text="Tiền: đồng; gạo: kg; hàng hóa: theo đơn vị.",
        attrs=NUMBER_ATTRS,
        required_mark=True,
    )
    received_on = _date("Ngày nhận")
    receiver_name = _text("Người nhận", help_text="Để trống nếu là chủ hộ.", max_length=150)
    signed = forms.BooleanField(label="Đã ký nhận vào danh sách", required=False, initial=True)
    photo = forms.FileField(label="Ảnh chụp khi nhận (không bắt buộc)", required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—"), *[(i.code, f"{i.name} ({i.unit})") for i in items]]


class StockForm(forms.Form):
    commune = _choice("Xã/phường", [])
    item = _choice("Mặt hàng", [])
    quantity = _text("Số lượng nhập", attrs=NUMBER_ATTRS, required_mark=True)
    source = _choice("Nguồn", [c for c in Source.choices if c[0] != Source.DONATION])
    received_on = _date("Ngày nhập")
    note = _text("Ghi chú", max_length=255)

    def __init__(self, *args, communes=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "— Chọn —"), *[(c.code, c.name) for c in communes]]
        if len(communes) == 1:
            self.fields["commune"].initial = communes[0].code
        self.fields["item"].choices = [("", "— Chọn —"), *[(i.code, f"{i.name} ({i.unit})") for i in items]]


class RequestForm(forms.Form):
    commune = _choice("Xã/phường", [])
    level = _choice("Cấp đề nghị", RequestLevel.choices)
    rice_kg = _text("Gạo cần hỗ trợ (kg)", attrs=NUMBER_ATTRS)
    cash_amount = _text("Tiền cần hỗ trợ (đồng)", attrs=NUMBER_ATTRS)
    reason = forms.CharField(label="Lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]


class RequestDecideForm(forms.Form):
    granted_rice_kg = _text("Gạo cấp (kg)", attrs=NUMBER_ATTRS)
    granted_cash = _text("Tiền cấp (đồng)", attrs=NUMBER_ATTRS)
    decided_on = _date("Ngày cấp")
    answer = forms.CharField(label="Trả lời", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DonationForm(forms.Form):
    what = forms.ChoiceField(
        label="Loại ghi nhận", choices=[("receipt", "Đã nhận"), ("pledge", "Đăng ký ủng hộ")], required=False
    )
    commune = _choice("Xã/phường nhận", [])
    pledge = _choice("Theo khoản đăng ký", [], required_mark=False, blank="— Không —")
    donor_name = _text("Tổ chức, cá nhân ủng hộ", max_length=200)
    donor_kind = _choice("Là", DonorKind.choices, required_mark=False)
    item = _choice("Mặt hàng", [], required_mark=False)
    quantity = _text("Số lượng", attrs=NUMBER_ATTRS, required_mark=True)
    on = _date("Ngày")
    note = _text("Ghi chú", max_length=255)

    def __init__(self, *args, communes=(), items=(), pledges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        self.fields["item"].choices = [("", "— Chọn —"), *[(i.code, f"{i.name} ({i.unit})") for i in items]]
        self.fields["pledge"].choices = [
            ("", "— Không —"),
            *[(p.pk, f"{p.donor_name}: {p.quantity} {p.item.unit} {p.item.name.lower()}") for p in pledges],
        ]


class DeadlineForm(forms.Form):
    days = _text("Số ngày từ khi xảy ra đến khi hộ nhận hỗ trợ", attrs=NUMBER_ATTRS, required_mark=True)
    valid_from = _date("Áp dụng từ ngày")
    legal_basis = _text("Căn cứ (văn bản của tỉnh)", max_length=255)
