"""The evidence behind a priority in plain language, with small numbers hidden."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from .disclosure import group_suppressed, threshold
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


# Scores, methods and sensitivity ----------------------------------------------------------

METHOD_NAMES = {
    "share-of-people/2": (_lazy("share of people"), 2),
    "share-of-attention/1": (_lazy("share of attention"), 1),
}


def method_name(method: str | None) -> str:
    """A method version in words: "share of people, version 2" (the code when unknown)."""
    if method not in METHOD_NAMES:
        return method or _("unknown method")
    name, version = METHOD_NAMES[method]
    return _("%(name)s, version %(version)s") % {"name": name, "version": version}


def score_text(percent: int | None, interval: tuple[int, int] | None = None) -> str:
    """A score as people read it: "41%", or with its 95% interval "41% (37% to 45%)";
    a hidden score says why in a few words."""
    if percent is None:
        return hidden_score_text()
    if interval is None:
        return _("%(percent)s%%") % {"percent": percent}
    return _("%(percent)s%% (%(low)s%% to %(high)s%%)") % {
        "percent": percent, "low": interval[0], "high": interval[1]}


def hidden_score_text() -> str:
    """What a hidden score's cell says."""
    return _("not shown to protect privacy")


def hidden_scores_explained() -> str:
    """Said once above a ranking with hidden scores, so the gaps are not a mystery."""
    return _("Fewer than %(n)s people: not shown to protect privacy. Where a score rests on "
             "fewer than %(n)s people, or would let a number that small be worked out, we "
             "show the theme in its place but not its score.") % {"n": threshold()}


def _source_phrase(source: str) -> str:
    return {"surveys": _("surveys"), "forums": _("forums"),
            "feedback": _("community feedback")}.get(source, source)


def scenario_label(key: str) -> str:
    """A sensitivity scenario in words: "if community feedback were left out"."""
    kind, _sep, source = key.partition(":")
    phrase = _source_phrase(source)
    if kind == "without":
        return _("if %(source)s were left out") % {"source": phrase}
    if kind == "half":
        return _("if the multiplier for %(source)s were halved") % {"source": phrase}
    if kind == "more":
        return _("if the multiplier for %(source)s were raised by half") % {"source": phrase}
    return key


def scenario_changes(scenario: dict) -> bool:
    """Whether a scenario moves the top three (which themes, or their order)."""
    return bool(scenario.get("changes_members") or scenario.get("changes_order"))


def scenario_effect(scenario: dict) -> str:
    """What a scenario does to the top three, in words."""
    if scenario.get("changes_members"):
        return _("different themes in the top three")
    if scenario.get("changes_order"):
        return _("the same themes in a different order")
    return _("no change")


def _either(clauses: list[str]) -> str:
    """"a", "a or b", "a, b or c"."""
    if len(clauses) == 1:
        return clauses[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(clauses[:-1]),
                                          "last": clauses[-1]}


def sensitivity_sentence(sensitivity: dict | None) -> str:
    """One plain sentence: would the top three change if a source were left out or a
    multiplier moved by half? "" when the ranking has no sensitivity check (method v1)."""
    if not sensitivity or not sensitivity.get("scenarios"):
        return ""
    scenarios = sensitivity["scenarios"]
    members = [scenario_label(s["key"]) for s in scenarios if s.get("changes_members")]
    order = [scenario_label(s["key"]) for s in scenarios
             if s.get("changes_order") and not s.get("changes_members")]
    if members and order:
        return _("The top three would change %(members)s, and would come in a different order "
                 "%(order)s.") % {"members": _either(members), "order": _either(order)}
    if members:
        return _("The top three would change %(members)s.") % {"members": _either(members)}
    if order:
        return _("The top three would stay the same themes but come in a different order "
                 "%(order)s.") % {"order": _either(order)}
    return _("The top three stay the same whichever source is left out and if any "
             "multiplier is halved or raised by half.")


def under_heard_text(code: str, categories: list[str]) -> str:
    """The flag for a characteristic's under-heard groups; deprivation has its own words."""
    if code == "deprivation" and "q1" in categories:
        return _("The most deprived fifth of this neighbourhood is under-heard")
    return ""


def multiplier_text(value) -> str:
    """An officer-set multiplier as people read it: "×1", "×1.5"."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return _("×%(value)s") % {"value": number_format(number)}
