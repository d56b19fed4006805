"""What each role may do. Area limits are AreaScope's job; these answer "may this role act"."""

from ansinh.accounts.models import AreaLevel, Role


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_write(user) -> bool:
    """Auditors and inspectors read everything in their area and change nothing."""
    return _active(user) and user.role != Role.AUDITOR


def can_prepare(user) -> bool:
    """Prepare decisions and payment lists: the commune officer, or a provincial officer acting
    for the province (e.g. a province-wide payroll)."""
    return _active(user) and user.role in (Role.COMMUNE_OFFICER, Role.PROVINCIAL_OFFICER)


def can_sign(user) -> bool:
    """Decree 335/2026 Art. 8: the commune People's Committee chairman decides (signs)."""
    return _active(user) and user.role == Role.COMMUNE_CHAIRMAN and user.area_level == AreaLevel.COMMUNE
