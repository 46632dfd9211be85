"""Swedish messages for parameters that are not of the right type.

django-ninja checks the types with pydantic, whose messages are English and
written for programmers; these say the same for anyone, in Swedish.
"""

import re

from django.utils.translation import gettext as _


def _message(error: dict) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("måste vara ett heltal, t.ex. 12.")
    if kind == "greater_than_equal":
        return _("måste vara minst %(min)s.") % {"min": context.get("ge")}
    if kind == "less_than_equal":
        return _("får vara högst %(max)s.") % {"max": context.get("le")}
    if kind == "string_too_long":
        return _("får vara högst %(max)s tecken.") % {"max": context.get("max_length")}
    if kind.startswith("datetime"):
        return _(
            "måste vara en tidpunkt som 2025-03-01T12:00:00+01:00, eller ett datum som 2025-03-01."
        )
    if kind.startswith("date"):
        return _("måste vara ett datum som 2025-03-01 (år-månad-dag).")
    if kind in ("literal_error", "enum"):
        # pydantic lists the choices in English ("'a', 'b' or 'c'"): just the values.
        choices = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        return _("måste vara ett av: %(choices)s.") % {"choices": ", ".join(choices)}
    if kind == "missing":
        return _("saknas.")
    return _("har ett ogiltigt värde.")


def parameter_problems(errors: list[dict]) -> list[dict]:
    """django-ninja's validation errors as {"parameter": …, "message": …}, in Swedish."""
    problems = []
    for error in errors:
        # The location is where the parameter was (query, path), then its name.
        location = [str(part) for part in error.get("loc", ())[1:]]
        problems.append({"parameter": ".".join(location) or "?", "message": _message(error)})
    return problems
