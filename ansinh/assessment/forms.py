"""The facts form of the calculator (tra cứu chế độ) and of the decision form: the same facts as
the JSON of `ansinh assess` and POST /api/v1/assessments (docs/assess.md), typed by an officer.
Values are checked by the law's own validation (ansinh.law.assess.validate_facts), whose errors
name the fact ("person.birth_date"); `field_for` maps that name back to this form's field."""

from django import forms

from ansinh.law.variables.person import ChildSupportLoss

LOSS_CHOICES = [("none", "Không thuộc khoản 1 Điều 5")] + [
    (m.name, f"Điểm {m.name if m.name != 'dd' else 'đ'}: {m.value}")
    for m in ChildSupportLoss
    if m.name != "none"
]
DISABILITY_CHOICES = [
    ("none", "Không khuyết tật"),
    ("mild", "Khuyết tật nhẹ"),
    ("severe", "Khuyết tật nặng"),
    ("especially_severe", "Khuyết tật đặc biệt nặng"),
]
POVERTY_CHOICES = [
    ("none", "Không nghèo, không cận nghèo"),
    ("near_poor", "Hộ cận nghèo"),
    ("poor", "Hộ nghèo"),
]
PERSON_BOOLS = {
    "studying": "Đang đi học (phổ thông, nghề, cao đẳng, đại học văn bằng thứ nhất)",
    "was_child_beneficiary": "Đang hưởng trợ cấp trẻ em khoản 1 Điều 5 khi đủ 16 tuổi",
    "has_hiv": "Nhiễm HIV/AIDS",
    "single_parent": "Người đơn thân (không có vợ/chồng, hoặc vợ/chồng đã chết, mất tích)",
    "no_supporter": "Không có người có nghĩa vụ và quyền phụng dưỡng",
    "institution_eligible_in_community": "Đủ điều kiện vào cơ sở trợ giúp xã hội nhưng được chăm sóc tại cộng đồng",
    "receives_pension": "Đang hưởng lương hưu hoặc trợ cấp BHXH hằng tháng",
    "has_wage": "Có tiền lương, tiền công",
    "receives_other_monthly_allowance": "Đang hưởng trợ cấp hằng tháng khác của Nhà nước",
    "in_institution": "Đang được nuôi dưỡng trong cơ sở trợ giúp xã hội",
}
PERSON_INTS = {
    "single_parent_children": "Số con đang nuôi (khoản 4 Điều 5)",
    "cared_especially_severe_disabled": "Số người khuyết tật đặc biệt nặng hộ đang trực tiếp chăm sóc",
    "children_under_36_months": "Số con dưới 36 tháng tuổi đang nuôi",
}


class FactsForm(forms.Form):
    month = forms.CharField(
        label="Tháng",
        max_length=7,
        help_text="Ví dụ 2026-11 hoặc 11/2026.",
        error_messages={"required": "Chưa nhập tháng: nhập dạng 2026-11."},
    )
    birth_date = forms.CharField(
        label="Ngày sinh",
        max_length=10,
        help_text="dd/mm/yyyy, hoặc mm/yyyy, hoặc năm sinh nếu không rõ ngày.",
        error_messages={"required": "Chưa nhập ngày sinh: nhập dd/mm/yyyy, hoặc năm sinh, ví dụ 1950."},
    )
    date_of_death = forms.CharField(label="Ngày chết (nếu có)", max_length=10, required=False)
    child_support_loss = forms.ChoiceField(
        label="Trẻ em không có nguồn nuôi dưỡng", choices=LOSS_CHOICES, initial="none", required=False
    )
    disability_level = forms.ChoiceField(
        label="Mức độ khuyết tật", choices=DISABILITY_CHOICES, initial="none", required=False
    )
    province_code = forms.CharField(
        label="Mã tỉnh nơi cư trú", max_length=2, required=False, help_text="2 chữ số, ví dụ 01."
    )
    poverty_status = forms.ChoiceField(
        label="Tình trạng nghèo của hộ", choices=POVERTY_CHOICES, initial="none", required=False
    )
    especially_difficult_area = forms.BooleanField(
        label="Sống ở xã, thôn đặc biệt khó khăn vùng dân tộc thiểu số và miền núi", required=False
    )

    def __init__(self, *args, with_month: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in PERSON_BOOLS.items():
            self.fields[name] = forms.BooleanField(label=label, required=False)
        for name, label in PERSON_INTS.items():
            self.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                error_messages={"invalid": "Nhập một số nguyên, ví dụ 2."},
            )
        if not with_month:
            del self.fields["month"]

    def facts(self) -> dict:
        data = self.cleaned_data
        person: dict = {"birth_date": data["birth_date"].strip()}
        if data.get("date_of_death", "").strip():
            person["date_of_death"] = data["date_of_death"].strip()
        for name in ("child_support_loss", "disability_level"):
            if data.get(name) and data[name] != "none":
                person[name] = data[name]
        for name in PERSON_BOOLS:
            if data.get(name):
                person[name] = True
        for name in PERSON_INTS:
            if data.get(name):
                person[name] = data[name]
        household: dict = {"poverty_status": data.get("poverty_status") or "none"}
        if data.get("province_code", "").strip():
            household["province_code"] = data["province_code"].strip()
        if data.get("especially_difficult_area"):
            household["especially_difficult_area"] = True
        return {"person": person, "household": household}

    @staticmethod
    def initial_from(facts: dict) -> dict:
        """Form values from facts in the JSON format (registry_facts)."""
        initial = dict(facts.get("person", {}))
        for name in ("birth_date", "date_of_death"):  # shown day first, as officers write dates
            value = initial.get(name, "")
            if len(value) == 10 and value[4] == "-":
                initial[name] = f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
        household = facts.get("household", {})
        for name in ("province_code", "poverty_status", "especially_difficult_area"):
            if name in household:
                initial[name] = household[name]
        return initial

    def field_for(self, fact: str) -> str | None:
        """'person.birth_date' → 'birth_date' when the form has it, else None (shown above)."""
        name = fact.split(".", 1)[-1]
        return name if name in self.fields else None
