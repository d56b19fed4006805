"""Typed domain errors with stable codes and Vietnamese messages.

Services raise these; views show `message`, the API returns {"code", "message", "fields"}.
`fields` maps a field name to its Vietnamese message, so a form can show each error in place.
"""


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class InvalidInput(DomainError):
    """A value a person typed or a file carried is wrong; `fields` names which."""

    code = "invalid_input"

    @classmethod
    def for_field(cls, field: str, message: str) -> "InvalidInput":
        return cls(message, fields={field: message})


class NotAllowed(DomainError):
    """The actor's role or area does not permit this action."""

    code = "not_allowed"


class Conflict(DomainError):
    """The action contradicts the current state (already signed, already paid, …)."""

    code = "conflict"
