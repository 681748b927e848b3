"""Checks on the gazetteer data files in kg/data/*.tsv.

These tests read the TSV files directly (no spaCy, no kg imports), so they stay fast and
keep checking the data format even while the loader changes. They enforce the documented
format, unique keys, a single owner for every surface form within a file, agreement of ISO
codes with pycountry, and a few lookups the product depends on.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

DATA = Path(__file__).resolve().parents[2] / "kg" / "data"

HEADERS = {
    "countries.tsv": ["iso3", "iso2", "name", "wikidata", "aliases", "demonyms", "capital"],
    "organizations.tsv": ["key", "name", "type", "wikidata", "aliases"],
    "people.tsv": ["key", "name", "wikidata", "aliases", "country_iso3", "title", "gender"],
    "places.tsv": ["key", "name", "type", "wikidata", "aliases", "country_iso3"],
    "titles.tsv": ["title", "leader", "kind", "aliases"],
}
MULTI = {"aliases", "demonyms"}
KINDS = {
    "head_of_state", "head_of_government", "minister", "legislator", "official",
    "diplomat", "military", "judicial", "corporate",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q[1-9][0-9]*$")


def load(name: str) -> list[dict[str, str]]:
    """Parse one gazetteer file the way the format is documented: UTF-8, '#' comments,
    first non-comment line is the header, tab-separated cells."""
    text = (DATA / name).read_text(encoding="utf-8")
    header, rows = None, []
    for lineno, line in enumerate(text.split("\n"), 1):
        if line == "" or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            assert header == HEADERS[name], f"{name}: header is {header}, expected {HEADERS[name]}"
            continue
        assert len(cells) == len(header), f"{name}:{lineno}: {len(cells)} cells, expected {len(header)}: {line!r}"
        rows.append(dict(zip(header, cells), _line=str(lineno)))
    assert header is not None, f"{name}: no header line"
    return rows


def norm(s: str) -> str:
    """Comparison form of a surface string: case-folded, accents removed, spaces collapsed."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.casefold().split())


def split(cell: str) -> list[str]:
    return cell.split("|") if cell else []


def surface_index(rows, key, fields):
    """Map every normalised surface form to the set of row keys that claim it."""
    index = defaultdict(set)
    for r in rows:
        for field in fields:
            values = [r[field]] if field not in MULTI else split(r[field])
            for v in values:
                if v:
                    index[norm(v)].add(r[key])
    return index


FILES = {
    "countries.tsv": ("iso3", ["name", "aliases", "demonyms"]),
    "organizations.tsv": ("key", ["name", "aliases"]),
    "people.tsv": ("key", ["name", "aliases"]),
    "places.tsv": ("key", ["name", "aliases"]),
    "titles.tsv": ("title", ["title", "aliases"]),
}


@pytest.fixture(scope="module")
def tables():
    return {name: load(name) for name in HEADERS}


def lookup(tables, name):
    key, fields = FILES[name]
    index = surface_index(tables[name], key, fields)
    return {form: next(iter(keys)) for form, keys in index.items() if len(keys) == 1}


def by_key(tables, name):
    key = FILES[name][0]
    return {r[key]: r for r in tables[name]}


# ---------------------------------------------------------------- format

