"""The relation lexicon (kg/data/lexicon.toml): trigger frames, argument constraints and the
word lists of modality and attribution, validated when loaded.

An unknown key, a path that cannot be read, an event class or constraint type the ontology
does not define, or a word the engine could never match is a LexiconError naming the entry.
Words of several tokens ("phone call", "cease-fire", "call off") are kept as phrases, which
the engine matches with spaCy's Matcher (triggers) or by a governor's particle (modality).
The records it makes are kg.extract.frames'.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from functools import cache
from importlib import resources
from pathlib import Path as FilePath

from kg.errors import KGError
from kg.extract import classes as event_classes
from kg.extract.frames import (
    Attribution, CameoSettings, Constraint, Frame, Governor, Lexicon, Modality, OpenSettings, PathGroups,
)
from kg.extract.paths import Grammar, Path, PathError, compile_path

ARGUMENTS = ("agent", "target", "participant", "topic", "place", "during", "goods", "content")
FALLBACKS = {"target": "fallback_target"}  # argument -> default paths tried after the frame's own
POS = ("VERB", "NOUN")
ACTOR_TYPES = ("Person", "Country", "Organization", "Group")
ENTITY_TYPES = (*ACTOR_TYPES, "Location")
REQUIREMENTS = ("agent", "target", "counterpart", "payer")
WORD = re.compile(r"[a-z'][a-z'.]*")
TRIGGER_KEYS = frozenset({
    "rule", "lemmas", "pos", "event", "shortcut", "symmetric", *ARGUMENTS, "objects", "complement_aux",
    "governors", "subjects", "clauses", "when", "unless", "represents", "target_from_topic", "absorbs",
    "place_targets", "requires_target", "target_types", "confidence"})
FLAGS = ("statement", "named_parties", "about")  # the [classes] keys that are true or false
CLASS_KEYS = frozenset({"agent", "target", "requires", *FLAGS})


SECTIONS = {  # each section's keys: the fields of its record, and the grammar's words
    "version": None, "defaults": None, "trigger": None, "classes": None,
    "actors": {"nouns", "led"}, "groups": {"nouns", "quantities", "weapons"}, "topics": {"generic", "transparent"},
    "modality": {f.name for f in fields(Modality)} | {"light_verbs", "container_nouns", "deadline_verbs"},
    "attribution": {f.name for f in fields(Attribution)},
    "cameo": {"enabled", "confidence", "default_confidence", "block_defaults", "dyadic", "skip", "swap", "exclude"},
    "open": {"enabled", "confidence", "stop", "things", "prepositions", "nouns"},
}


class LexiconError(KGError):
    """The lexicon cannot be used as written; the message names the entry and the fix."""


def parse(data: dict, *, source: str = "lexicon.toml") -> Lexicon:
    """A Lexicon from the parsed TOML; LexiconError names what cannot be used."""
    _check_sections(data, source)
    classes = event_classes.load()
    defaults = {pos: _arguments(data.get("defaults", {}).get(pos, {}), f"{source} [defaults.{pos}]", defaults=None)
                for pos in POS}
    frames = tuple(_frame(raw, defaults, classes, source) for raw in data["trigger"])
    _check_unique(frames, source)
    mod = data["modality"]
    modality = Modality(**{f.name: (_governors if f.name.endswith("_governors") else _words)(mod, f.name, source)
                           for f in fields(Modality)})
    grammar = Grammar(**{k: _words(mod, k, source) for k in ("light_verbs", "container_nouns", "deadline_verbs")},
                      governing_verbs=frozenset(g.lemma for g in modality.governors))
    return Lexicon(
        version=str(data["version"]), frames=frames, defaults=defaults, classes=classes,
        constraints=_constraints(data.get("classes", {}), classes, source),
        modality=modality,
        attribution=Attribution(**{f.name: _words(data["attribution"], f.name, source) for f in fields(Attribution)}),
        cameo=_cameo(data["cameo"], classes, source),
        open=_open(data["open"], source),
        grammar=grammar,
        actor_nouns=_words(data["actors"], "nouns", source),
        led_nouns=_among_nouns(data["actors"], "actors", "led", source),
        group_nouns=_words(data["groups"], "nouns", source),
        quantity_nouns=_words(data["groups"], "quantities", source),
        weapon_nouns=_among_nouns(data["groups"], "groups", "weapons", source),
        generic_topics=_words(data["topics"], "generic", source),
        transparent_topics=_words(data["topics"], "transparent", source),
        by_lemma=_index(frames, phrases=False),
        by_phrase=_index(frames, phrases=True),
    )


def _check_sections(data: dict, source: str) -> None:
    for section, value in data.items():
        if section not in SECTIONS:
            raise LexiconError(f"{source}: unknown section [{section}] (known: {', '.join(SECTIONS)})")
        keys = SECTIONS[section]
        if keys is not None:
            unknown = set(value) - keys
            if unknown:
                raise LexiconError(f"{source} [{section}]: unknown key {sorted(unknown)[0]!r} "
                                   f"(known: {', '.join(sorted(keys))})")
            missing = keys - set(value) - {"wish_governors", "denying", "exclude"}
            if missing:
                raise LexiconError(f"{source} [{section}]: missing {sorted(missing)[0]!r}")
    for required in ("version", "trigger", "modality", "attribution", "cameo", "open", "actors", "groups", "topics"):
        if required not in data:
            raise LexiconError(f"{source}: missing section [{required}]")


def _frame(raw: dict, defaults: dict[str, dict[str, PathGroups]], classes: event_classes.EventClasses,
           source: str) -> Frame:
    rule = raw.get("rule")
    where = f"{source}: trigger {rule or '(no rule)'}"
    if not rule:
        raise LexiconError(f"{where}: every trigger needs a rule id")
    unknown = set(raw) - TRIGGER_KEYS
    if unknown:
        raise LexiconError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(TRIGGER_KEYS))})")
    for key in ("lemmas", "pos", "event"):
        if key not in raw:
            raise LexiconError(f"{where}: missing {key!r}")
    pos = raw["pos"]
    if pos not in POS:
        raise LexiconError(f"{where}: pos {pos!r} is not one of {', '.join(POS)}")
    if raw["event"] not in classes:
        raise LexiconError(f"{where}: {raw['event']!r} is no event class of ontology/kg.ttl")
    lemmas, phrases = [], []
    for lemma in raw["lemmas"]:
        words = _phrase(lemma, where)
        (lemmas if len(words) == 1 else phrases).append(words[0] if len(words) == 1 else words)
    try:
        paths = _arguments(raw, where, defaults=defaults[pos])
        when, unless = _conditions(raw, where)
        absorbs = tuple(compile_path(p) for p in raw.get("absorbs", ()))
    except PathError as err:
        raise LexiconError(f"{where}: {err}") from None
    return Frame(
        rule=rule, lemmas=tuple(lemmas), phrases=tuple(phrases), pos=pos, event=raw["event"], paths=paths,
        shortcut=raw.get("shortcut"), symmetric=raw.get("symmetric", False), when=when, unless=unless,
        represents=raw.get("represents", False), target_from_topic=raw.get("target_from_topic", False),
        absorbs=absorbs, place_targets=raw.get("place_targets", False),
        requires_target=raw.get("requires_target", False), target_types=_types(raw.get("target_types", []), where),
        confidence=float(raw.get("confidence", 0.7)),
    )


def _types(types: list[str], where: str) -> frozenset[str]:
    bad = [t for t in types if t not in ENTITY_TYPES]
    if bad:
        raise LexiconError(f"{where}: target_types {bad[0]!r} is no entity type ({', '.join(ENTITY_TYPES)})")
    return frozenset(types)


def _phrase(lemma: str, where: str) -> tuple[str, ...]:
    """The words of a lemma: "phone call" -> (phone, call); "cease-fire" -> (cease, -, fire)."""
    words = tuple(w for part in lemma.split() for w in re.split(r"(-)", part) if w)
    if not words or any(w != "-" and not WORD.fullmatch(w) for w in words) or words[0] == "-" or words[-1] == "-":
        raise LexiconError(f"{where}: {lemma!r} cannot be matched: lower-case words, spaces or hyphens between them")
    return words


def _arguments(raw: dict, where: str, *, defaults: dict[str, PathGroups] | None) -> dict[str, PathGroups]:
    out: dict[str, PathGroups] = {}
    for arg in ARGUMENTS:
        try:
            own = tuple(_group(text) for text in raw[arg]) if arg in raw else None
            if defaults is None:  # reading [defaults]: fallbacks are kept apart
                out[arg] = own or ()
                fallback = FALLBACKS.get(arg)
                if fallback and fallback in raw:
                    out[fallback] = tuple(_group(text) for text in raw[fallback])
                continue
            out[arg] = (own if own is not None else defaults[arg]) + defaults.get(FALLBACKS.get(arg, ""), ())
        except PathError as err:
            raise LexiconError(f"{where}: {err}") from None
    return out


def _group(text: str) -> tuple[Path, ...]:
    return tuple(compile_path(part) for part in text.split("+"))


def _conditions(raw: dict, where: str) -> tuple[tuple[tuple[Path, ...], ...], tuple[Path, ...]]:
    """The frame's conditions as groups of paths: `objects`, `governors`, `subjects` and
    `complement_aux` are shorthands for paths (see lexicon.toml's header)."""
    groups: list[list[str]] = []
    if "objects" in raw:
        words = "|".join(_checked_words(raw["objects"], "objects", where))
        # through "of", once or twice ("thousands of tons of aid"), a participle, a light verb
        groups.append([f"{dep}{via}:{words}" for via in ("", ">compound") for dep in (
            "dobj", "prep", "attr", "nsubjpass", "dobj>prep:of>pobj", "dobj>prep:of>pobj>prep:of>pobj", "done>prep", "^prep")])
    if "governors" in raw:
        groups.append([f"<*:{'|'.join(_checked_words(raw['governors'], 'governors', where))}"])
    if "subjects" in raw:
        words = "|".join(_checked_words(raw["subjects"], "subjects", where))
        groups.append([f"nsubj:{words}", f"nsubj>conj:{words}", f"agent>pobj:{words}", f"agent>pobj>conj:{words}",
                       f"subject:{words}"])
    if "complement_aux" in raw:
        words = "|".join(_checked_words(raw["complement_aux"], "complement_aux", where))
        groups.append([f"ccomp>aux:{words}", f"xcomp>aux:{words}"])
    clauses = raw.get("clauses", [])
    wanted = [c for c in clauses if not c.startswith("!")]
    if wanted:
        groups.append(wanted)
    for condition in raw.get("when", []):
        groups.append([condition] if isinstance(condition, str) else list(condition))
    unless = [c[1:] for c in clauses if c.startswith("!")] + list(raw.get("unless", []))
    return (tuple(tuple(compile_path(p) for p in g) for g in groups), tuple(compile_path(p) for p in unless))


def _checked_words(words: list[str], key: str, where: str) -> list[str]:
    for word in words:
        if not WORD.fullmatch(word):
            raise LexiconError(f"{where}: {key} entry {word!r} cannot be matched: one lower-case word")
    return words


def _among_nouns(section: dict, name: str, key: str, source: str) -> frozenset[str]:
    """A list of a section's nouns of one kind ([actors] led: those that act for their leader
    too; [groups] weapons: those that name no actor alone), each of them among its nouns."""
    words = _words(section, key, source)
    stray = sorted(words - _words(section, "nouns", source))
    if stray:
        raise LexiconError(f"{source}: [{name}] {key} entries {stray} are not among [{name}] nouns")
    return words


def _words(section: dict, key: str, source: str) -> frozenset[str]:
    words = section.get(key, [])
    for word in words:
        if not isinstance(word, str) or not WORD.fullmatch(word):
            raise LexiconError(f"{source}: {key} entry {word!r} cannot be matched: one lower-case word "
                               "(phrases are allowed only among governors)")
    return frozenset(words)


def _governors(section: dict, key: str, source: str) -> frozenset[Governor]:
    out = set()
    for entry in section.get(key, []):
        words = entry.split()
        if not 1 <= len(words) <= 2 or not all(WORD.fullmatch(w) for w in words):
            raise LexiconError(f"{source}: {key} entry {entry!r} cannot be matched: a word, or a verb and "
                               "its particle (\"call off\")")
        out.add(Governor(words[0], words[1] if len(words) == 2 else None))
    return frozenset(out)


def _constraints(raw: dict, classes: event_classes.EventClasses, source: str) -> dict[str, Constraint]:
    base = raw.get("Event")
    if base is None:
        raise LexiconError(f"{source} [classes]: an Event row is needed (what any event's agents and targets may be)")
    out: dict[str, Constraint] = {}
    for name, row in raw.items():
        where = f"{source} [classes] {name}"
        if name != "Event" and name not in classes:
            raise LexiconError(f"{where}: no such event class in ontology/kg.ttl")
        unknown = set(row) - CLASS_KEYS
        if unknown:
            raise LexiconError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(CLASS_KEYS))})")
        for key in ("agent", "target"):
            bad = [t for t in row.get(key, []) if t not in ENTITY_TYPES]
            if bad:
                raise LexiconError(f"{where}: {bad[0]!r} is no entity type ({', '.join(ENTITY_TYPES)})")
        requires = row.get("requires", [])
        requires = [requires] if isinstance(requires, str) else requires
        bad = [r for r in requires if r not in REQUIREMENTS]
        if bad:
            raise LexiconError(f"{where}: requires {bad[0]!r}: one or more of {', '.join(REQUIREMENTS)}")
        out[name] = Constraint(agent=frozenset(row.get("agent", base.get("agent", ACTOR_TYPES))),
                               target=frozenset(row.get("target", base.get("target", ACTOR_TYPES))),
                               requires=frozenset(requires), **{k: bool(row.get(k, False)) for k in FLAGS})
    return out


