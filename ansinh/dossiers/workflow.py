"""The dossier workflow as one explicit table: which action moves a dossier from which state to
which, and which role may take it. Services look moves up here; nothing else decides.

    received ──start_check──▶ checking ──propose──▶ proposed ──grant──▶ granted
        │                        │  ▲                  │  └──refuse──▶ refused
        │                        │  └────return────────┘
        └──────────── withdraw (citizen or officer) ──────────▶ withdrawn
"""

from dataclasses import dataclass

from ansinh.accounts.models import Role
from ansinh.dossiers.models import Status

CITIZEN = "citizen"  # the applicant, through the public page with code + personal ID


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "start_check", "Bắt đầu thẩm định", (Status.RECEIVED,), Status.CHECKING, (Role.COMMUNE_OFFICER,)
        ),
        Transition(
            "propose", "Trình Chủ tịch UBND xã", (Status.CHECKING,), Status.PROPOSED, (Role.COMMUNE_OFFICER,)
        ),
        Transition(
            "return",
            "Trả lại để thẩm định lại",
            (Status.PROPOSED,),
            Status.CHECKING,
            (Role.COMMUNE_CHAIRMAN,),
        ),
        # Decree 335/2026 Art. 8: the commune chairman decides.
        Transition(
            "grant", "Quyết định cho hưởng", (Status.PROPOSED,), Status.GRANTED, (Role.COMMUNE_CHAIRMAN,)
        ),
        Transition(
            "refuse", "Từ chối (nêu rõ lý do)", (Status.PROPOSED,), Status.REFUSED, (Role.COMMUNE_CHAIRMAN,)
        ),
        Transition(
            "withdraw",
            "Rút hồ sơ",
            (Status.RECEIVED, Status.CHECKING, Status.PROPOSED),
            Status.WITHDRAWN,
            (Role.COMMUNE_OFFICER, CITIZEN),
        ),
    ]
}


def role_of(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return CITIZEN
    return actor.role


def allowed_actions(status: str, actor) -> list[Transition]:
    role = role_of(actor)
    return [t for t in TRANSITIONS.values() if status in t.sources and role in t.roles]
