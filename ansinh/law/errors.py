"""Errors of the law package (no Django here; ansinh.assessment converts them to InvalidInput)."""


class FactsError(ValueError):
    """The facts given for an assessment are wrong or contradictory; `field` names the fact."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