@pytest.mark.parametrize("name", sorted(HEADERS))
def test_file_format(name):
    raw = (DATA / name).read_bytes()
    text = raw.decode("utf-8")  # must be UTF-8
    assert not text.startswith("\ufeff"), f"{name}: byte-order mark"
    assert "\r" not in text, f"{name}: CR line endings"
    assert text.endswith("\n"), f"{name}: no final newline"
    lines = text.split("\n")
    assert lines[0].startswith("#"), f"{name}: should open with a comment block describing the file"
    # a row whose last cell is empty legitimately ends in a tab; spaces never trail
    bad = [i for i, line in enumerate(lines, 1) if line != line.rstrip(" \u00a0\u3000")]
    assert not bad, f"{name}: trailing spaces on lines {bad[:10]}"


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_cells_are_clean(tables, name):
    problems = []
    for r in tables[name]:
        for col in HEADERS[name]:
            cell = r[col]
            if cell != cell.strip():
                problems.append(f"line {r['_line']} {col}: surrounding spaces {cell!r}")
            if col in MULTI:
                parts = split(cell)
                if any(p == "" or p != p.strip() for p in parts):
                    problems.append(f"line {r['_line']} {col}: empty or padded value in {cell!r}")
                if len(parts) != len(set(parts)):
                    problems.append(f"line {r['_line']} {col}: repeated value in {cell!r}")
            elif "|" in cell:
                problems.append(f"line {r['_line']} {col}: '|' in a single-valued cell {cell!r}")
        first = HEADERS[name][0]
        if not r[first] or not r[HEADERS[name][2 if name == "countries.tsv" else 1]]:
            problems.append(f"line {r['_line']}: empty key or name")
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_rows_sorted_and_keys_unique(tables, name):
    key = FILES[name][0]
    keys = [r[key] for r in tables[name]]
    dupes = sorted(k for k in set(keys) if keys.count(k) > 1)
    assert not dupes, f"{name}: duplicate {key}: {dupes}"
    assert keys == sorted(keys), f"{name}: rows are not sorted by {key}"


@pytest.mark.parametrize("name", ["organizations.tsv", "people.tsv", "places.tsv"])
def test_keys_are_ascii_slugs(tables, name):
    bad = [r["key"] for r in tables[name] if not SLUG.match(r["key"])]
    assert not bad, f"{name}: keys that are not lowercase ASCII slugs: {bad}"


def test_wikidata_ids_well_formed_and_unique(tables):
    owners = defaultdict(list)
    for name, rows in tables.items():
        if "wikidata" not in HEADERS[name]:
            continue
        key = FILES[name][0]
        for r in rows:
            q = r["wikidata"]
            if q:
                assert QID.match(q), f"{name} {r[key]}: bad Wikidata id {q!r}"
                owners[q].append(f"{name}:{r[key]}")
    shared = {q: o for q, o in owners.items() if len(o) > 1}
    assert not shared, f"one Wikidata id on several rows: {shared}"


@pytest.mark.parametrize("name", sorted(FILES))
def test_no_surface_form_shared_between_rows(tables, name):
    key, fields = FILES[name]
    index = surface_index(tables[name], key, fields)
    clashes = {form: sorted(keys) for form, keys in index.items() if len(keys) > 1}
    assert not clashes, f"{name}: names/aliases claimed by more than one row:\n" + "\n".join(
        f"  {form!r}: {keys}" for form, keys in sorted(clashes.items())
    )


def test_fixed_columns(tables):
    assert {r["type"] for r in tables["organizations.tsv"]} == {"Organization"}
    assert {r["type"] for r in tables["places.tsv"]} == {"Location"}
    for r in tables["titles.tsv"]:
        assert r["leader"] in {"0", "1"}, r
        assert r["kind"] in KINDS, r
    assert {r["gender"] for r in tables["people.tsv"]} <= {"", "f", "m"}


# ---------------------------------------------------------------- ISO codes

def test_countries_agree_with_pycountry(tables):
    rows = tables["countries.tsv"]
    problems = []
    for r in rows:
        c = pycountry.countries.get(alpha_3=r["iso3"])
        if c is None:
            problems.append(f"{r['iso3']}: not an ISO 3166-1 alpha-3 code")
        elif c.alpha_2 != r["iso2"]:
            problems.append(f"{r['iso3']}: iso2 {r['iso2']!r}, pycountry says {c.alpha_2!r}")
    assert not problems, "\n".join(problems)
    missing = {c.alpha_3 for c in pycountry.countries} - {r["iso3"] for r in rows}
    assert not missing, f"ISO 3166-1 entries missing from countries.tsv: {sorted(missing)}"


