"""The plain row shapes every `evidence` module yields, so priorities reads them all alike.

Feature apps import these from the core (dependencies point up); priorities never imports the
feature apps.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class EvidenceRow(NamedTuple):
    neighbourhood_id: int
    theme_id: int
    source: str
    weight: float
    count: int
    date: date | None


class PeopleRow(NamedTuple):
    neighbourhood_id: int
    theme_id: int | None
    people: int


class PageRow(NamedTuple):
    neighbourhood_id: int
    theme_id: int
    page_id: int
