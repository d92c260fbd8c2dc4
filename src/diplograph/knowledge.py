"""Loads the knowledge files in data/: gazetteers, metonyms, sector terms, roles, office holders, outlets.

Every file is a CSV with a header row and a `source` column; multi-valued fields are separated by `|`.
See docs/actors.md for the formats and how to extend them.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .settings import DATA_DIR


class KnowledgeError(ValueError):
    """A data file is missing a column or holds a malformed row."""


@dataclass(frozen=True)
class Term:
    """A surface form that names an actor."""

    text: str
    code: str
    sector: str | None
    kind: str  # name, adjective, capital, seat, igo, entity
    parent: str | None = None  # a de facto entity's nominal sovereign
    until: date | None = None  # the last day the entity existed; later, its names are the parent's region

    def on(self, day: date | None) -> Term:
        """The term as it reads on `day`: a dissolved entity's name is then a place of its parent."""
        if self.until is None or self.parent is None or day is None or day <= self.until:
            return self
        return Term(self.text, self.parent, None, "city")


@dataclass(frozen=True)
class OfficeHolder:
    name: str
    aliases: tuple[str, ...]
    country: str
    role: str
    sector: str
    start: date | None
    end: date | None

    def holds_office_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Outlet:
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    locale: str | None
    country: str | None


def split_values(field: str | None) -> list[str]:
    return [value.strip() for value in (field or "").split("|") if value.strip()]


def read_rows(path: Path, required: set[str]) -> list[dict[str, str]]:
    """Rows of a knowledge CSV; a missing file gives no rows, a missing column is an error naming the file."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise KnowledgeError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]


def parse_day(text: str, path: Path) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise KnowledgeError(f"{path}: bad date {text!r}") from err


class Knowledge:
    """All knowledge files of one data folder, loaded once."""

    def __init__(self, data_dir: Path = DATA_DIR):
        self.data_dir = Path(data_dir)
        self.terms: list[Term] = []
        self.country_names: dict[str, str] = {}
        self.load_places()
        self.sector_terms = self.load_sector_terms()
        self.roles = self.load_roles()
        self.office_holders = self.load_office_holders()
        self.outlets = self.load_outlets()
        self.terms += self.outlet_terms()
        self.other_readings = self.load_other_readings()

    def load_places(self) -> None:
        columns = {"code", "name", "aliases", "adjectives", "capital", "capital_aliases"}
        for file_name, default_kind in (("countries.csv", "name"), ("entities.csv", "entity")):
            path = self.data_dir / file_name
            for row in read_rows(path, columns):
                code, sector = row["code"], row.get("sector") or None
                if sector != "PRE" and row.get("parent"):  # a region's own authorities are its state's
                    code = row["parent"]
                lifetime = {"parent": row.get("parent") or None, "until": parse_day(row.get("until") or "", path)}
                self.country_names.setdefault(code, row["name"])
                for text in [row["name"], *split_values(row["aliases"])]:
                    self.terms.append(Term(text, code, sector, default_kind, **lifetime))
                for text in split_values(row["adjectives"]):
                    self.terms.append(Term(text, code, sector, "adjective", **lifetime))
                for text in split_values(row["capital"]) + split_values(row["capital_aliases"]):
                    self.terms.append(Term(text, code, sector or "GOV", "capital"))
        for row in read_rows(self.data_dir / "igos.csv", {"code", "name", "aliases", "adjectives"}):
            self.country_names.setdefault(row["code"], row["name"])
            for text in [row["name"], *split_values(row["aliases"]), *split_values(row["adjectives"])]:
                self.terms.append(Term(text, row["code"], None, "igo"))
        for row in read_rows(self.data_dir / "metonyms.csv", {"text", "code", "sector"}):
            self.terms.append(Term(row["text"], row["code"], row["sector"] or None, "seat"))
        for row in read_rows(self.data_dir / "groups.csv", {"text", "code", "sector"}):
            self.terms.append(Term(row["text"], row["code"], row["sector"] or None, "group"))
        for row in read_rows(self.data_dir / "cities.csv", {"text", "code"}):  # places, not governments
            self.terms.append(Term(row["text"], row["code"], None, "city"))
        for row in read_rows(self.data_dir / "world_cities.csv", {"text", "code"}):  # tools/build_world_cities.py
            self.terms.append(Term(row["text"], row["code"], None, "world_city"))

    def load_other_readings(self) -> dict[str, list[str]]:
        """Place names with a second country ('Tripoli': Libya's capital, or Lebanon's city): name -> codes."""
        readings: dict[str, list[str]] = {}
        for row in read_rows(self.data_dir / "ambiguous_places.csv", {"text", "code"}):
            readings.setdefault(row["text"], []).append(row["code"])
        return readings

    def load_sector_terms(self) -> dict[str, tuple[str, str]]:
        rows = read_rows(self.data_dir / "sectors.csv", {"term", "sector", "kind"})
        return {row["term"].lower(): (row["sector"], row["kind"]) for row in rows}

    def load_roles(self) -> dict[str, tuple[str, str]]:
        rows = read_rows(self.data_dir / "roles.csv", {"term", "role", "sector"})
        return {row["term"].lower(): (row["role"], row["sector"]) for row in rows}

    def load_office_holders(self) -> list[OfficeHolder]:
        path = self.data_dir / "office_holders.csv"
        rows = read_rows(path, {"name", "aliases", "country", "role", "sector", "start", "end"})
        return [
            OfficeHolder(
                name=row["name"],
                aliases=tuple(split_values(row["aliases"])),
                country=row["country"],
                role=row["role"],
                sector=row["sector"] or "GOV",
                start=parse_day(row["start"], path),
                end=parse_day(row["end"], path),
            )
            for row in rows
        ]

    def load_outlets(self) -> list[Outlet]:
        rows = read_rows(self.data_dir / "outlets.csv", {"name", "domains", "aliases", "locale", "country"})
        return [
            Outlet(
                row["name"],
                tuple(split_values(row["domains"])),
                tuple(split_values(row["aliases"])),
                row["locale"] or None,
                row["country"] or None,
            )
            for row in rows
        ]

    def outlet_terms(self) -> list[Term]:
        """News outlets as actors of the journalism sector ('a Wall Street Journal reporter' is American).
        Only distinctive names: several words, or an acronym of three letters or more."""
        terms = []
        for outlet in self.outlets:
            if not outlet.country:
                continue
            for name in (outlet.name, *outlet.aliases):
                bare = name[4:] if name.lower().startswith("the ") else name
                if " " in bare or (bare.isupper() and len(bare) >= 3):
                    terms.append(Term(name, outlet.country, "JRN", "outlet"))
        return terms

    def outlet_country(self, name: str | None) -> str | None:
        """The home country of an outlet named in outlets.csv (by name or alias, any case)."""
        if not name:
            return None
        wanted = name.strip().lower()
        for outlet in self.outlets:
            if wanted == outlet.name.lower() or wanted in (a.lower() for a in outlet.aliases):
                return outlet.country
        return None

    def holders(self, country: str, role: str, on: date | None) -> list[OfficeHolder]:
        """Holders of a role in a country, those in office on the given day first."""
        matching = [h for h in self.office_holders if h.country == country and h.role == role]
        if on is None:
            return matching
        return [h for h in matching if h.holds_office_on(on)]


@functools.cache
def load_knowledge(data_dir: str | None = None) -> Knowledge:
    return Knowledge(Path(data_dir) if data_dir else DATA_DIR)