@pytest.mark.parametrize("name", ["people.tsv", "places.tsv"])
def test_country_references_are_iso3(tables, name):
    known = {r["iso3"] for r in tables["countries.tsv"]}
    bad = [(r["key"], r["country_iso3"]) for r in tables[name] if r["country_iso3"] and r["country_iso3"] not in known]
    assert not bad, f"{name}: unknown country_iso3: {bad}"
    for code, _ in bad:
        assert pycountry.countries.get(alpha_3=code) is None


# ---------------------------------------------------------------- cross-file consistency

def test_capitals_are_not_country_aliases(tables):
    rows = tables["countries.tsv"]
    capitals = {norm(r["capital"]): r["iso3"] for r in rows if r["capital"]}
    found = [
        (r["iso3"], a, capitals[norm(a)])
        for r in rows
        for a in split(r["aliases"]) + split(r["demonyms"])
        if norm(a) in capitals
    ]
    assert not found, f"capital cities used as country aliases (iso3, alias, capital of): {found}"


def test_every_capital_is_a_place(tables):
    places = defaultdict(set)
    for p in tables["places.tsv"]:
        places[norm(p["name"])].add(p["country_iso3"])
    missing = [
        (r["iso3"], r["capital"])
        for r in tables["countries.tsv"]
        if r["capital"] and r["capital"] != r["name"] and r["iso3"] not in places.get(norm(r["capital"]), set())
    ]
    assert not missing, f"capitals without a places.tsv row in that country: {missing}"


def test_people_titles_are_known_titles(tables):
    known = set(lookup(tables, "titles.tsv"))
    bad = [(r["key"], r["title"]) for r in tables["people.tsv"] if r["title"] and norm(r["title"]) not in known]
    assert not bad, f"people.tsv titles not found in titles.tsv (title or alias): {bad}"


def test_people_aliases_carry_no_titles(tables):
    titles = set(lookup(tables, "titles.tsv"))
    bad = []
    for r in tables["people.tsv"]:
        for a in split(r["aliases"]):
            words = norm(a).split()
            # "President Trump", "Prime Minister Ishiba": a title as a leading word group
            for n in range(1, min(4, len(words))):
                if " ".join(words[:n]) in titles:
                    bad.append((r["key"], a))
    assert not bad, f"people.tsv aliases starting with a title: {bad}"


def test_sizes(tables):
    assert len(tables["countries.tsv"]) >= 240
    assert len(tables["organizations.tsv"]) >= 80
    assert len(tables["people.tsv"]) >= 150
    assert len(tables["titles.tsv"]) >= 50
    us_states = [p for p in tables["places.tsv"] if p["country_iso3"] == "USA"]
    assert len(us_states) >= 50


# ---------------------------------------------------------------- product spot checks

def test_united_states_forms(tables):
    countries = lookup(tables, "countries.tsv")
    for form in ["U.S.", "US", "United States", "America", "USA", "United States of America", "the U.S."]:
        assert countries.get(norm(form)) == "USA", f"{form!r} should resolve to USA"
    usa = by_key(tables, "countries.tsv")["USA"]
    aliases = split(usa["aliases"])
    for form in ["U.S.", "US", "America"]:
        assert form in aliases, f"{form!r} missing from USA aliases"
    assert usa["name"] == "United States"
    assert "American" in split(usa["demonyms"])
    assert usa["capital"] == "Washington"
    assert usa["wikidata"] == "Q30"


