"""Form fields shared by the apps' forms."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from .converters import IdConverter

_ID = re.compile(IdConverter.regex)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses an integer id no database column can hold.

    Django answers an out-of-range id in an exact lookup with "no match", but not in the
    `__in` lookup this field checks its choices with: SQLite raises OverflowError and
    PostgreSQL "out of range", a server error for a posted "99999999999999999999"."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else (
            self.queryset.model._meta.get_field(key))
        if isinstance(field, models.IntegerField | models.AutoField):
            for pk in value:
                if not _ID.fullmatch(str(pk)):
                    raise ValidationError(self.error_messages["invalid_pk_value"],
                                          code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)
