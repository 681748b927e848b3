"""Time expressions: durations ("45 minutes" -> PT45M) and dates relative to publication."""
from __future__ import annotations

import re
from datetime import date, timedelta

NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
ORDINALS = {w: n for n, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
)}
UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y"}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DURATION = re.compile(r"(?P<n>\d+(?:\.\d+)?|" + "|".join(NUMBERS) + r")[\s-]+(?P<unit>" + "|".join(UNITS) + r")s?\b", re.I)


def duration(text: str) -> str | None:
    """An xsd:duration for "45 minutes", "two hours", "three-day"; None if not a duration."""
    match = DURATION.search(text)
    if not match:
        return None
    raw, unit = match.group("n").lower(), match.group("unit").lower()
    amount = NUMBERS.get(raw, raw)
    code = UNITS[unit]
    return f"PT{amount}{code}" if unit in ("second", "minute", "hour") else f"P{amount}{code}"


def ordinal(text: str) -> int | None:
    """3 for "third" or "3rd"."""
    word = text.lower().strip()
    if word in ORDINALS:
        return ORDINALS[word]
    match = re.fullmatch(r"(\d{1,6})(st|nd|rd|th)", word)  # "the 5,000-digit-th" is no ordinal of a round or day
    return int(match.group(1)) if match else None


def resolve_date(text: str, published: str | None, *, future: bool = False) -> str | None:
    """An ISO date for a day named relative to the publication date, else None.

    "Friday" in a past-tense sentence is the last Friday on or before publication; in a
    planned event, the next one after it. Month or vaguer expressions stay unresolved.
    """
    anchor = _parse_iso(published)
    if anchor is None:
        return None
    word = text.lower().strip().removeprefix("on ").removeprefix("last ").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        return word
    if word in ("today", "this morning", "this afternoon", "tonight", "this evening"):
        return anchor.isoformat()
    if word == "yesterday":
        return (anchor - timedelta(days=1)).isoformat()
    if word == "tomorrow":
        return (anchor + timedelta(days=1)).isoformat()
    if word in WEEKDAYS:
        delta = (WEEKDAYS.index(word) - anchor.weekday()) % 7
        if future:
            return (anchor + timedelta(days=delta or 7)).isoformat()
        return (anchor - timedelta(days=(anchor.weekday() - WEEKDAYS.index(word)) % 7)).isoformat()
    return None


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
