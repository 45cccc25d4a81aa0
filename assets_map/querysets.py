"""Named queries on assets and on requests to join (the managers of `models.py`)."""

from __future__ import annotations

import datetime
import math

from django.db import models
from django.db.models import ExpressionWrapper, F, FloatField, Q
from django.utils import timezone

STALE_AFTER_DAYS = 365


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
