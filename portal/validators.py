"""Validators shared by every app's forms and models.

`validate_name` guards one-line names (people's, organisations', assets'). A name is shown in
pages, exports, email subjects and calendar files: a line break there splits a header or a
CSV row, a control character or NUL byte breaks files and databases, and a lone surrogate
cannot be written as UTF-8 at all. A browser never sends one: bytes that are not valid UTF-8
reach Django as U+FFFD replacement characters, so those are refused too rather than stored
as "���".
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
REPLACEMENT = "\ufffd"


def _problem(value: str) -> str | None:
    """The first kind of character a one-line name may not hold, or None."""
    for character in value:
        if character in LINE_BREAKS:
            return "line_break"
        if character == "\x00":
            return "null"
        category = unicodedata.category(character)
        if category == "Cs" or character == REPLACEMENT:
            return "unreadable"
        if category == "Cc":
            return "control"
    return None


MESSAGES = {
    "line_break": _("Enter the name on one line, without line breaks."),
    "null": _("The name contains a null character. Type it again without it."),
    "unreadable": _("The name contains a character that could not be read. Type it again."),
    "control": _("The name contains a control character, such as a tab. Remove it."),
}


@deconstructible
class NameValidator:
    """Refuse line breaks, NUL and other control characters, lone surrogates and U+FFFD."""

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        problem = _problem(value)
        if problem:
            raise ValidationError(MESSAGES[problem], code=f"name_{problem}")

    def __eq__(self, other):
        return isinstance(other, NameValidator)

    def __hash__(self):
        return hash(NameValidator)


validate_name = NameValidator()


def is_clean_name(value: str) -> bool:
    """Whether `validate_name` accepts the value (for imports that report instead of raise)."""
    return _problem(value or "") is None


class NameField(forms.CharField):
    """A one-line name in a form: `validate_name`, whose message replaces Django's own for NUL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [validator for validator in self.validators
                           if not isinstance(validator, ProhibitNullCharactersValidator)]
        self.validators.append(validate_name)
