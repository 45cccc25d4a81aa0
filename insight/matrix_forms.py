"""The coding matrix's edit form: sub-themes and services as formsets, and the notes.

The forms only read what was typed; `insight.matrix.propose` decides whether it makes a valid
next version, and its problems are put back on the rows they are about."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .matrix import ServiceRow, SubThemeRow

MAX_ROWS = 1000
NEW_SUB_THEME_ROWS = 3
NEW_SERVICE_ROWS = 2


class SubThemeForm(forms.Form):
    """One sub-theme: an existing one (with its key, its theme fixed) or a new one."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    theme = forms.TypedChoiceField(label=_("Theme"), coerce=int, required=False,
                                   empty_value=None)
    name = forms.CharField(label=_("Name"), max_length=120, required=False,
                           error_messages={"max_length": _(
                               "Keep the name to %(limit_value)d characters or fewer "
                               "(it has %(show_value)d).")})
    position = forms.IntegerField(
        label=_("Order"), required=False, min_value=0, max_value=999,
        error_messages={"invalid": _("Enter the order as a whole number, like 1 or 2."),
                        "min_value": _("Enter the order as 0 or more."),
                        "max_value": _("Enter the order as 999 or less.")})

    def __init__(self, *args, theme_choices=(), theme_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_names = theme_names or {}
        # Any theme is accepted (the matrix service explains why an inactive one is refused);
        # only the active ones are offered.
        self.fields["theme"].choices = [("", ""), *self.theme_names.items()]
        self.fields["theme"].widget.choices = [("", _("Choose a theme")), *theme_choices]
        key = self.initial.get("key") or (self.data.get(self.add_prefix("key"))
                                          if self.is_bound else "")
        self.is_existing = bool(key)
        if self.is_existing:  # an existing sub-theme stays under its theme (its key is there)
            self.fields["theme"].widget = forms.HiddenInput()
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["position"].widget.attrs.update({"inputmode": "numeric", "class": "w-5"})

    def clean_theme(self):
        theme = self.cleaned_data.get("theme")
        if theme is None and (self.data.get(self.add_prefix("name")) or "").strip():
            raise forms.ValidationError(_("Choose the theme this sub-theme is under."))
        return theme

    @property
    def theme_name(self) -> str:
        value = self["theme"].value()
        try:
            return self.theme_names.get(int(value), "")
        except (TypeError, ValueError):
            return ""

    def row(self) -> SubThemeRow | None:
        """The wanted sub-theme, or None for a removed or untouched blank row."""
        data = self.cleaned_data
        if data.get("DELETE") or (not self.is_existing and not self.has_changed()):
            return None
        return SubThemeRow(theme_id=data.get("theme"), name=data.get("name") or "",
                           position=data.get("position") if data.get("position") is not None
                           else 999, key=data.get("key") or "", ref=self)


class ServiceForm(forms.Form):
    """One service or provider: an existing one (with its key) or a new one."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=160, required=False,
                           error_messages={"max_length": _(
                               "Keep the name to %(limit_value)d characters or fewer "
                               "(it has %(show_value)d).")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        key = self.initial.get("key") or (self.data.get(self.add_prefix("key"))
                                          if self.is_bound else "")
        self.is_existing = bool(key)
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def row(self) -> ServiceRow | None:
        data = self.cleaned_data
        if data.get("DELETE") or (not self.is_existing and not self.has_changed()):
            return None
        return ServiceRow(name=data.get("name") or "", key=data.get("key") or "", ref=self)


class BaseRowFormSet(forms.BaseFormSet):
    def rows(self) -> list:
        return [row for row in (form.row() for form in self.forms
                                if hasattr(form, "cleaned_data")) if row is not None]


SubThemeFormSet = forms.formset_factory(
    SubThemeForm, formset=BaseRowFormSet, extra=NEW_SUB_THEME_ROWS, can_delete=True,
    max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS)
ServiceFormSet = forms.formset_factory(
    ServiceForm, formset=BaseRowFormSet, extra=NEW_SERVICE_ROWS, can_delete=True,
    max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS)


class NotesForm(forms.Form):
    """What changed and why (required), and the version the edit started from."""

    notes = forms.CharField(
        label=_("What changed and why"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Shown in the version history, for example “Split GP access into "
                    "appointments and phone lines, as Healthwatch asked”."),
        error_messages={"required": _("Say what changed and why, for the version history."),
                        "max_length": _("Keep the notes to %(limit_value)d characters or "
                                        "fewer (they have %(show_value)d).")})
    based_on = forms.IntegerField(widget=forms.HiddenInput)


def edit_forms(data, matrix, themes):
    """The notes form and the two formsets for editing `matrix` (bound when `data`)."""
    sub_themes = list(matrix.sub_themes.order_by("theme__name", "position", "name")
                      .select_related("theme"))
    services = list(matrix.services.order_by("name"))
    active = [(theme.pk, theme.name) for theme in themes.values() if theme.is_active]
    active.sort(key=lambda pair: pair[1])
    names = {pk: theme.name for pk, theme in themes.items()}
    sub_formset = SubThemeFormSet(
        data, prefix="sub", form_kwargs={"theme_choices": active, "theme_names": names},
        initial=[{"key": row.key, "theme": row.theme_id, "name": row.name,
                  "position": row.position} for row in sub_themes])
    service_formset = ServiceFormSet(
        data, prefix="service", initial=[{"key": row.key, "name": row.name}
                                         for row in services])
    notes = NotesForm(data, initial={"based_on": matrix.number})
    return notes, sub_formset, service_formset
