"""Postcode imports from the ONS Postcode Directory (ONSPD) CSV, for the offline geocoder."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .districts import forget_districts
from .geocoding import PostcodeError, normalise_postcode
from .models import Postcode

# The ONS Postcode Directory writes this latitude for postcodes that have no grid reference.
ONSPD_NO_LOCATION_LAT = 99.999999


class PostcodeImportError(ValueError):
    """A CSV file that is not an ONS Postcode Directory extract."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class PostcodeImportReport:
    """Counts from a postcode import."""

    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    terminated: int = 0
    skipped_no_location: int = 0
    skipped_invalid: int = 0

    def summary(self) -> str:
        values = self.__dict__
        if self.dry_run:
            text = _(
                "Dry run, nothing was saved: %(rows)d rows read; %(created)d postcodes would be "
                "added and %(updated)d updated (%(terminated)d of them terminated); "
                "%(skipped_no_location)d skipped with no location and %(skipped_invalid)d "
                "skipped as invalid."
            )
        else:
            text = _(
                "%(rows)d rows read; %(created)d postcodes added and %(updated)d updated "
                "(%(terminated)d of them terminated); %(skipped_no_location)d skipped with no "
                "location and %(skipped_invalid)d skipped as invalid."
            )
        return text % values


def import_postcodes(
    csv_file,
    dry_run: bool = False,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 100_000,
) -> PostcodeImportReport:
    """Upsert postcodes from an ONS Postcode Directory CSV (columns pcds or pcd, lat, long, doterm).

    `csv_file` is a path or an open text file. Rows without a location are skipped and counted;
    `progress(rows_read)` is called every `progress_every` rows.
    """
    if isinstance(csv_file, (str, Path)):
        with open(csv_file, newline="", encoding="utf-8-sig") as opened:
            return import_postcodes(opened, dry_run, batch_size, progress, progress_every)
    if isinstance(csv_file, io.BufferedIOBase | io.RawIOBase):
        csv_file = io.TextIOWrapper(csv_file, encoding="utf-8-sig", newline="")

    reader = csv.reader(csv_file)
    header = [column.strip().lstrip("\ufeff").lower() for column in next(reader, [])]
    postcode_column = "pcds" if "pcds" in header else "pcd" if "pcd" in header else None
    missing = [c for c in ("lat", "long") if c not in header]
    if postcode_column is None or missing:
        raise PostcodeImportError(
            _("This is not an ONS Postcode Directory file: it needs the columns pcds (or pcd), "
              "lat, long and doterm. Its columns are: %(columns)s.")
            % {"columns": ", ".join(header) or _("none")}
        )
    columns = _PostcodeColumns(
        postcode=header.index(postcode_column),
        lat=header.index("lat"),
        lng=header.index("long"),
        doterm=header.index("doterm") if "doterm" in header else None,
    )

    report = PostcodeImportReport(dry_run=dry_run)
    batch: dict[str, Postcode] = {}
    for row in reader:
        if not row:
            continue
        report.rows += 1
        postcode = _postcode_from_row(row, columns, report)
        if postcode is not None:
            # A postcode repeated in one batch would make the upsert touch a row twice.
            batch[postcode.postcode] = postcode
        if len(batch) >= batch_size:
            _save_postcode_batch(batch.values(), report, dry_run)
            batch = {}
        if progress and report.rows % progress_every == 0:
            progress(report.rows)
    if batch:
        _save_postcode_batch(batch.values(), report, dry_run)
    if not dry_run:
        forget_districts()  # the covered districts are worked out afresh on the next look-up
    return report


@dataclass(frozen=True)
class _PostcodeColumns:
    postcode: int
    lat: int
    lng: int
    doterm: int | None


def _postcode_from_row(row, columns: _PostcodeColumns, report) -> Postcode | None:
    try:
        postcode = normalise_postcode(row[columns.postcode])
        lat_text, lng_text = row[columns.lat].strip(), row[columns.lng].strip()
    except (PostcodeError, IndexError):
        report.skipped_invalid += 1
        return None
    if not lat_text or not lng_text:
        report.skipped_no_location += 1
        return None
    try:
        latitude, longitude = float(lat_text), float(lng_text)
    except ValueError:
        report.skipped_invalid += 1
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        report.skipped_invalid += 1
        return None
    if math.isclose(latitude, ONSPD_NO_LOCATION_LAT, abs_tol=1e-6):
        report.skipped_no_location += 1
        return None
    terminated = bool(columns.doterm is not None and len(row) > columns.doterm
                      and row[columns.doterm].strip())
    return Postcode(postcode=postcode, latitude=latitude, longitude=longitude,
                    terminated=terminated)


def _save_postcode_batch(postcodes: Iterable[Postcode], report, dry_run: bool) -> None:
    postcodes = list(postcodes)
    existing = set(Postcode.objects.filter(
        postcode__in=[p.postcode for p in postcodes]).values_list("postcode", flat=True))
    report.created += sum(1 for p in postcodes if p.postcode not in existing)
    report.updated += sum(1 for p in postcodes if p.postcode in existing)
    report.terminated += sum(1 for p in postcodes if p.terminated)
    if dry_run:
        return
    with transaction.atomic():
        Postcode.objects.bulk_create(
            postcodes,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["latitude", "longitude", "terminated"],
        )
