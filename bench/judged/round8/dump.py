"""Run kg (the 3dcb40c export on PYTHONPATH) on the round-8 stories and write its output as TSV.

kg_events.tsv, kg_links.tsv and kg_roles.tsv: entity names, not keys; no evidence sentences.
The one column with story wording is `content`, what a Statement says (kg keeps up to 300
characters). Usage: PYTHONPATH=kg-3dcb40c /work/main/.venv/bin/python dump.py
"""
from __future__ import annotations

import csv
from pathlib import Path

import kg
from kg.extract import Extractor, nlp
from kg.model import Article

HERE = Path(__file__).resolve().parent
EVENT_COLUMNS = ["story", "url", "n", "event", "type", "verb", "agents", "targets", "participants", "objects",
                 "modality", "reported_by", "trigger", "rule", "in_title", "content"]


def clean(text: str | None) -> str:
    """A TSV cell: no tabs or newlines."""
    return " ".join((text or "").split())


def cell_text(text: str) -> str:
    """A cell as written: tabs and line breaks become spaces."""
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def stories() -> list[tuple[str, str, str, str, str]]:
    """(id, url, date, headline, body) of each story in manifest order."""
    rows = list(csv.DictReader(open(HERE / "manifest.tsv", encoding="utf-8"), delimiter="\t"))
    out = []
    for row in rows:
        lines = (HERE / "stories" / f"{row['id']}.txt").read_text(encoding="utf-8").split("\n")
        headline, body = lines[0].strip(), "\n".join(lines[1:]).strip()
        out.append((row["id"], row["url"], row["date"], headline, body))
    return out


def namer(extraction):
    """Entity or thing key -> its name."""
    names = {e.key: e.name for e in extraction.entities}
    names.update({t.key: t.name for t in extraction.things})
    return lambda keys: ", ".join(names.get(k, k) for k in keys)


def event_row(story: str, url: str, n: int, event, names) -> list[str]:
    """One row of kg_events.tsv."""
    kind = f"Action/{event.lemma}" if event.type == "Action" else event.type
    extra = f" : {names(event.objects)}" if event.objects else ""
    extra += f" + {names(event.participants)}" if event.participants else ""
    line = f"{kind}({names(event.agents)} -> {names(event.targets)}{extra}) [{event.modality}] '{event.trigger}'"
    ev = event.evidence
    return [story, url, str(n), line, event.type, event.lemma or "", names(event.agents), names(event.targets),
            names(event.participants), names(event.objects), event.modality, names(event.reported_by),
            event.trigger, ev.rule if ev else "", str(ev.in_title if ev else False), clean(event.content)]


def main() -> None:
    print("kg from", kg.__file__)
    items = stories()
    articles = [Article(id=sid, text=body, title=headline, published=date, headline=False)
                for sid, _url, date, headline, body in items]
    extractor = Extractor(nlp.load(None))
    events, links, roles = [EVENT_COLUMNS], [["story", "url", "n", "relation", "subject", "object", "rule"]], \
        [["story", "n", "person", "title", "of", "rule"]]
    for (sid, url, *_rest), extraction in zip(items, extractor.extract_many(articles)):
        names = namer(extraction)
        for n, event in enumerate(extraction.events, 1):
            events.append(event_row(sid, url, n, event, names))
        for n, link in enumerate(extraction.links, 1):
            links.append([sid, url, str(n), link.relation, names([link.subject]), names([link.object]),
                          link.evidence.rule])
        for n, role in enumerate(extraction.roles, 1):
            roles.append([sid, str(n), names([role.person]), role.title, names([role.of]) if role.of else "",
                          role.evidence.rule])
    for name, rows in (("kg_events.tsv", events), ("kg_links.tsv", links), ("kg_roles.tsv", roles)):
        (HERE / name).write_text("".join("\t".join(cell_text(cell) for cell in row) + "\n" for row in rows), encoding="utf-8")
        print(name, len(rows) - 1, "rows")


if __name__ == "__main__":
    main()
