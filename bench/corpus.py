"""Synthetic political and economic news for benchmarks, built from kg's own data files.

Every article is made from the gazetteers and the relation lexicon in `kg/data/`: people
with their titles and countries ("Japanese Prime Minister Shigeru Ishiba", later "Ishiba"),
countries, demonyms and capitals, organisations, places, and event sentences whose trigger
words are drawn from the lexicon's own trigger lemmas (a rule missing from the lexicon drops
its sentences), mixed with sentences that state no fact (markets, quotes, background), as
real stories do. Nothing is downloaded; the same seed gives the same bytes.

Articles are JSON objects (title, text, url, published, source), one a line, in files of
`--per-file` articles (kg reads folders; a file stays well under kg's 20 MB input limit).

Run: python bench/corpus.py --articles 2000 --seed 1 -o /tmp/corpus
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg import gazetteer
from kg.extract import lexicon as lexicons

SOURCES = ("Global Wire", "The Daily Ledger", "Capital Times", "World Desk", "Harbor Post",
           "Meridian News", "The Continental", "Pacific Dispatch")
TOPICS = ("tariffs", "trade", "energy security", "regional security", "climate change", "migration",
          "nuclear proliferation", "food security", "critical minerals", "semiconductors", "debt relief",
          "shipping routes", "cybersecurity", "arms control", "humanitarian aid", "the war in Ukraine",
          "investment", "currency policy", "fishing rights", "border security")
GOODS = ("steel", "aluminium", "automobiles", "semiconductors", "solar panels", "soybeans", "rice",
         "pharmaceuticals", "electric vehicles", "lumber", "copper", "wine", "textiles", "machinery")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")
FIRST_NAMES = ("Maria", "James", "Amina", "Kenji", "Olga", "Carlos", "Priya", "Lars", "Fatima", "Tomasz",
               "Elena", "David", "Nadia", "Hiroshi", "Grace", "Samuel", "Ingrid", "Rafael", "Leila", "Marco")
LAST_NAMES = ("Alvarez", "Okafor", "Lindqvist", "Tanaka", "Kowalski", "Haddad", "Moreau", "Petrov",
              "Mensah", "Castillo", "Novak", "Rahman", "Schultz", "Ferreira", "Nakamura", "Osei",
              "Bianchi", "Duarte", "Kaplan", "Varga")
FORUMS = ("G7", "G20", "NATO", "ASEAN", "APEC", "BRICS", "European Union", "African Union", "Arab League")
OFFICIAL_TITLES = ("Foreign Minister", "Trade Minister", "Finance Minister", "Defense Minister",
                   "Energy Minister", "Ambassador", "special envoy", "Economy Minister")

# Past tenses the regular rules get wrong; every verb a template may use is covered.
IRREGULAR = {"speak": "spoke", "meet": "met", "sit": "sat", "fly": "flew", "strike": "struck",
             "seek": "sought", "hold": "held", "give": "gave", "send": "sent", "shoot": "shot",
             "ring": "rang", "take": "took", "ban": "banned", "slam": "slammed", "plan": "planned",
             "ship": "shipped", "commit": "committed", "chat": "chatted", "arm": "armed",
             "pardon": "pardoned", "rebuke": "rebuked", "condemn": "condemned", "telephone": "telephoned"}


def past(verb: str) -> str:
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def plural(noun: str) -> str:
    if noun.endswith(("s", "sh", "ch")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


@dataclass(frozen=True)
class Template:
    """A fact sentence: the lexicon rule it exercises, the trigger words it reads well with
    (kept only if the rule lists them), and its text. Slots: {V} the trigger (past tense
    for verbs; {Vbase} base form; {N} a noun trigger, {Ns} its plural), {P1} {P2} people,
    {C1} {C2} countries, {D1} {D2} their demonyms, {O} an organisation, {L} a place,
    {T} {T2} topics, {F} a summit forum, {G} goods, {DAY} a weekday, {K} a small number, {ORD} an ordinal."""

    rule: str
    words: tuple[str, ...]
    text: str


TEMPLATES = (
    Template("consult.speak", ("speak", "talk"), "{P1} {V} with {P2} for {K} minutes on {DAY}, addressing key topics including {T}, {T2} and {G} exports."),
    Template("consult.speak", ("speak", "talk", "confer"), "{P1} {V} with {P2} about {T} on {DAY}, officials in {L} said."),
    Template("consult.phone", ("phone", "telephone", "call"), "{P1} {V} {P2} on {DAY} to discuss {T}."),
    Template("consult.call_noun", ("call", "conversation"), "During a {N} on {DAY}, {P1} and {P2} discussed {T} and {T2}."),
    Template("consult.talks_noun", ("talk", "discussion"), "{D1} and {D2} officials held {Ns} on {T} in {L} on {DAY}."),
    Template("consult.meet", ("meet",), "{P1} {V} {P2} in {L} on {DAY} to discuss {T}."),
    Template("consult.meet", ("meet",), "{P1} will meet {P2} on the sidelines of the {F} summit next month."),
    Template("consult.meeting_noun", ("meeting",), "The two leaders expressed interest in holding an in-person {N} during the upcoming {F} summit."),
    Template("consult.visit", ("visit", "tour"), "{P1} {V} {C2} on {DAY}, the first such trip by a {D1} leader in {K} years."),
    Template("consult.visit", ("visit",), "{P2} is expected to visit {L} next week for talks on {T}."),
    Template("consult.visit_noun", ("visit", "trip"), "{P1} began a three-day {N} to {C2} on {DAY}."),
    Template("consult.negotiate", ("negotiate",), "{C1} {V} with {C2} for {K} days over {T} before a deal emerged."),
    Template("consult.negotiation_noun", ("negotiation",), "{P1} prepares to visit {L} for a {ORD} round of {Ns} aimed at eliminating {D2} tariffs on {G}."),
    Template("agree.sign", ("sign", "conclude", "seal"), "{C1} and {C2} {V} an agreement on {T} in {L} on {DAY}."),
    Template("agree.agree", ("agree",), "{P1} and {P2} {V} to expand cooperation on {T}."),
    Template("support.back", ("support", "back", "praise", "welcome", "defend"), "{P1} {V} {P2}'s proposal on {T} on {DAY}."),
    Template("support.endorse", ("endorse",), "{P1} {V} {P2} ahead of the election, citing progress on {T}."),
    Template("sanction.tariff_noun", ("tariff", "duty", "levy"), "{C1} imposed {K} percent {Ns} on {D2} {G} on {DAY}."),
    Template("sanction.tariff_noun", ("tariff",), "{P1} threatened new {Ns} on {G} from {C2}."),
    Template("sanction.sanction", ("sanction", "blacklist"), "{C1} {V} {K} {D2} companies over {T} on {DAY}."),
    Template("sanction.sanction_noun", ("sanction", "restriction"), "The {O} imposed {Ns} on {C2} over {T}."),
    Template("disapprove.criticize", ("criticize", "condemn", "denounce", "rebuke", "slam"), "{P1} {V} {C2} for its policy on {T}."),
    Template("threaten.threaten", ("threaten", "warn"), "{P1} {V} {C2} against any move on {T}."),
    Template("demand.demand", ("demand", "urge", "press"), "{P1} {V} {C2} to release the detained journalists."),
    Template("request.ask", ("urge", "ask", "invite"), "{P1} {V} {P2} to return to the table on {T}."),
    Template("reject.reject", ("reject", "dismiss"), "{P1} {V} {C2}'s proposal on {T} on {DAY}."),
    Template("accuse.accuse", ("accuse", "blame"), "{C1} {V} {C2} of violating the agreement on {T}."),
    Template("investigate.investigate", ("investigate", "probe"), "The {O} is investigating {C2} over its subsidies for {G}."),
    Template("investigate.probe_noun", ("probe", "investigation", "inquiry"), "{C1} opened an {N} into {D2} {G} imports on {DAY}."),
    Template("aid.give", ("send", "provide", "give"), "{C1} {V} aid worth ${K} billion to {C2} after the floods in {L}."),
    Template("cooperate.cooperate", ("cooperate", "collaborate", "partner"), "{C1} {V} with {C2} on {T}, officials said."),
    Template("protest.protest_noun", ("protest", "demonstration", "rally"), "Thousands joined a {N} in {L} on {DAY} against the government's stance on {T}."),
    Template("concede.ease", ("lift", "ease", "suspend"), "{C1} {V} tariffs on {D2} {G} on {DAY}."),
)

# Sentences that state no event of the codebook: markets, background, and quotes (a named
# speaker's quote is a kg:Statement).
FILLER = (
    "Markets in {L} rose {K} percent on the news, led by exporters of {G}.",
    "Analysts said the outcome would depend on progress on {T} in the coming weeks.",
    "The {D1} currency slipped against the dollar as investors weighed the risks.",
    "“We are ready to work with all partners who share our goals,” {S1} told reporters.",
    "Officials familiar with the matter spoke on condition of anonymity because the details were not public.",
    "Trade between the two countries reached ${K} billion last year, according to official figures.",
    "The issue of {T} has dominated the agenda since the start of the year.",
    "Shares of companies exposed to {G} fell sharply in early trading.",
    "Economists expect growth to slow to {K} percent next year.",
    "The government in {L} has faced mounting pressure at home over {T}.",
    "Diplomats in {L} described the atmosphere as constructive but cautious.",
    "“This is a matter of national interest,” {S2} said in a statement.",
    "Prices of {G} have climbed for {K} consecutive months.",
    "The opposition accused the government of mishandling the economy.",
    "Several ministers are due to travel to the region later this month.",
    "Critics say the measures could hurt consumers and small businesses.",
    "The central bank left interest rates unchanged at its last meeting.",
    "Details of the plan have not been made public.",
)


@dataclass(frozen=True)
class Person:
    name: str
    short: str
    title: str | None
    country: gazetteer.GazetteerEntry | None


class Corpus:
    """The cast (weighted so a few leaders and countries recur, as in real news) and the
    templates the lexicon supports."""

    def __init__(self) -> None:
        gaz = gazetteer.load()
        lex = lexicons.load()
        lemmas = {f.rule: set(f.lemmas) for f in lex.frames}
        self.templates = tuple(
            (t, tuple(w for w in t.words if w in lemmas[t.rule])) for t in TEMPLATES if t.rule in lemmas
        )
        self.templates = tuple((t, ws) for t, ws in self.templates if ws)
        by_key = gaz.by_key
        self.countries = [e for e in gaz.entries if e.type == "Country" and e.demonyms]
        self.orgs = [e for e in gaz.entries if e.type == "Organization"]
        self.places = [e for e in gaz.entries if e.type == "Location"]
        people = [e for e in gaz.entries if e.type == "Person" and e.country in by_key and by_key[e.country].demonyms]
        self.people = [Person(e.name, _short(e), e.title, by_key[e.country]) for e in people]
        # prominence: heads of state and government and big countries recur most
        self.people_weights = [5.0 if p.title in ("President", "Prime Minister") else 1.0 for p in self.people]
        count = {c.key: 0 for c in self.countries}
        for p in self.people:
            if p.country.key in count:
                count[p.country.key] += 1
        self.country_weights = [1.0 + 4.0 * count[c.key] for c in self.countries]
        self.forums = [e.name for e in self.orgs if e.name in FORUMS] or ["G7"]
        places = {(e.name, e.country): e for e in self.places}
        self.capital = {c.key: places[(c.capital, c.key)] for c in self.countries if (c.capital, c.key) in places}
        self.places_in = {}
        for place in self.places:
            self.places_in.setdefault(place.country, []).append(place)

    def articles(self, n: int, *, seed: int = 1) -> Iterator[dict[str, str]]:
        rnd = random.Random(seed)
        start = dt.date(2025, 1, 1)
        for i in range(n):
            yield self._article(rnd, i, start + dt.timedelta(days=rnd.randrange(365)))

    def _person(self, rnd: random.Random) -> Person:
        if rnd.random() < 0.2:  # officials the gazetteer does not know: resolution mints slugs
            country = rnd.choices(self.countries, self.country_weights)[0]
            name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
            return Person(name, name.split()[-1], rnd.choice(OFFICIAL_TITLES), country)
        return rnd.choices(self.people, self.people_weights)[0]

    def _article(self, rnd: random.Random, index: int, published: dt.date) -> dict[str, str]:
        p1 = self._person(rnd)
        p2 = self._person(rnd)
        while p2.name == p1.name:
            p2 = self._person(rnd)
        c1, c2 = p1.country, p2.country
        if c1.key == c2.key:
            c2 = rnd.choices(self.countries, self.country_weights)[0]
        capitals = [self.capital[c.key] for c in (c1, c2) if c.key in self.capital]
        where = capitals if capitals and rnd.random() < 0.7 else (
            self.places_in.get(c1.key) or self.places_in.get(c2.key) or self.places)
        slots = {
            "C1": _country(c1), "C2": _country(c2), "D1": c1.demonyms[0], "D2": c2.demonyms[0],
            "O": rnd.choice(self.orgs).name, "F": rnd.choice(self.forums), "L": rnd.choice(where).name,
            "T": rnd.choice(TOPICS), "T2": rnd.choice(TOPICS), "G": rnd.choice(GOODS),
            "DAY": WEEKDAYS[(published - dt.timedelta(days=rnd.randrange(4))).weekday()],
            "ORD": rnd.choice(ORDINALS), "S1": p1.short, "S2": p2.short,
        }
        mentioned: set[str] = set()

        def person(p: Person) -> str:
            if p.name in mentioned:
                return p.short
            mentioned.add(p.name)
            if p.title and p.country:
                return f"{p.country.demonyms[0]} {p.title} {p.name}"
            return p.name

        sentences = []
        for _ in range(rnd.randint(10, 22)):
            values = dict(slots, K=str(rnd.randint(2, 60)))
            if rnd.random() < 0.4:
                template, words = rnd.choice(self.templates)
                word = rnd.choice(words)
                values.update(V=past(word), Vbase=word, N=word, Ns=plural(word))
                text = template.text
            else:
                text = rnd.choice(FILLER)
            if rnd.random() < 0.5:  # either may lead
                values["P1"], values["P2"] = "{P2}", "{P1}"
                text = text.format_map(_Keep(values))
            names = {"P1": p1, "P2": p2}
            text = re.sub(r"\{(P[12])\}", lambda m: person(names[m.group(1)]), text)
            text = text.format_map(_Keep(values))
            sentences.append(text[0].upper() + text[1:])
        paragraphs, i = [], 0
        while i < len(sentences):
            size = rnd.randint(2, 4)
            paragraphs.append(" ".join(sentences[i : i + size]))
            i += size
        source = rnd.choice(SOURCES)
        topic = slots["T"]
        title = f"{_country(c1)} and {_country(c2)} at odds over {topic}" if rnd.random() < 0.5 else f"{p1.name} and {p2.name} discuss {topic}"
        return {
            "title": title[0].upper() + title[1:],
            "text": "\n\n".join(paragraphs),
            "url": f"https://news.example.org/{gazetteer.slug(source)}/{published.isoformat()}/{index:07d}",
            "published": published.isoformat(),
            "source": source,
        }


class _Keep(dict):
    """format_map that leaves unknown slots as they are (for the two-pass person swap)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _country(entry: gazetteer.GazetteerEntry) -> str:
    """A country as news writes it mid-sentence: "the United States", "Japan"."""
    name = entry.name
    if name.startswith(("United ", "Republic", "Democratic", "Central African", "Czech", "Dominican")) or " of " in name or name.endswith(("lands", "pines", "Islands", "Emirates", "Bahamas")):
        return "the " + name
    return name


