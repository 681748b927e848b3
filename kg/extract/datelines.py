"""Datelines ("CAIRO, Aug 21 (NNN-MENA) –", "WASHINGTON (Reuters) -", "(MENAFN)") and bylines
("By Jane Doe and John Roe, Reuters") masked out of a story before it is parsed: they are no
part of its first sentence, and their place, agency or writer is no actor of it.

The mask keeps every offset: the dateline's characters become spaces, so evidence spans still
point into the article's own text.
"""
from __future__ import annotations

import re

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
WORD = r"[A-Z][\w.'’-]*"
PLACE = rf"{WORD}(?:[ /]{WORD}){{0,3}}"
REGION = rf"(?:,\s*{WORD}(?: {WORD}){{0,2}})"
DATE = rf"(?:,?\s+{MONTH}\s+\d{{1,2}})"
AGENCY = r"(?:\s*\([^()\n]{2,40}\))"
DASH = r"\s*[-–—]+\s+"
DATELINE = re.compile(
    rf"""^[ \t]*(?:
        \([^()\n]{{2,40}}\)[ \t]+(?=[A-Z])                                  # "(MENAFN) South Korean ..."
      | {PLACE}{REGION}?(?:{DATE}{AGENCY}?|{AGENCY})(?:{DASH}|\s*:\s+)(?=[A-Z"“])   # "CAIRO, Aug 21 (MENA) –"
      | [A-Z][A-Z.'’-]+(?:[ /][A-Z][A-Z.'’-]+){{0,3}}{REGION}?(?:{DASH}|-\s*|:\s+)(?=[A-Z"“])  # "WASHINGTON —"
      | {PLACE}{REGION}[ \t]+[-–—]+[ \t]+(?=[A-Z"“])                       # "West Palm Beach, Florida - "
    )""",
    re.MULTILINE | re.VERBOSE,
)


NAME = r"[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}"
WHEN = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Then|Now|Noon"
BYLINE = re.compile(  # a whole line: "By Jane Doe", "By JANE DOE and John Roe, Reuters"
    rf"^[ \t]*By[ \t]+(?!(?:{WHEN})\b){NAME}(?:(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*){NAME})*"
    rf"(?:[ \t]*[,|–—-][ \t]*{NAME})?[ \t]*$",
    re.MULTILINE,
)


def mask_datelines(text: str) -> str:
    """`text` with the dateline that opens any of its paragraphs, and any line that is a
    byline, turned into spaces."""
    def blank(match: re.Match) -> str:
        return " " * len(match.group())

    return BYLINE.sub(blank, DATELINE.sub(blank, text))