def _cameo(raw: dict, classes: event_classes.EventClasses, source: str) -> CameoSettings:
    codes = [*raw["skip"], *raw["swap"]]
    bad = [c for c in codes if not str(c).isdigit()]
    if bad:
        raise LexiconError(f"{source} [cameo]: {bad[0]!r} is no CAMEO code")
    for key in ("enabled", "block_defaults", "dyadic"):
        if not isinstance(raw[key], bool):
            raise LexiconError(f"{source} [cameo]: {key} is true or false")
    words = [w for w in raw.get("exclude", []) if " " not in w]
    phrases = [w for w in raw.get("exclude", []) if " " in w]
    for phrase in phrases:
        if not all(WORD.fullmatch(w) for w in phrase.split()):
            raise LexiconError(f"{source} [cameo]: exclude entry {phrase!r} cannot be matched: lower-case words")
    return CameoSettings(enabled=raw["enabled"], confidence=float(raw["confidence"]), default_confidence=float(raw["default_confidence"]),
                         block_defaults=raw["block_defaults"], dyadic=raw["dyadic"], skip=tuple(raw["skip"]), swap=frozenset(raw["swap"]),
                         exclude=_words({"exclude": words}, "exclude", source), exclude_phrases=frozenset(phrases))


def _open(raw: dict, source: str) -> OpenSettings:
    if not isinstance(raw["enabled"], bool):
        raise LexiconError(f"{source} [open]: enabled is true or false")
    return OpenSettings(enabled=raw["enabled"], confidence=float(raw["confidence"]),
                        stop=_words(raw, "stop", source), things=_words(raw, "things", source),
                        prepositions=_words(raw, "prepositions", source), nouns=_noun_acts(raw.get("nouns", {}), source))


