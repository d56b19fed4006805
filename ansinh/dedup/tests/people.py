"""People the dedup tests share."""

from ansinh.registry.tests.factories import make_person


def same_woman_twice(commune, village):
    """The same woman registered twice: with and without "Thị" and diacritics, a year of birth
    and a phone on one record, the full date and a village on the other."""
    a = make_person(
        commune=commune,
        full_name="Nguyễn Thị Ánh",
        birth_year=1950,
        sex="F",
        personal_id=None,
        phone="0912345678",
    )
    b = make_person(
        commune=commune,
        full_name="Nguyen Anh",
        birth_year=1950,
        birth_month=3,
        birth_day=12,
        sex="F",
        village=village,
    )
    return a, b
