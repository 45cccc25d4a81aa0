"""What happened to my answer: the reference look-up page (`surveys.references`).

Served under the survey index (`<index>/what-happened/`, any survey's reference) and under each
survey (`<survey>/what-happened/`, that survey's references only). The reference is posted,
not put in the address, so it stays out of logs, history and Referer headers.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from . import references


class ReferenceForm(forms.Form):
    """One reference number, forgiving about case, spaces and dashes."""

    reference = forms.CharField(
        label=_("Reference number"),
        help_text=_("It is on the page you saw after answering, and in the email receipt if "
                    "you asked for one. For example, HYS-ABCD2345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
        error_messages={"required": _("Enter your reference number")},
    )

    def clean_reference(self):
        reference = references.normalise(self.cleaned_data["reference"])
        if reference is None:
            raise ValidationError(references.FORMAT_MESSAGE, code="format")
        return reference


def reference_lookup(request, page, survey=None):
    """The form, and on a valid post the outcome for the reference (`references.find`)."""
    form = ReferenceForm(request.POST if request.method == "POST" else None)
    context = {"page": page, "self": page, "survey": survey, "form": form, "outcome": None}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        if references.rate_limited(request):
            reply = TemplateResponse(request, "surveys/reference_rate_limited.html", context,
                                     status=429)
            add_never_cache_headers(reply)
            return reply
        context["outcome"] = references.find(form.cleaned_data["reference"], survey=survey,
                                             user=request.user)
        context["form"] = ReferenceForm()
    reply = TemplateResponse(request, "surveys/reference_lookup.html", context, status=status)
    add_never_cache_headers(reply)
    return reply
