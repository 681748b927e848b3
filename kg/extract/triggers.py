"""Which words of a doc signal events, and in which sense.

Two layers, the lexicon over the dictionary: a word's frames in kg/data/lexicon.toml are
tried first (those with conditions before the general ones); a verb none of them reads is
read by the CAMEO dictionary (kg/extract/cameo.py), whose code names the event class. Words
of several tokens ("phone call", "cease-fire") are found by their lemmas with spaCy's
PhraseMatcher, and their frames come before those of their last word alone.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract import cameo
from kg.extract.arguments import Actors
from kg.extract.lexicon import Frame, Lexicon
from kg.extract.paths import Parse, compile_path

VERB_POS, NOUN_POS = "VERB", ("NOUN", "PROPN")
NAMED = frozenset({"ORG", "EVENT", "FAC", "WORK_OF_ART", "LAW", "PRODUCT"})
TIMES = frozenset({"DATE", "TIME"})


@dataclass(frozen=True)
class Candidate:
    """A word that may trigger events, with the frames to try in order."""

    i: int
    frames: tuple[Frame, ...]


class TriggerFinder:
    """Finds candidate triggers in a doc; built once per pipeline (the Matcher needs its vocab)."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon, dictionary: cameo.Dictionary) -> None:
        self.lexicon = lexicon
        self.dictionary = dictionary
        self.frames: dict[tuple, Frame | None] = {}
        self.matcher = PhraseMatcher(vocab, attr="LEMMA")
        self.phrases: dict[str, tuple[tuple[str, ...], ...]] = {}
        for words in sorted({words for words, _ in lexicon.by_phrase}):
            name = "kg_phrase " + " ".join(words)
            self.phrases[name] = words
            self.matcher.add(name, [Doc(vocab, words=list(words), lemmas=list(words))])

    def candidates(self, doc: Doc, parse: Parse, actors: Actors) -> Iterator[Candidate]:
        """Each word with frames to try, in text order: the lexicon's, then the dictionary's."""
        phrased: dict[int, list[Frame]] = {}
        for match_id, start, end in self.matcher(doc):
            words = self.phrases[doc.vocab.strings[match_id]]
            # a verb and its particle hang from the verb ("stepped down"); a compound noun from
            # its last word ("hunger strike")
            head = start if parse.pos[start] == VERB_POS else end - 1
            phrased.setdefault(head, []).extend(self.lexicon.by_phrase.get((words, _pos(parse.pos[head])), ()))
        own: dict[int, list[Frame]] = {}
        for i in range(len(parse)):
            pos = _pos(parse.pos[i])
            if pos is None or (parse.pos[i] == "PROPN" and parse.ent[i] in NAMED | TIMES):
                continue  # "the Manama Dialogue", "the Peace Summit Foundation": a name; "in March": a date
            frames = list(phrased.get(i, ()))
            for key in dict.fromkeys((parse.lemma[i], parse.lower[i])):
                frames += [f for f in self.lexicon.by_lemma.get((key, pos), ()) if f not in frames]
            if frames:
                own[i] = frames
        for i in range(len(parse)):
            frames = own.get(i, ())
            fitting = [f for f in frames if _fits(f, i, actors)]
            vetoed = any(_vetoed(f, i, actors) for f in frames)  # the lexicon said no: "helped negotiate"
            if _pos(parse.pos[i]) == VERB_POS and not vetoed and not any(o in own for o in parse.kids(i, ("dobj", "nsubjpass"))):
                fitting += self._dictionary_frames(i, parse, actors)  # "called off the meeting": the meeting's
            if fitting:
                yield Candidate(i, tuple(fitting))

    def _dictionary_frames(self, i: int, parse: Parse, actors: Actors) -> list[Frame]:
        lemma = parse.lemma[i]
        if not self.lexicon.cameo.enabled or lemma in self.lexicon.cameo.exclude or lemma in self.lexicon.attribution:
            return []  # verbs of saying are read by attribution ("announced measures", "revealed")
        reading = self.dictionary.read(i, parse)
        if reading is None or reading.verb in self.lexicon.cameo.exclude_phrases:
            return []
        code, reverse = reading.code, reading.reverse
        if reading.size == 0 and (not (reading.own or self.lexicon.cameo.block_defaults)
                                   or not _default_applies(i, parse, actors)):
            return []
        key = (code or reverse, code is None and reverse is not None, reading.target_preps, reading.size > 0)
        if key not in self.frames:
            self.frames[key] = dictionary_frame(self.lexicon, key[0], reversed_roles=key[1], target_preps=key[2],
                                                specific=key[3])
        frame = self.frames[key]
        return [replace(frame, rule=reading.rule)] if frame is not None else []


def _pos(tag: str) -> str | None:
    return VERB_POS if tag == VERB_POS else "NOUN" if tag in NOUN_POS else None


def _fits(frame: Frame, i: int, actors: Actors) -> bool:
    """Every condition group of the frame reaches a word, and none of its vetoes does."""
    return not _vetoed(frame, i, actors) and all(actors.reaches(i, group) for group in frame.when)


def _vetoed(frame: Frame, i: int, actors: Actors) -> bool:
    return actors.reaches(i, frame.unless)


def _default_applies(i: int, parse: Parse, actors: Actors) -> bool:
    """A verb's default code holds for an intransitive use or an actor as object ("Russia
    attacked Ukraine"), not for an object no pattern knows ("issued warrants")."""
    objects = parse.kids(i, ("dobj", "nsubjpass"))
    return not objects or any(actors.named_at(o) for o in objects)


def dictionary_frame(lexicon: Lexicon, code: str | None, *, reversed_roles: bool, target_preps: frozenset[str],
                     specific: bool) -> Frame | None:
    """The frame for a CAMEO code: its class, the lexicon's default paths for verbs (the
    target first where the pattern puts it), and the dictionary's confidence."""
    if code is None or code.startswith(lexicon.cameo.skip):
        return None
    event = lexicon.classes.of_code(code)
    if event is None:
        return None
    defaults = lexicon.defaults["VERB"]
    agent, target = defaults["agent"], defaults["target"]
    if target_preps:
        target = ((compile_path(f"prep:{'|'.join(sorted(target_preps))}>pobj"),), *target)
    if reversed_roles:  # "X faces charges": someone accuses X
        agent, target = ((compile_path("agent>pobj"),), (compile_path("prep:from>pobj"),)), agent
    elif code in lexicon.cameo.swap:  # "X hosted Y": Y's visit to X
        agent, target = target, agent
    # last, the subject of what the verb says: "alleged that France was aware"
    target = (*target, (compile_path("ccomp>nsubj"),))
    paths = {**defaults, "agent": agent, "target": target}
    paths.pop("fallback_target", None)
    confidence = lexicon.cameo.confidence if specific else lexicon.cameo.default_confidence
    return Frame(rule=f"cameo.{code}", lemmas=(), phrases=(), pos="VERB", event=event, paths=paths,
                 dyadic=lexicon.cameo.dyadic, confidence=confidence)
