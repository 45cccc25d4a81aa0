"""Named queries on organisations, assets and requests to join (the managers of `models.py`)."""

from __future__ import annotations

import datetime
import math
import re
import unicodedata

from django.db import models
from django.db.models import ExpressionWrapper, F, FloatField, Q
from django.utils import timezone

STALE_AFTER_DAYS = 365

# Words that do not tell two organisations apart: "The Harlesden Trust" and "Harlesden Trust
# Ltd" are likely the same body.
NAME_NOISE_WORDS = frozenset({"the", "ltd", "limited", "cic", "cio", "trust", "inc", "plc"})
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """An organisation's name reduced for finding likely duplicates: case, accents, spaces,
    punctuation and the words in NAME_NOISE_WORDS ignored; "&" counts as "and"."""
    text = unicodedata.normalize("NFKD", name or "").casefold().replace("&", " and ")
    text = "".join(character for character in text if not unicodedata.combining(character))
    words = _NOT_ALPHANUMERIC.sub(" ", text).split()
    kept = [word for word in words if word not in NAME_NOISE_WORDS]
    return "".join(kept or words)[:200]


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verified_at__isnull=False)

    def unverified(self):
        return self.filter(verified_at__isnull=True)

    def likely_duplicates(self, name: str, exclude_pk=None):
        """Organisations whose name probably means the same body as `name` (see name_key)."""
        key = name_key(name)
        if not key:
            return self.none()
        found = self.filter(name_key=key)
        return found.exclude(pk=exclude_pk) if exclude_pk else found


class AssetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=self.model.PUBLISHED)

    def in_bbox(self, min_lng, min_lat, max_lng, max_lat):
        """Assets inside a WGS84 bounding box (west, south, east, north)."""
        return self.filter(latitude__gte=min_lat, latitude__lte=max_lat,
                           longitude__gte=min_lng, longitude__lte=max_lng)

    def near(self, lat: float, lng: float):
        """Nearest first; annotates `distance_sq` (equirectangular degrees², fine in a city)."""
        scale = math.cos(math.radians(lat))
        dx = ExpressionWrapper((F("longitude") - lng) * scale, output_field=FloatField())
        dy = ExpressionWrapper(F("latitude") - lat, output_field=FloatField())
        return self.annotate(
            distance_sq=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())
        ).order_by("distance_sq", "name")

    def stale(self, today: datetime.date | None = None):
        """Published assets not verified for 12 months (or never)."""
        cutoff = (today or timezone.localdate()) - datetime.timedelta(days=STALE_AFTER_DAYS)
        return self.filter(Q(last_verified__lt=cutoff) | Q(last_verified__isnull=True))

    def edit_states(self) -> dict[str, set[int]]:
        """Which of these assets have a published version's edit "pending" (waiting for an
        officer) or "draft" (saved for preview, not sent yet): {"pending": ids, "draft": ids}."""
        states = {"pending": set(), "draft": set()}
        for pk, status in (self.filter(submissions__status__in=list(states),
                                       submissions__is_new=False)
                           .values_list("id", "submissions__status")):
            states[status].add(pk)
        return states


class JoinRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=self.model.PENDING)
