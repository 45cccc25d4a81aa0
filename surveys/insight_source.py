"""Survey comments as a source of community insight (the `INSIGHT_SOURCES` extension point).

Every non-empty free-text answer is offered to the insight app as an item to code, with the
date its response came in, the survey's title, the neighbourhood given and the language of the
survey page it was given on. Coding done in the insight app comes back through `apply()` into
the answer's `CommentCoding`, so the survey's own comments screen, its results and priorities'
evidence keep counting it.

Safeguarding: a comment flagged in the insight coding screen notifies through the insight app
(`insight.safeguarding.flag_raised`); `apply()` therefore writes the flag with surveys' own
email turned off. A comment flagged on the survey's comments screen notifies through surveys
(`coding.notify_safeguarding`) as before. Each flag is told once, by the screen it was set on.

Surveys never import insight: the insight app finds this provider through the hook.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .coding import code_comment
from .models import Answer, CommentCoding, Question, Response

CHUNK = 2000


class SurveyCommentSource:
    """Free-text survey answers, for the community insight coding screen.

    Origin ids are answer ids. A response's own save cannot name its answers (they are written
    after it, in bulk), so `origin_ids_for(response)` gives the response's id negated, and
    `rows()` reads a negative id as "every comment of that response"."""

    origin = "comment"
    label = _("Survey comment")
    source = "survey"
    watched_models = {"surveys.answer", "surveys.commentcoding", "surveys.commentcoding_themes",
                      "surveys.response"}

    def comments(self, origin_ids: Iterable[int] | None = None):
        """The free-text answers with text (those of `origin_ids` only, if given)."""
        answers = Answer.objects.filter(question__kind=Question.TEXT).exclude(text="")
        if origin_ids is None:
            return answers
        ids = {int(i) for i in origin_ids}
        wanted = Q(pk__in=[i for i in ids if i > 0]) | Q(response_id__in=[-i for i in ids
                                                                            if i < 0])
        return answers.filter(wanted)

    def rows(self, origin_ids: Iterable[int] | None = None):
        """Index rows, oldest answer first: one query for the answers and one for the themes
        of each chunk of them; no query per row."""
        answers = self.comments(origin_ids).order_by("pk").annotate(
            place=Coalesce("neighbourhood_id", "response__neighbourhood_id"))
        fields = ("pk", "text", "response__submitted_at", "survey__title",
                  "survey__locale__language_code", "place", "coding__safeguarding")
        chunk: list[dict] = []
        for row in answers.values(*fields).iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) >= CHUNK:
                yield from self._rows(chunk)
                chunk = []
        yield from self._rows(chunk)

    def _rows(self, chunk: list[dict]):
        if not chunk:
            return
        themes: dict[int, list[int]] = {}
        through = CommentCoding.themes.through.objects.filter(
            commentcoding__answer_id__in=[row["pk"] for row in chunk])
        for answer_id, theme_id in through.values_list("commentcoding__answer_id", "theme_id"):
            themes.setdefault(answer_id, []).append(theme_id)
        for row in chunk:
            yield {"origin_id": row["pk"], "text": row["text"],
                   "received_on": timezone.localdate(row["response__submitted_at"]),
                   "source": self.source, "source_label": (row["survey__title"] or "")[:255],
                   "neighbourhood_id": row["place"],
                   "language": row["survey__locale__language_code"] or "",
                   "people_count": 1, "theme_ids": themes.get(row["pk"], []),
                   "safeguarding": bool(row["coding__safeguarding"]), "sentiment": ""}

    def origin_ids_for(self, instance) -> list[int]:
        """The comments whose index rows a save or delete of `instance` changes."""
        if isinstance(instance, Answer):
            return [instance.pk]
        if isinstance(instance, CommentCoding):
            return [instance.answer_id]
        if isinstance(instance, Response):
            return [-instance.pk]  # all its comments, read when the transaction commits
        return []

    def apply(self, origin_id, *, theme_ids, sentiment, safeguarding, user) -> None:
        """Write an officer's coding into the comment's CommentCoding (comments carry no
        sentiment). Surveys' own safeguarding email stays off: the insight app notifies."""
        answer = self.comments([origin_id]).select_related("response__survey").first()
        if answer is None:
            return
        code_comment(answer, list(theme_ids), bool(safeguarding), user, notify=False)

    def link(self, origin_id) -> str:
        """The survey's comments screen, at this comment."""
        survey_id = Answer.objects.filter(pk=origin_id).values_list("survey_id", flat=True).first()
        if survey_id is None:
            return ""
        return reverse("surveys_admin:comments", args=[survey_id]) + f"#comment-{origin_id}"


provider = SurveyCommentSource()
