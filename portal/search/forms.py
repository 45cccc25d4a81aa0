"""The search form: the words, and the "show only" and neighbourhood filters (all GET)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.neighbourhoods.models import Neighbourhood

from .query import MAX_QUERY_LENGTH, clean_query

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class NeighbourhoodField(forms.ModelChoiceField):
    """A neighbourhood by slug; anything that cannot be a slug is refused before the
    database sees it."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if len(str(value)) > 100 or not _SLUG.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice")
        return super().to_python(value)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search this site"), required=False, strip=False,
                        widget=forms.SearchInput,
                        help_text=_("Words, a name or a postcode, for example “food bank” "
                                    "or NW10 8SE."))
    kind = forms.ChoiceField(label=_("Show only"), required=False, error_messages={
        "invalid_choice": _("Choose what to show from the list.")})
    neighbourhood = NeighbourhoodField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.order_by("name"),
        to_field_name="slug", required=False, empty_label=_("All neighbourhoods"),
        error_messages={"invalid_choice": _("Choose a neighbourhood from the list.")})

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *kinds]

    def clean_q(self):
        raw = self.cleaned_data.get("q") or ""
        self.truncated = len(raw) > MAX_QUERY_LENGTH
        return clean_query(raw)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ""
