"""The evidence behind a priority in plain language, with small numbers hidden."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .disclosure import group_suppressed, threshold
from .ranking import low_sample_people


def format_number(number) -> str:
    """A number with the active language's thousands separator (1,250)."""
    return number_format(number, force_grouping=True)


def evidence_sentences(evidence: dict, totals: dict, withheld=()) -> list[str]:
    """The evidence behind one priority as plain-language sentences, small numbers hidden.

    `withheld` names groups whose numbers are not shown although not small themselves
    (secondary suppression, see `disclosure.hidden_groups`).
    """
    limit = threshold()
    sentences = []
    if evidence.get("surveys"):
        sentences.append(_survey_sentence(evidence["surveys"], totals, "surveys" in withheld,
                                          limit))
    if evidence.get("forums"):
        sentences.append(_forum_sentence(evidence["forums"], "forums" in withheld, limit))
    if evidence.get("feedback"):
        sentences.append(_feedback_sentence(evidence["feedback"], "feedback" in withheld,
                                            limit))
    return sentences


def _survey_sentence(surveys: dict, totals: dict, withheld: bool, limit: int) -> str:
    if withheld and not group_suppressed("surveys", surveys, totals):
        return _("Survey figures for this theme are not shown, to protect a smaller group.")
    respondents = (totals.get("surveys") or {}).get("people")
    chose = surveys.get("people")
    if chose and respondents:
        if respondents < limit:
            return _("Chosen, ranked or agreed with by fewer than %(limit)s survey "
                     "respondents.") % {"limit": limit}
        if chose < limit:
            return _("Chosen, ranked or agreed with by fewer than %(limit)s of %(total)s survey "
                     "respondents.") % {"limit": limit, "total": format_number(respondents)}
        return ngettext(
            "Chosen, ranked or agreed with by %(percent)s%% of %(total)s survey respondent.",
            "Chosen, ranked or agreed with by %(percent)s%% of %(total)s survey respondents.",
            respondents) % {"percent": round(100 * chose / respondents),
                            "total": format_number(respondents)}
    count = surveys.get("count", 0)
    if count < limit:
        return _("Fewer than %(limit)s survey answers or comments.") % {"limit": limit}
    return ngettext("%(count)s survey answer or comment.",
                    "%(count)s survey answers or comments.", count) % {
        "count": format_number(count)}


def _forum_sentence(forums: dict, withheld: bool, limit: int) -> str:
    votes, held = forums.get("count", 0), forums.get("occasions") or 0
    if withheld and votes >= limit:
        return _("The number of forum votes is not shown, to protect a smaller group.")
    if votes < limit:
        return _("Fewer than %(limit)s votes at neighbourhood forums.") % {"limit": limit}
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


def _feedback_sentence(feedback: dict, withheld: bool, limit: int) -> str:
    items = feedback.get("count", 0)
    if withheld and items >= limit:
        return _("The number of community feedback items is not shown, to protect a smaller "
                 "group.")
    if items < limit:
        return _("Fewer than %(limit)s items of community feedback.") % {"limit": limit}
    return ngettext("%(count)s item of community feedback.",
                    "%(count)s items of community feedback.", items) % {
        "count": format_number(items)}


def evidence_summary(evidence: dict, totals: dict) -> str:
    """`evidence_sentences` as one paragraph ("" when there is no evidence)."""
    return " ".join(evidence_sentences(evidence, totals))


def caution_text() -> str:
    """The caution shown beside a priority that rests on few people."""
    return _("Caution: this rests on fewer than %(people)s people, so treat it as a signal to "
             "look into, not a settled view.") % {"people": low_sample_people()}
