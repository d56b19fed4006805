"""The dossier workflow as one explicit table: which action moves a dossier from which state to
which, and which role may take it. Services look moves up here; nothing else decides.

    received ──start_check──▶ checking ──propose──▶ proposed ──grant──▶ granted
        │                        │  ▲                  │  └──refuse──▶ refused
        │                        │  └────return────────┘
        └──────────── withdraw (citizen or officer) ──────────▶ withdrawn

Form 04 (admission to a social assistance facility, Decree 335/2026 Art. 25) has two steps: the
commune chairman does not grant but forwards, then the facility's decision-maker (a provincial
officer) admits or refuses:

    proposed ──forward──▶ forwarded ──admit──▶ granted
                              └──refuse_admission──▶ refused

A row limited to some forms lists them in `forms` (empty: every form).
"""

from dataclasses import dataclass

from ansinh.accounts.models import Role
from ansinh.dossiers.models import Action, Form, Proposal, Status

CITIZEN = "citizen"  # the applicant, through the public page with code + personal ID


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    forms: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The button and the history line: models.Action's label."""
        return Action(self.action).label

    def applies_to(self, form: str) -> bool:
        return not self.forms or form in self.forms


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(Action.START_CHECK, (Status.RECEIVED,), Status.CHECKING, (Role.COMMUNE_OFFICER,)),
        Transition(Action.PROPOSE, (Status.CHECKING,), Status.PROPOSED, (Role.COMMUNE_OFFICER,)),
        Transition(Action.RETURN, (Status.PROPOSED,), Status.CHECKING, (Role.COMMUNE_CHAIRMAN,)),
        # Decree 335/2026 Art. 8: the commune chairman decides.
        Transition(
            Action.GRANT,
            (Status.PROPOSED,),
            Status.GRANTED,
            (Role.COMMUNE_CHAIRMAN,),
            (Form.FORM_01, Form.FORM_02, Form.FORM_03),
        ),
        # Decree 335/2026 Art. 25: the commune chairman verifies and forwards within 3 wd …
        Transition(
            Action.FORWARD, (Status.PROPOSED,), Status.FORWARDED, (Role.COMMUNE_CHAIRMAN,), (Form.FORM_04,)
        ),
        # … and the facility head decides within 2 wd (the provincial officer acts for it).
        Transition(
            Action.ADMIT, (Status.FORWARDED,), Status.GRANTED, (Role.PROVINCIAL_OFFICER,), (Form.FORM_04,)
        ),
        Transition(
            Action.REFUSE_ADMISSION,
            (Status.FORWARDED,),
            Status.REFUSED,
            (Role.PROVINCIAL_OFFICER,),
            (Form.FORM_04,),
        ),
        Transition(Action.REFUSE, (Status.PROPOSED,), Status.REFUSED, (Role.COMMUNE_CHAIRMAN,)),
        Transition(
            Action.WITHDRAW,
            (Status.RECEIVED, Status.CHECKING, Status.PROPOSED, Status.FORWARDED),
            Status.WITHDRAWN,
            (Role.COMMUNE_OFFICER, CITIZEN),
        ),
    ]
}

# On a proposed dossier the chairman is offered the decision the officer proposed (or sending
# it back), not its opposite.
AGAINST_PROPOSAL = {
    Proposal.GRANT: {Action.REFUSE},
    Proposal.REFUSE: {Action.GRANT, Action.FORWARD},
}


def role_of(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return CITIZEN
    return actor.role


def allowed_actions(status: str, actor, form: str = "") -> list[Transition]:
    role = role_of(actor)
    return [
        t
        for t in TRANSITIONS.values()
        if status in t.sources and role in t.roles and (not form or t.applies_to(form))
    ]


def actions_for(dossier, actor) -> list[Transition]:
    """The moves offered for `dossier` to `actor`: allowed_actions, less the decision against
    the officer's proposal (AGAINST_PROPOSAL)."""
    actions = allowed_actions(dossier.status, actor, dossier.form)
    if dossier.status == Status.PROPOSED:
        against = AGAINST_PROPOSAL.get(dossier.proposed_outcome, set())
        actions = [t for t in actions if t.action not in against]
    return actions
