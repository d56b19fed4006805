"""A commune office with an elderly person in a poor household (cat. 5a when without a
supporter: 2.0 × 540,000 = 1,080,000 đ a month under Decree 335/2026), and a Form 01 dossier."""

import datetime as dt
import re

from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.population import FakePopulationSource, PopulationRecord, use_population_source
from ansinh.dossiers.services import dossier_submit
from ansinh.registry.models import PovertyStatus
from ansinh.registry.tests.factories import make_household, make_person

ELDER_ID = "001046000321"
ELDER_AMOUNT = 1_080_000


def elder(office: Office, **extra):
    person = make_person(
        commune=office.commune,
        full_name="Hoàng Văn Thụ",
        birth_year=1946,
        birth_month=5,
        birth_day=1,
        sex="M",
        personal_id=extra.pop("personal_id", ELDER_ID),
        **extra,
    )
    make_household(commune=office.commune, head=person, poverty={2026: PovertyStatus.POOR})
    return person


def population_with(person, *, commune_code=None, dead_on=None):
    use_population_source(
        FakePopulationSource(
            [
                PopulationRecord(
                    personal_id=person.personal_id,
                    full_name=person.full_name,
                    birth_date=dt.date(person.birth_year, person.birth_month or 1, person.birth_day or 1),
                    commune_code=commune_code or person.commune_id,
                    household_code="HK-1",
                    date_of_death=dead_on,
                )
            ]
        )
    )


def filed(office: Office, person, form: str, form_data: dict, *, actor=None, channel="online", **extra):
    """A dossier on `form` about `person`, filed online unless an officer and channel are given."""
    return dossier_submit(
        actor=actor,
        form=form,
        channel=channel,
        commune=office.commune.pk,
        subject_personal_id=person.personal_id,
        subject_name=person.full_name,
        applicant_phone="0912345678",
        form_data=form_data,
        **extra,
    )


def form01(office: Office, person, **extra):
    return filed(office, person, "01", {"no_supporter": True}, benefit="monthly_allowance", **extra)


def form04(office: Office, person, **extra):
    data = {"facility_name": "Trung tâm Bảo trợ xã hội tỉnh", "admission_reason": "Không nơi nương tựa"}
    return filed(office, person, "04", data, **extra)


def dossier_of(person):
    """A dossier about `person` in their commune (rows written directly: for scoping tests)."""
    from ansinh.dossiers.models import Dossier

    dossier = Dossier.objects.filter(subject=person).first()
    if dossier is None:
        dossier = Dossier.objects.create(
            code=f"HS-TEST-{person.pk:04d}"[-12:],
            form="01",
            channel="desk",
            commune=person.commune,
            benefit="monthly_allowance",
            subject=person,
            subject_personal_id=person.personal_id or "",
            subject_name=person.full_name,
            applicant_name=person.full_name,
            applicant_personal_id="",
            received_on=dt.date(2026, 11, 2),
            deadline=dt.date(2026, 11, 11),
            deadline_days=7,
            deadline_basis="thử",
        )
    return dossier


def attachment_of(dossier):
    from django.core.files.base import ContentFile

    from ansinh.dossiers.models import Attachment

    attachment = Attachment.objects.filter(dossier=dossier).first()
    if attachment is None:
        attachment = Attachment(dossier=dossier, name="a.pdf", content_type="application/pdf", size=5)
        attachment.file.save("a.pdf", ContentFile(b"%PDF-"), save=False)
        attachment.save()
    return attachment


def text(response) -> str:
    return response.content.decode()


def visible(response) -> str:
    """The page's text without tags, attributes, scripts or styles (what an officer reads)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", text(response), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