def _noun_acts(raw: dict, source: str) -> dict[str, str]:
    for noun, verb in raw.items():
        if not WORD.fullmatch(noun) or not isinstance(verb, str) or not WORD.fullmatch(verb):
            raise LexiconError(f"{source} [open.nouns]: {noun!r} = {verb!r}: a noun and the verb it stands for, one word each")
    return dict(raw)


def _check_unique(frames: tuple[Frame, ...], source: str) -> None:
    seen: set[str] = set()
    for frame in frames:
        if frame.rule in seen:
            raise LexiconError(f"{source}: rule id {frame.rule!r} is used twice")
        seen.add(frame.rule)


def _index(frames: tuple[Frame, ...], *, phrases: bool) -> dict:
    index: dict = {}
    for frame in frames:
        for key in (frame.phrases if phrases else frame.lemmas):
            index.setdefault((key, frame.pos), []).append(frame)
    # frames with a condition (an object, a governor) are tried before the general ones
    return {key: tuple(sorted(found, key=lambda f: not f.conditional)) for key, found in index.items()}


@cache
def load(path: str | None = None) -> Lexicon:
    """The shipped lexicon, or the one at `path`."""
    source = FilePath(path) if path else resources.files("kg.data").joinpath("lexicon.toml")
    with source.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as err:
            raise LexiconError(f"{path or 'lexicon.toml'}: {err}") from None
    return parse(data, source=str(path) if path else "lexicon.toml")