def test_country_spot_checks(tables):
    countries = lookup(tables, "countries.tsv")
    rows = by_key(tables, "countries.tsv")
    assert "Japanese" in split(rows["JPN"]["demonyms"])
    assert countries[norm("Japanese")] == "JPN"
    assert rows["JPN"]["wikidata"] == "Q17" and rows["JPN"]["capital"] == "Tokyo"
    expected = {
        "UK": "GBR", "Britain": "GBR", "British": "GBR", "Russian Federation": "RUS",
        "PRC": "CHN", "Chinese": "CHN", "Türkiye": "TUR", "Turkey": "TUR", "Israeli": "ISR",
        "South Korea": "KOR", "North Korea": "PRK", "DPRK": "PRK", "Iran": "IRN", "Syria": "SYR",
        "Vietnam": "VNM", "Taiwan": "TWN", "Czechia": "CZE", "Czech Republic": "CZE",
        "Laos": "LAO", "Moldova": "MDA", "Bolivia": "BOL", "Venezuela": "VEN", "Tanzania": "TZA",
        "Norway": "NOR", "Oman": "OMN", "India": "IND", "Ukrainian": "UKR",
    }
    wrong = {f: (countries.get(norm(f)), iso) for f, iso in expected.items() if countries.get(norm(f)) != iso}
    assert not wrong, f"surface form -> (got, expected): {wrong}"
    names = {r["iso3"]: r["name"] for r in tables["countries.tsv"]}
    assert names["RUS"] == "Russia" and names["TUR"] == "Turkey" and names["GBR"] == "United Kingdom"
    assert rows["UKR"]["capital"] == "Kyiv" and rows["ISR"]["capital"] == "Jerusalem"


def test_washington_is_a_place_and_the_us_capital(tables):
    places = lookup(tables, "places.tsv")
    rows = by_key(tables, "places.tsv")
    key = places[norm("Washington")]
    assert rows[key]["country_iso3"] == "USA"
    assert places[norm("Washington, D.C.")] == key
    # the state keeps a distinct name so "Washington" stays the capital
    assert places[norm("Washington State")] != key
    for form in ["Asia-Pacific", "Asia Pacific", "Gaza", "Gaza Strip", "West Bank", "Crimea",
                 "Donbas", "New England", "Missouri", "Tokyo", "Middle East"]:
        assert norm(form) in places, f"{form!r} not in places.tsv"
    assert places[norm("Asia-Pacific")] == places[norm("Asia Pacific")]
    assert places[norm("Gaza")] == places[norm("Gaza Strip")]


def test_titles_spot_checks(tables):
    titles = lookup(tables, "titles.tsv")
    rows = by_key(tables, "titles.tsv")
    assert rows["Prime Minister"]["leader"] == "1"
    assert rows["Prime Minister"]["kind"] == "head_of_government"
    assert titles[norm("PM")] == "Prime Minister" and titles[norm("Premier")] == "Prime Minister"
    for leader in ["President", "Chancellor", "King", "Queen", "Emperor", "Supreme Leader", "Secretary-General", "CEO", "Chair"]:
        assert rows[leader]["leader"] == "1", leader
    for follower in ["Vice President", "Foreign Minister", "Secretary of State", "Senator", "Ambassador",
                     "chief trade negotiator", "Trade Representative", "spokesperson", "General"]:
        assert rows[follower]["leader"] == "0", follower
    assert titles[norm("Defence Secretary")] == "Defense Secretary"
    assert titles[norm("spokesman")] == "spokesperson"
    assert titles[norm("Chairman")] == "Chair"


def test_organization_spot_checks(tables):
    orgs = lookup(tables, "organizations.tsv")
    expected = {
        "U.N.": "un", "UN": "un", "United Nations": "un", "G7": "g7", "G-7": "g7", "EU": "eu",
        "NATO": "nato", "WTO": "wto", "IMF": "imf", "DOJ": "doj", "Justice Department": "doj",
        "Department of Justice": "doj", "Nobel Committee": "nobel-committee", "Fed": "federal-reserve",
        "Kremlin": "kremlin", "White House": "white-house", "Pentagon": "pentagon", "Hamas": "hamas",
    }
    wrong = {f: (orgs.get(norm(f)), k) for f, k in expected.items() if orgs.get(norm(f)) != k}
    assert not wrong, f"surface form -> (got, expected): {wrong}"
    rows = by_key(tables, "organizations.tsv")
    assert rows["un"]["wikidata"] == "Q1065" and rows["nato"]["wikidata"] == "Q7184"