def _short(entry: gazetteer.GazetteerEntry) -> str:
    """How later sentences name a known person: a one-word alias, else the last word."""
    single = [a for a in entry.aliases if " " not in a and a[0].isupper()]
    return single[0] if single else entry.name.split()[-1]


def generate(n: int, *, seed: int = 1) -> Iterator[dict[str, str]]:
    """`n` articles as JSON-ready dicts, the same for the same seed."""
    return Corpus().articles(n, seed=seed)


def write_corpus(folder: str | Path, n: int, *, seed: int = 1, per_file: int = 1000) -> list[Path]:
    """Write `n` articles as .jsonl files of `per_file` articles into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, handle = [], None
    for i, article in enumerate(generate(n, seed=seed)):
        if i % per_file == 0:
            if handle:
                handle.close()
            paths.append(folder / f"corpus-{len(paths):04d}.jsonl")
            handle = paths[-1].open("w", encoding="utf-8")
        handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    if handle:
        handle.close()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=1000)
    parser.add_argument("-o", "--output", default="corpus", help="folder to write the .jsonl files to")
    args = parser.parse_args()
    paths = write_corpus(args.output, args.articles, seed=args.seed, per_file=args.per_file)
    words = sum(len(json.loads(line)["text"].split()) for p in paths for line in p.open(encoding="utf-8"))
    print(f"{args.articles} articles, {words} words, in {len(paths)} file(s) under {args.output}")


if __name__ == "__main__":
    main()
