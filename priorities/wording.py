"""The evidence behind a priority in plain language, with small numbers hidden."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .disclosure import group_suppressed
from .ranking import low_sample_people


def format_number(number) -> str:
    """A number with the active language's thousands separator (1,250)."""
    return number_format(number, force_grouping=True)


def evidence_sentences(evidence: dict, totals: dict, hidden=None) -> list[str]:
    """The evidence behind one priority as plain-language sentences, small numbers hidden.

    `hidden` names the groups whose numbers the public may not see for this theme
    (`disclosure.hidden_groups`, which also hides numbers that would give a small one away);
    without it, the groups whose own numbers are small. A hidden number reads the same
    whether it is small or hidden to protect a small one, so the words give nothing away.
    """
    if hidden is None:
        hidden = {group for group in ("surveys", "forums", "feedback")
                  if evidence.get(group) and group_suppressed(group, evidence[group], totals)}
    sentences = []
    if evidence.get("surveys"):
        sentences.append(_survey_sentence(evidence["surveys"], totals, "surveys" in hidden))
    if evidence.get("forums"):
        sentences.append(_forum_sentence(evidence["forums"], "forums" in hidden))
    if evidence.get("feedback"):
        sentences.append(_feedback_sentence(evidence["feedback"], "feedback" in hidden))
    return sentences


def _survey_sentence(surveys: dict, totals: dict, hidden: bool) -> str:
    if hidden:
        return _("Survey figures for this theme are not shown, to protect people's privacy.")
    respondents = (totals.get("surveys") or {}).get("people")
    chose = surveys.get("people")
    if chose and respondents:
        return ngettext(
            "Chosen, ranked or agreed with by %(percent)s%% of %(total)s survey respondent.",
            "Chosen, ranked or agreed with by %(percent)s%% of %(total)s survey respondents.",
            respondents) % {"percent": round(100 * chose / respondents),
                            "total": format_number(respondents)}
    count = surveys.get("count", 0)
    return ngettext("%(count)s survey answer or comment.",
                    "%(count)s survey answers or comments.", count) % {
        "count": format_number(count)}


def _forum_sentence(forums: dict, hidden: bool) -> str:
    votes, held = forums.get("count", 0), forums.get("occasions") or 0
    if hidden:
        return _("The number of forum votes is not shown, to protect people's privacy.")
    if held == 1:
        return ngettext("%(votes)s vote at one forum.", "%(votes)s votes at one forum.",
                        votes) % {"votes": format_number(votes)}
    if held > 1:
        return ngettext("%(votes)s vote at %(forums)s forums.",
                        "%(votes)s votes at %(forums)s forums.", votes) % {
            "votes": format_number(votes), "forums": held}
    return ngettext("%(votes)s vote at neighbourhood forums.",
                    "%(votes)s votes at neighbourhood forums.", votes) % {
        "votes": format_number(votes)}


def _feedback_sentence(feedback: dict, hidden: bool) -> str:
    items = feedback.get("count", 0)
    if hidden:
        return _("The number of community feedback items is not shown, to protect people's "
                 "privacy.")
    return ngettext("%(count)s item of community feedback.",
                    "%(count)s items of community feedback.", items) % {
        "count": format_number(items)}


def evidence_summary(evidence: dict, totals: dict, hidden=None) -> str:
    """`evidence_sentences` as one paragraph ("" when there is no evidence)."""
    return " ".join(evidence_sentences(evidence, totals, hidden))


def caution_text() -> str:
    """The caution shown beside a priority that rests on few people."""
    return _("Caution: this rests on fewer than %(people)s people, so treat it as a signal to "
             "look into, not a settled view.") % {"people": low_sample_people()}