def test_company_spot_checks(tables):
    orgs = lookup(tables, "organizations.tsv")
    rows = by_key(tables, "organizations.tsv")
    # "Nexstar" is an alias of a company row, "Tegna" names a company row
    nexstar = orgs.get(norm("Nexstar"))
    assert nexstar is not None and "Nexstar" in split(rows[nexstar]["aliases"])
    assert rows[nexstar]["name"] == "Nexstar Media Group"
    tegna = orgs.get(norm("Tegna"))
    assert tegna is not None and rows[tegna]["name"] == "Tegna"
    # surnames and common words stay out; longer company names carry them
    for form in ["Ford", "Shell", "Target", "Gap", "Visa"]:
        assert norm(form) not in orgs, f"{form!r} should not be an organisation alias"
    assert orgs[norm("Ford Motor")] == orgs[norm("Ford Motor Company")]
    assert orgs[norm("Royal Dutch Shell")] == orgs[norm("Shell plc")]


def test_people_spot_checks(tables):
    people = lookup(tables, "people.tsv")
    rows = by_key(tables, "people.tsv")
    expected = {
        "Donald Trump": "donald-trump", "Trump": "donald-trump", "Ishiba": "shigeru-ishiba",
        "Shigeru Ishiba": "shigeru-ishiba", "Sanae Takaichi": "sanae-takaichi", "Ryosei Akazawa": "ryosei-akazawa",
        "Thorbjoern Jagland": "thorbjorn-jagland", "Thorbjørn Jagland": "thorbjorn-jagland",
        "Zelenskyy": "volodymyr-zelensky", "Erdoğan": "recep-tayyip-erdogan", "Xi": "xi-jinping",
        "Starmer": "keir-starmer", "Jonas Gahr Store": "jonas-gahr-store",
    }
    wrong = {f: (people.get(norm(f)), k) for f, k in expected.items() if people.get(norm(f)) != k}
    assert not wrong, f"surface form -> (got, expected): {wrong}"
    trump = rows["donald-trump"]
    assert (trump["country_iso3"], trump["title"], trump["wikidata"]) == ("USA", "President", "Q22686")
    assert rows["shigeru-ishiba"]["country_iso3"] == "JPN"
    assert rows["shigeru-ishiba"]["title"] == "Prime Minister"
    assert rows["antonio-guterres"]["country_iso3"] == ""
    assert rows["vladimir-putin"]["wikidata"] == "Q7747"


# ---------------------------------------------------------------- mention cues

CUE_KINDS = {"group", "particle", "honorific", "place_before", "not_place", "place_after", "collective"}
COLLECTIVE_TYPES = {"State", "Body", "Group"}


def test_mention_cues_format():
    text = (DATA / "mention_cues.tsv").read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert rows[0] == ["cue", "kind", "type"]
    body = rows[1:]
    assert all(len(r) == 3 for r in body), [r for r in body if len(r) != 3]
    assert all(r[0] == r[0].strip() and r[0] for r in body)
    assert {r[1] for r in body} <= CUE_KINDS
    for cue, kind, kind_type in body:
        if kind == "collective":
            assert kind_type in COLLECTIVE_TYPES, (cue, kind, kind_type)
        else:
            assert kind_type in (("", "Collective") if kind == "group" else ("",)), (cue, kind, kind_type)
    pairs = [(r[1], r[0]) for r in body]
    assert len(pairs) == len(set(pairs)), "repeated cue"
    assert pairs == sorted(pairs, key=lambda p: (p[0], p[1].lower(), p[1])), "rows are not sorted by kind, then cue"
