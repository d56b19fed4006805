"""The adapter to the National Population Database (Cơ sở dữ liệu quốc gia về dân cư).

Decree 335/2026 Art. 8: the commune checks identity, age, residence, household and death
against the population database instead of asking for paper copies. Three implementations of
one interface:

- `ExtractFileSource`: reads an extract file the province receives (CSV or JSON, format in
  docs/dossiers.md); configured by settings.ANSINH_POPULATION_EXTRACT (a path).
- `FakePopulationSource`: records given in memory, for tests; `unreachable=True` simulates an
  outage.
- `UnconfiguredSource`: no source configured: every lookup is unavailable.

A source that cannot answer raises `PopulationUnavailable`; the dossier then records each check
as "not done" (never a silent pass).
"""

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FIELDS = ("personal_id", "full_name", "birth_date", "sex", "commune_code", "household_code", "date_of_death")


class PopulationUnavailable(Exception):
    """The population database could not be asked (file missing, unreadable, service down)."""


@dataclass(frozen=True)
class PopulationRecord:
    personal_id: str
    full_name: str
    birth_date: dt.date | None
    sex: str = ""
    commune_code: str = ""
    household_code: str = ""
    date_of_death: dt.date | None = None


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def record_from_row(row: dict) -> PopulationRecord:
    return PopulationRecord(
        personal_id=str(row["personal_id"]).strip(),
        full_name=str(row.get("full_name") or "").strip(),
        birth_date=_date(row.get("birth_date")),
        sex=str(row.get("sex") or "").strip(),
        commune_code=str(row.get("commune_code") or "").strip(),
        household_code=str(row.get("household_code") or "").strip(),
        date_of_death=_date(row.get("date_of_death")),
    )


class PopulationSource:
    name = "population"

    def lookup(self, personal_id: str) -> PopulationRecord | None:  # pragma: no cover - interface
        """The record for a personal ID, None when the database has no such person; raises
        PopulationUnavailable when it cannot be asked."""
        raise NotImplementedError


# Shown to commune officers: no settings names (the deployment's documentation says which
# setting to fill in: docs/dossiers.md).
UNCONFIGURED_MESSAGE = (
    "Chưa kết nối cơ sở dữ liệu quốc gia về dân cư: đối chiếu bằng giấy tờ công dân xuất trình."
)


class UnconfiguredSource(PopulationSource):
    name = "chưa kết nối"

    def lookup(self, personal_id):
        raise PopulationUnavailable(UNCONFIGURED_MESSAGE)


class FakePopulationSource(PopulationSource):
    name = "giả lập (kiểm thử)"

    def __init__(self, records=(), *, unreachable: bool = False):
        self.records = {r.personal_id: r for r in records}
        self.unreachable = unreachable

    def lookup(self, personal_id):
        if self.unreachable:
            raise PopulationUnavailable("Không kết nối được Cơ sở dữ liệu quốc gia về dân cư.")
        return self.records.get(personal_id)


class ExtractFileSource(PopulationSource):
    """A CSV (UTF-8, header row with FIELDS) or JSON (a list of objects with FIELDS) extract."""

    def __init__(self, path):
        self.path = Path(path)
        self.name = f"tệp trích xuất {self.path.name}"
        self._records: dict[str, PopulationRecord] | None = None
        self._mtime = None

    def _load(self) -> dict[str, PopulationRecord]:
        try:
            mtime = self.path.stat().st_mtime
            if self._records is not None and mtime == self._mtime:
                return self._records
            if self.path.suffix.lower() == ".json":
                rows = json.loads(self.path.read_text(encoding="utf-8"))
            else:
                with self.path.open(encoding="utf-8-sig", newline="") as handle:
                    rows = list(csv.DictReader(handle))
            records = {r.personal_id: r for r in (record_from_row(row) for row in rows)}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise PopulationUnavailable(
                f"Không đọc được tệp dữ liệu dân cư {self.path.name}: {error}"
            ) from None
        self._records, self._mtime = records, mtime
        return records

    def lookup(self, personal_id):
        return self._load().get(personal_id)


_override: PopulationSource | None = None


def population_source() -> PopulationSource:
    if _override is not None:
        return _override
    path = getattr(settings, "ANSINH_POPULATION_EXTRACT", "")
    return ExtractFileSource(path) if path else UnconfiguredSource()


def use_population_source(source: PopulationSource | None) -> None:
    """Tests (and a deployment's start-up code) set the source here; None goes back to settings."""
    global _override
    _override = source
