"""Likely duplicate responses: flagged for officers, never dropped, and never a whole workshop.

A room answering on one wifi shares an address, so the address alone proves nothing: a response
is a likely duplicate only when it also repeats an earlier one's answers, or comes from the same
browser minutes later.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings

from portal.ratelimit import ip_hash

from .models import Answer, Response

# Near-identical: at least this share of the answer values is the same (all of them in a short
# survey). Same browser: this many minutes apart at most.
DUPLICATE_SIMILARITY = 0.9
DUPLICATE_WINDOW_MINUTES = 15
_DUPLICATE_CANDIDATES = 200


def browser_hash(user_agent: str, languages: str = "", token: str = "") -> str:
    """A keyed hash of a browser: its user agent, languages and session token.

    The token (random, kept in the person's session) tells apart two phones of the same model
    in one room; without a user agent there is no fingerprint at all.
    """
    if not (user_agent or "").strip():
        return ""
    return ip_hash(f"browser|{user_agent.strip()}|{(languages or '').strip()}|{token}")


def _answer_key(answer: dict) -> tuple:
    text = " ".join(str(answer.get("text") or "").casefold().split())
    return (answer.get("question_id"), answer.get("option_id"), answer.get("rank"),
            answer.get("number"), text, answer.get("latitude"), answer.get("longitude"),
            answer.get("neighbourhood_id"))


def _similarity(first: set, second: set) -> float:
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def likely_duplicate(survey, answers: list[dict], *, channel, hashed_ip, hashed_browser,
                     now) -> tuple[str, Response | None]:
    """(reason, earlier response) when this online response is likely a duplicate, else ("", None).

    Likely duplicate only when an earlier online response came from the same address (keyed
    hash) AND either its answers are near-identical, or it came from the same browser (user
    agent, languages and session token) within `SURVEYS_DUPLICATE_WINDOW_MINUTES`. So a room
    answering on one wifi with their own answers is not flagged, and paper, forum and phone
    entries never are. Two queries at most, however many responses share the address.
    """
    if channel != Response.ONLINE or not hashed_ip:
        return "", None
    window = getattr(settings, "SURVEYS_DUPLICATE_WINDOW_MINUTES", DUPLICATE_WINDOW_MINUTES)
    earlier = list(Response.objects.filter(survey=survey, ip_hash=hashed_ip,
                                           channel=Response.ONLINE)
                   .order_by("-submitted_at")[:_DUPLICATE_CANDIDATES])
    if not earlier:
        return "", None
    mine = {_answer_key(answer) for answer in answers}
    theirs: dict[int, set] = defaultdict(set)
    for row in (Answer.objects.filter(response__in=[r.pk for r in earlier])
                .values("response_id", "question_id", "option_id", "rank", "number", "text",
                        "latitude", "longitude", "neighbourhood_id")):
        theirs[row.pop("response_id")].add(_answer_key(row))
    for response in earlier:
        if _similarity(mine, theirs.get(response.pk, set())) >= DUPLICATE_SIMILARITY:
            return Response.SAME_ANSWERS, response
    for response in earlier:
        if (hashed_browser and response.browser_hash == hashed_browser
                and abs(now - response.submitted_at) <= timedelta(minutes=window)):
            return Response.SAME_BROWSER, response
    return "", None
