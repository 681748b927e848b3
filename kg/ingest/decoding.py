"""Bytes -> text: byte-order marks, declared charsets, UTF-8, Windows-1252, detection, mojibake repair.

No spaCy, no rdflib. Binary data and bytes no plausible encoding explains are refused with
an InputError naming the reason.
"""
from __future__ import annotations

import codecs
import re
from functools import cache

from kg.errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
SAMPLE = 8192
MAX_CONTROL_RATIO = 0.05
MAX_ACCENTED_RATIO = 0.3  # Western text decoded as Windows-1252 is mostly plain ASCII letters
MIN_COHERENCE = 0.2  # charset-normalizer guesses below this are noise on short texts
DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode(data: bytes, *, declared: str | None = None, fix: bool = True) -> str:
    """Text from bytes; `declared` is a charset named by an HTTP header, if any.

    Tried in order: a byte-order mark, UTF-16 without one, the declared charset (or one named
    in the first bytes, as HTML and XML do), UTF-8, Windows-1252 for Western text, then
    charset-normalizer's guess when it is confident. Mojibake is repaired with ftfy unless
    `fix` is false (JSON: repair would turn a U+2028 inside a string into a raw line break,
    so each value is repaired after parsing instead).
    """
    text = _decode(data, declared=declared or declared_charset(data))
    if _control_ratio(text) > MAX_CONTROL_RATIO:
        raise InputError("binary data, not text")
    return repair(text) if fix else text


def decode_line(data: bytes) -> str:
    """One line of a JSON Lines or CSV file as text, unrepaired: UTF-8, else Windows-1252 for
    Western text, else a confident guess (no charset is looked for in a line's content)."""
    text = _decode(data, declared=None)
    if _control_ratio(text) > MAX_CONTROL_RATIO:
        raise InputError("binary data, not text")
    return text


def repair(text: str) -> str:
    """Text with mojibake ("Japanâ€™s") and stray control characters fixed."""
    import ftfy

    return ftfy.fix_text(text, config=_repair_config())


@cache
def _repair_config():
    """ftfy's fixes for mojibake, keeping the typography and characters the source chose."""
    import ftfy  # imported on first use: kg starts faster

    return ftfy.TextFixerConfig(unescape_html=False, uncurl_quotes=False, fix_character_width=False,
                                fix_latin_ligatures=False)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML <meta> or an XML declaration names in the first bytes, if a known one."""
    match = DECLARED.search(data[:2048])
    return match.group(1).decode("ascii") if match and _known(match.group(1).decode("ascii")) else None


def _decode(data: bytes, *, declared: str | None) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data, encoding) or _refuse(f"not valid {encoding.upper()} text after its byte-order mark")
    wide = _utf16_without_bom(data[:SAMPLE])
    if wide:
        return _strict(data, wide) or _refuse("binary data, not text")
    if b"\x00" in data[:SAMPLE]:
        raise InputError("binary data, not text")
    if declared and _known(declared):
        text = _strict(data, declared)
        if text is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        first_bad = err.start
    text = _strict(data, "cp1252")
    if text is not None and _looks_western(text):
        return text
    return _guess(data) or _refuse(f"not valid UTF-8 text (byte {first_bad}), and no other encoding fits")


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _refuse(reason: str) -> str:
    raise InputError(reason)


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str | None:
    """utf-16-le/-be when every other byte is NUL, as in ASCII-range text written as UTF-16."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _looks_western(text: str) -> bool:
    letters = [ch for ch in text[:SAMPLE] if ch.isalpha()]
    accented = sum(1 for ch in letters if ord(ch) > 127)
    return bool(letters) and accented / len(letters) <= MAX_ACCENTED_RATIO


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only for text that is neither UTF-8 nor Western

    best = from_bytes(data[: SAMPLE * 8]).best()
    if best is None or best.coherence < MIN_COHERENCE:
        return None
    return _strict(data, best.encoding)


def _control_ratio(text: str) -> float:
    sample = text[:SAMPLE]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(len(sample), 1)
