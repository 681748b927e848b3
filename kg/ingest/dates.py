"""Publication dates as sources write them -> ISO 8601, never guessed.

"2025-05-23", "Fri, 23 May 2025 09:30:00 GMT" (RSS), "May 23, 2025" and "23/05/2025 09:30"
are read; a date without a day, month and year ("Friday", "2 hours ago") is not.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

XSD_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
XSD_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
# Only absolute dates with day, month and year: relative ones would be read against today.
DATEPARSER_SETTINGS = {
    "PARSERS": ["custom-formats", "absolute-time"],
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
}
# The languages dates are read in; naming them spares dateparser loading all 200 (seconds).
LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl"]
MAX_LENGTH = 64


def iso_published(value: str | None) -> str | None:
    """An ISO 8601 date (or date-time when the source gives the time), or None if unreadable."""
    if not value or not value.strip() or len(value) > MAX_LENGTH:
        return None
    value = value.strip()
    if XSD_DATE.fullmatch(value) and _valid_date(value):
        return value
    if XSD_DATETIME.fullmatch(value) and _valid_datetime(value):
        return value
    parsed = _rfc822(value) or _iso(value) or _dateparser(value)
    return _format(parsed) if parsed else None


def _valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _valid_datetime(value: str) -> bool:
    return _iso(value) is not None


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _rfc822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _dateparser(value: str) -> datetime | None:
    import dateparser  # slow to import: only when a date is not ISO or RFC 822

    try:
        return dateparser.parse(value, settings=DATEPARSER_SETTINGS, languages=LANGUAGES)
    except (ValueError, OverflowError, TypeError):
        return None


def _format(moment: datetime) -> str:
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0) and moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.isoformat()
