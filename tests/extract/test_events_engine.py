"""The event engine's parts on hand-built parses: no model, so these never go stale when the
spaCy pipeline changes. Each Doc is written as (word, lemma, POS, dependency, head index)."""
from __future__ import annotations

import tomllib
from importlib import resources

import pytest
import spacy
from spacy.tokens import Doc

from kg.extract import cameo, lexicon as lexicons
from kg.extract import details
from kg.extract.factuality import factuality
from kg.extract.paths import Grammar, Parse, PathError, compile_path, follow

VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower case), no model
GRAMMAR = Grammar(light_verbs=frozenset({"hold", "impose"}), container_nouns=frozenset({"round"}))


def parse(*rows: tuple[str, str, str, str, int]) -> Parse:
    words, lemmas, pos, deps, heads = zip(*rows)
    tags = ["NNS" if p == "NOUN" and w.endswith("s") else "" for w, p in zip(words, pos)]
    return Parse.of(Doc(VOCAB, words=list(words), lemmas=list(lemmas), pos=list(pos), deps=list(deps),
                        heads=list(heads), tags=tags))


def at(p: Parse, word: str) -> int:
    return p.lower.index(word.lower())


def words(p: Parse, indices: list[int]) -> list[str]:
    return [p.lower[i] for i in indices]


# "Japan imposed sanctions on Russia unless it withdraws ."
SANCTIONS = parse(
    ("Japan", "Japan", "PROPN", "nsubj", 1), ("imposed", "impose", "VERB", "ROOT", 1),
    ("sanctions", "sanction", "NOUN", "dobj", 1), ("on", "on", "ADP", "prep", 1),
    ("Russia", "Russia", "PROPN", "pobj", 3), ("unless", "unless", "SCONJ", "mark", 7),
    ("it", "it", "PRON", "nsubj", 7), ("withdraws", "withdraw", "VERB", "advcl", 1), (".", ".", "PUNCT", "punct", 1),
)


@pytest.mark.parametrize(("path", "start", "reached"), [
    ("dobj", "imposed", ["sanctions"]),
    ("prep:on>pobj", "imposed", ["russia"]),
    ("prep:with|against>pobj", "imposed", []),
    ("*:sanction", "imposed", ["sanctions"]),
    ("<dobj", "sanctions", ["imposed"]),
    ("<nsubj", "sanctions", []),
    ("<dobj:impose", "sanctions", ["imposed"]),
    ("^prep:on>pobj", "sanctions", ["russia"]),  # the words around the verb of an object
    ("^prep:on>pobj", "Japan", []),  # never around the verb of a subject
    ("advcl@unless", "imposed", ["withdraws"]),
    ("advcl@if", "imposed", []),
    ("subject", "imposed", ["japan"]),
    ("subject", "sanctions", ["japan"]),  # a noun under a light verb takes its subject
    ("subject:japan", "imposed", ["japan"]),
    ("subject:china", "imposed", []),
])
def test_paths_follow(path, start, reached):
    assert words(SANCTIONS, follow(compile_path(path), at(SANCTIONS, start), SANCTIONS, GRAMMAR)) == reached


def test_paths_subject_climbs_complements_and_stops_at_passives():
    # "Iran refused to meet the envoy"
    refused = parse(("Iran", "Iran", "PROPN", "nsubj", 1), ("refused", "refuse", "VERB", "ROOT", 1),
                    ("to", "to", "PART", "aux", 3), ("meet", "meet", "VERB", "xcomp", 1),
                    ("the", "the", "DET", "det", 5), ("envoy", "envoy", "NOUN", "dobj", 3))
    assert words(refused, follow(compile_path("subject"), at(refused, "meet"), refused, GRAMMAR)) == ["iran"]
    # "The envoy was received by Iran": the passive trigger's doer is its "by" agent
    passive = parse(("The", "the", "DET", "det", 1), ("envoy", "envoy", "NOUN", "nsubjpass", 3),
                    ("was", "be", "AUX", "auxpass", 3), ("received", "receive", "VERB", "ROOT", 3),
                    ("by", "by", "ADP", "agent", 3), ("Iran", "Iran", "PROPN", "pobj", 4))
    assert follow(compile_path("subject"), at(passive, "received"), passive, GRAMMAR) == []
    assert words(passive, follow(compile_path("agent>pobj"), at(passive, "received"), passive, GRAMMAR)) == ["iran"]


@pytest.mark.parametrize("bad", ["", " dobj", "dobj>", "prep:>pobj", "advcl@", "pr#ep", "prep:with||to"])
def test_paths_refuse_what_they_cannot_read(bad):
    with pytest.raises(PathError):
        compile_path(bad)


def test_paths_are_compiled_once():
    assert compile_path("prep:with>pobj") is compile_path("prep:with>pobj")


# ---------------------------------------------------------------------------
# factuality, with the shipped lexicon's word lists

LEXICON = lexicons.load()


def modality(p: Parse, word: str) -> str:
    return factuality(at(p, word), p, LEXICON).modality


def verb_clause(subject: str, *before: tuple[str, str, str, str], verb=("met", "meet"), obj="Putin") -> Parse:
    """SUBJECT BEFORE... VERB OBJ ., BEFORE being auxiliaries or negations of the verb."""
    rows = [(subject, subject, "PROPN", "nsubj", 1 + len(before))]
    rows += [(w, lemma, pos, dep, 1 + len(before)) for w, lemma, pos, dep in before]
    verb_i = len(rows)
    rows += [(verb[0], verb[1], "VERB", "ROOT", verb_i), (obj, obj, "PROPN", "dobj", verb_i), (".", ".", "PUNCT", "punct", verb_i)]
    return parse(*rows)


@pytest.mark.parametrize(("before", "expected"), [
    ((), "happened"),
    ((("will", "will", "AUX", "aux"),), "planned"),
    ((("could", "could", "AUX", "aux"),), "hypothetical"),
    ((("did", "do", "AUX", "aux"), ("not", "not", "PART", "neg")), "negated"),
    ((("if", "if", "SCONJ", "mark"), ("did", "do", "AUX", "aux"), ("not", "not", "PART", "neg")), "hypothetical"),
    ((("reportedly", "reportedly", "ADV", "advmod"),), "reported"),  # hearsay: not vouched for
    ((("will", "will", "AUX", "aux"), ("reportedly", "reportedly", "ADV", "advmod")), "planned"),
])
def test_factuality_reads_the_verbs_own_cues(before, expected):
    assert modality(verb_clause("Trump", *before), "met") == expected


def governed(governor: str, lemma: str, *, particle: str | None = None, doer: str | None = None) -> Parse:
    """"Trump GOVERNOR [PARTICLE] [DOER] to meet Putin ." with meet as the governor's xcomp."""
    rows = [("Trump", "Trump", "PROPN", "nsubj", 1), (governor, lemma, "VERB", "ROOT", 1)]
    if particle:
        rows.append((particle, particle, "ADP", "prt", 1))
    meet = len(rows) + (1 if doer else 0) + 1
    if doer:
        rows.append((doer, doer, "PROPN", "nsubj", meet))
    rows += [("to", "to", "PART", "aux", meet), ("meet", "meet", "VERB", "ccomp" if doer else "xcomp", 1),
             ("Putin", "Putin", "PROPN", "dobj", meet), (".", ".", "PUNCT", "punct", 1)]
    return parse(*rows)


@pytest.mark.parametrize(("sentence", "expected"), [
    (governed("refused", "refuse"), "negated"),
    (governed("plans", "plan"), "planned"),
    (governed("considers", "consider"), "hypothetical"),
    (governed("wants", "want"), "planned"),  # Trump is to meet him: an intention
    (governed("wants", "want", doer="Obama"), "hypothetical"),  # a wish about someone else
])
def test_factuality_reads_what_governs_the_event(sentence, expected):
    assert modality(sentence, "meet") == expected


def test_factuality_an_infinitive_clause_is_as_what_governs_the_verb_above_it():
    # "Trump tried to get Putin to agree ." parsed with "agree" as a clause of "get"
    chain = parse(("Trump", "Trump", "PROPN", "nsubj", 1), ("tried", "try", "VERB", "ROOT", 1),
                  ("to", "to", "PART", "aux", 3), ("get", "get", "VERB", "xcomp", 1),
                  ("Putin", "Putin", "PROPN", "nsubj", 6), ("to", "to", "PART", "aux", 6),
                  ("agree", "agree", "VERB", "ccomp", 3), (".", ".", "PUNCT", "punct", 1))
    assert modality(chain, "agree") == "hypothetical"
    # a finite clause is not: "Trump tried hard and said Putin agreed" keeps the agreement
    finite = parse(("Trump", "Trump", "PROPN", "nsubj", 1), ("said", "say", "VERB", "ROOT", 1),
                   ("Putin", "Putin", "PROPN", "nsubj", 3), ("agreed", "agree", "VERB", "ccomp", 1),
                   (".", ".", "PUNCT", "punct", 1))
    assert modality(finite, "agreed") == "happened"


def test_details_said_is_the_clause_a_statement_introduces_or_trails():
    # "Iran said that talks would resume ." / "Talks will resume , Iran said ."
    told = parse(("Iran", "Iran", "PROPN", "nsubj", 1), ("said", "say", "VERB", "ROOT", 1),
                 ("that", "that", "SCONJ", "mark", 5), ("talks", "talk", "NOUN", "nsubj", 5),
                 ("would", "would", "AUX", "aux", 5), ("resume", "resume", "VERB", "ccomp", 1),
                 (".", ".", "PUNCT", "punct", 1))
    text = told.doc.text
    assert details.said([at(told, "resume")], at(told, "said"), told, text) == "talks would resume"
    trailing = parse(("Talks", "talk", "NOUN", "nsubj", 2), ("will", "will", "AUX", "aux", 2),
                     ("resume", "resume", "VERB", "ROOT", 2), (",", ",", "PUNCT", "punct", 2),
                     ("Iran", "Iran", "PROPN", "nsubj", 5), ("said", "say", "VERB", "parataxis", 2),
                     (".", ".", "PUNCT", "punct", 2))
    assert details.said([at(trailing, "resume")], at(trailing, "said"), trailing, trailing.doc.text) == "Talks will resume"
    assert details.said([], at(trailing, "said"), trailing, trailing.doc.text) is None


def test_factuality_reads_multi_word_governors():
    # "Trump called off the meeting ."
    called_off = parse(("Trump", "Trump", "PROPN", "nsubj", 1), ("called", "call", "VERB", "ROOT", 1),
                       ("off", "off", "ADP", "prt", 1), ("the", "the", "DET", "det", 4),
                       ("meeting", "meeting", "NOUN", "dobj", 1), (".", ".", "PUNCT", "punct", 1))
    assert modality(called_off, "meeting") == "negated"
    # "The measures stop short of an EU ban ."
    short = parse(("The", "the", "DET", "det", 1), ("measures", "measure", "NOUN", "nsubj", 2),
                  ("stop", "stop", "VERB", "ROOT", 2), ("short", "short", "ADV", "advmod", 2),
                  ("of", "of", "ADP", "prep", 3), ("an", "an", "DET", "det", 7), ("EU", "EU", "PROPN", "compound", 7),
                  ("ban", "ban", "NOUN", "pobj", 4), (".", ".", "PUNCT", "punct", 2))
    assert modality(short, "ban") == "negated"


def said(verb: str, lemma: str, *, aux: str | None = None) -> Parse:
    """"Iran VERB that Israel [AUX] attacked Syria ." with the attack as the verb's ccomp."""
    attack = 5 if aux else 4
    rows = [("Iran", "Iran", "PROPN", "nsubj", 1), (verb, lemma, "VERB", "ROOT", 1), ("that", "that", "SCONJ", "mark", attack),
            ("Israel", "Israel", "PROPN", "nsubj", attack)]
    if aux:
        rows.append((aux, aux, "AUX", "aux", attack))
    rows += [("attacked", "attack", "VERB", "ccomp", 1), ("Syria", "Syria", "PROPN", "dobj", attack), (".", ".", "PUNCT", "punct", 1)]
    return parse(*rows)


@pytest.mark.parametrize(("sentence", "expected"), [
    (said("said", "say"), "happened"),
    (said("claimed", "claim"), "reported"),
    (said("alleged", "allege"), "reported"),
    (said("denied", "deny"), "negated"),
    (said("said", "say", aux="would"), "planned"),  # "said it would": the "will" of what was said
])
def test_factuality_attribution_keeps_who_said_it(sentence, expected):
    found = factuality(at(sentence, "attacked"), sentence, LEXICON)
    assert found.modality == expected
    assert words(sentence, list(found.sources)) == ["iran"]


def test_factuality_according_to_names_the_source():
    # "Russia attacked Kyiv , according to officials ."
    p = parse(("Russia", "Russia", "PROPN", "nsubj", 1), ("attacked", "attack", "VERB", "ROOT", 1),
              ("Kyiv", "Kyiv", "PROPN", "dobj", 1), (",", ",", "PUNCT", "punct", 1),
              ("according", "accord", "VERB", "prep", 1), ("to", "to", "ADP", "prep", 4),
              ("officials", "official", "NOUN", "pobj", 5), (".", ".", "PUNCT", "punct", 1))
    found = factuality(at(p, "attacked"), p, LEXICON)
    assert found.modality == "happened" and words(p, list(found.sources)) == ["officials"]


def test_factuality_questions_and_denials_by_determiner():
    # "Will Maduro seize another country ?"
    asked = parse(("Will", "will", "AUX", "aux", 2), ("Maduro", "Maduro", "PROPN", "nsubj", 2),
                  ("seize", "seize", "VERB", "ROOT", 2), ("another", "another", "DET", "det", 4),
                  ("country", "country", "NOUN", "dobj", 2), ("?", "?", "PUNCT", "punct", 2))
    assert modality(asked, "seize") == "hypothetical"
    # "No facilities were targeted ."
    none = parse(("No", "no", "DET", "det", 1), ("facilities", "facility", "NOUN", "nsubjpass", 3),
                 ("were", "be", "AUX", "auxpass", 3), ("targeted", "target", "VERB", "ROOT", 3), (".", ".", "PUNCT", "punct", 3))
    assert modality(none, "targeted") == "negated"


def test_factuality_coordinated_verbs_share_the_first_ones_auxiliary():
    # "Trump could fight cartels and bring aid ."
    p = parse(("Trump", "Trump", "PROPN", "nsubj", 2), ("could", "could", "AUX", "aux", 2),
              ("fight", "fight", "VERB", "ROOT", 2), ("cartels", "cartel", "NOUN", "dobj", 2),
              ("and", "and", "CCONJ", "cc", 2), ("bring", "bring", "VERB", "conj", 2),
              ("aid", "aid", "NOUN", "dobj", 5), (".", ".", "PUNCT", "punct", 2))
    assert modality(p, "bring") == "hypothetical"


# ---------------------------------------------------------------------------
# the lexicon is checked when it is loaded


def shipped() -> dict:
    return tomllib.loads(resources.files("kg.data").joinpath("lexicon.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["trigger"][0].update(objectz=["deal"]), "trigger consult.speak: unknown key 'objectz'"),
    (lambda d: d["trigger"][0].update(target=["prep:with|>pobj"]), "trigger consult.speak: empty lemma list"),
    (lambda d: d["trigger"][0].update(event="Chat"), "trigger consult.speak: 'Chat' is no event class"),
    (lambda d: d["trigger"][0].update(lemmas=["sit_down"]), "'sit_down' cannot be matched"),
    (lambda d: d["modality"]["negating_governors"].append("put an end to"), "'put an end to' cannot be matched"),
    (lambda d: d["classes"].update(Chat={"requires": "target"}), "[classes] Chat: no such event class"),
    (lambda d: d["classes"]["Meeting"].update(requires="two"), "requires 'two'"),
    (lambda d: d.update(parents={"PhoneCall": "Consult"}), "unknown section [parents]"),
    (lambda d: d["trigger"].append(dict(d["trigger"][0])), "rule id 'consult.speak' is used twice"),
    (lambda d: d["cameo"].update(dyadic="yes"), "[cameo]: dyadic is true or false"),
    (lambda d: d["actors"]["led"].append("junta"), "[actors] led entries ['junta'] are not among [actors] nouns"),
    (lambda d: d["groups"]["weapons"].append("sword"), "[groups] weapons entries ['sword'] are not among [groups] nouns"),
])
def test_lexicon_refuses_what_the_engine_cannot_use(change, message):
    data = shipped()
    change(data)
    with pytest.raises(lexicons.LexiconError, match=None) as caught:
        lexicons.parse(data)
    assert message in str(caught.value)


def test_lexicon_keeps_words_of_several_tokens_as_phrases():
    frames = {f.rule: f for f in LEXICON.frames}
    assert ("sit", "-", "down") in frames["consult.meeting_noun"].phrases
    assert ("phone", "call") in frames["consult.call_noun"].phrases
    assert "meeting" in frames["consult.meeting_noun"].lemmas
    assert any(g.lemma == "call" and g.particle == "off" for g in LEXICON.modality.negating_governors)


# ---------------------------------------------------------------------------
# the CAMEO dictionary, on a small one written here

DICTIONARY = cameo.parse_dictionary({
    "synsets": {"FUND": [["aid"], ["aids"], ["grant"], ["grants"]]},
    "blocks": [
        {"name": "IMPOSE", "line": 1, "code": "170", "verbs": [{"lemma": "impose"}], "patterns": [
            {"line": 2, "code": "163", "reverse": None, "before": [], "after": [{"kind": "noun", "words": [["sanctions"], ["sanction"]]}]},
            {"line": 3, "code": None, "reverse": None, "before": [], "after": [{"kind": "noun", "words": [["taxes"], ["tax"]]}]},
        ]},
        {"name": "FACE", "line": 4, "code": None, "verbs": [{"lemma": "face"}], "patterns": [
            {"line": 5, "code": None, "reverse": "112", "before": [], "after": [{"kind": "noun", "words": [["charges"], ["charge"]]}]},
        ]},
        {"name": "CANCEL", "line": 6, "code": None, "verbs": [{"lemma": "call", "after": ["off"], "code": "160"}], "patterns": []},
        {"name": "GIVE", "line": 7, "code": "060", "verbs": [{"lemma": "give"}], "patterns": [
            {"line": 8, "code": "071", "reverse": None, "before": [],
             "after": [{"kind": "noun", "synset": "FUND"}, {"kind": "prep", "preps": ["to"], "marker": "target"}]},
        ]},
    ],
})


def reading(p: Parse, word: str) -> cameo.Reading | None:
    return DICTIONARY.read(at(p, word), p)


def test_cameo_the_most_specific_pattern_wins_and_the_null_code_says_no_event():
    assert reading(SANCTIONS, "imposed").code == "163"
    taxes = parse(("Japan", "Japan", "PROPN", "nsubj", 1), ("imposed", "impose", "VERB", "ROOT", 1),
                  ("taxes", "tax", "NOUN", "dobj", 1))
    found = reading(taxes, "imposed")
    assert found.code is None and found.line == 3


def test_cameo_reverse_codes_multi_word_verbs_and_synonym_sets():
    charges = parse(("Trump", "Trump", "PROPN", "nsubj", 1), ("faces", "face", "VERB", "ROOT", 1),
                    ("charges", "charge", "NOUN", "dobj", 1))
    assert (reading(charges, "faces").code, reading(charges, "faces").reverse) == (None, "112")
    off = parse(("Trump", "Trump", "PROPN", "nsubj", 1), ("called", "call", "VERB", "ROOT", 1),
                ("it", "it", "PRON", "dobj", 1), ("off", "off", "ADP", "prt", 1))
    assert reading(off, "called").code == "160"
    plain = parse(("Trump", "Trump", "PROPN", "nsubj", 1), ("called", "call", "VERB", "ROOT", 1),
                  ("Putin", "Putin", "PROPN", "dobj", 1))
    assert reading(plain, "called") is None  # the dictionary lists "call off" only
    grant = parse(("Japan", "Japan", "PROPN", "nsubj", 1), ("gave", "give", "VERB", "ROOT", 1),
                  ("grants", "grant", "NOUN", "dobj", 1), ("to", "to", "ADP", "prep", 1), ("Chad", "Chad", "PROPN", "pobj", 3))
    found = reading(grant, "gave")
    assert found.code == "071" and found.target_preps == {"to"}
    assert reading(parse(("Japan", "Japan", "PROPN", "nsubj", 1), ("gave", "give", "VERB", "ROOT", 1)), "gave").size == 0


def test_cameo_unknown_synonym_sets_are_an_error_naming_the_line():
    broken = {"synsets": {}, "blocks": [{"name": "X", "line": 1, "code": None, "verbs": [{"lemma": "x"}], "patterns": [
        {"line": 9, "code": "010", "reverse": None, "before": [], "after": [{"kind": "noun", "synset": "NOPE"}]}]}]}
    with pytest.raises(cameo.DictionaryError, match="block X, line 9: unknown synonym set &NOPE"):
        cameo.parse_dictionary(broken)


def test_cameo_shipped_dictionary_loads_and_every_code_names_a_class_or_is_skipped():
    shipped_dictionary = cameo.load()
    assert len(shipped_dictionary.entries) > 1500
    codes = {p.code for block in shipped_dictionary.patterns.values() for found in block.values() for p in found if p.code}
    unnamed = {c for c in codes if LEXICON.classes.of_code(c) is None and not c.startswith(LEXICON.cameo.skip)}
    assert unnamed <= {c for c in codes if c.startswith("02")} or not unnamed, sorted(unnamed)[:10]


def test_factuality_a_quoted_question_and_a_generic_gerund_are_hypothetical():
    # '" Will Maduro seize Guyana ? " he wrote .'
    quoted = parse(('"', '"', "PUNCT", "punct", 3), ("Will", "will", "AUX", "aux", 3), ("Maduro", "Maduro", "PROPN", "nsubj", 3),
                   ("seize", "seize", "VERB", "ccomp", 8), ("Guyana", "Guyana", "PROPN", "dobj", 3),
                   ("?", "?", "PUNCT", "punct", 3), ('"', '"', "PUNCT", "punct", 8), ("he", "he", "PRON", "nsubj", 8),
                   ("wrote", "write", "VERB", "ROOT", 8), (".", ".", "PUNCT", "punct", 8))
    assert modality(quoted, "seize") == "hypothetical"
    # "the importance of protecting cities"
    gerund = parse(("the", "the", "DET", "det", 1), ("importance", "importance", "NOUN", "ROOT", 1),
                   ("of", "of", "ADP", "prep", 1), ("protecting", "protect", "VERB", "pcomp", 2),
                   ("cities", "city", "NOUN", "dobj", 3))
    gerund.tag[3] = "VBG"
    assert modality(gerund, "protecting") == "hypothetical"


def infinitive(subject: str, verb: str, obj: str, obj_pos: str, then: str) -> Parse:
    """'<subject> <verb> <obj> to <then> it .' with the infinitive tagged VB."""
    words = [subject, verb, obj, "to", then, "it", "."]
    return Parse.of(Doc(VOCAB, words=words, lemmas=[subject, verb, obj, "to", then, "it", "."],
                        pos=["PROPN", "VERB", obj_pos, "PART", "VERB", "PRON", "PUNCT"],
                        deps=["nsubj", "ROOT", "dobj", "aux", "xcomp", "dobj", "punct"],
                        heads=[1, 1, 1, 4, 1, 4, 1], tags=["NNP", "VBD", "", "TO", "VB", "PRP", "."]))


@pytest.mark.parametrize(("verb", "obj", "obj_pos", "doer"), [
    ("appoint", "Shaikh", "PROPN", "shaikh"),  # object control: Shaikh is to oversee
    ("urge", "him", "PRON", "him"),
    ("promise", "Kyiv", "PROPN", "khan"),  # a promise is kept by who promises
    ("use", "summit", "NOUN", "khan"),  # a thing used does nothing
])
def test_paths_the_doer_of_an_infinitive_under_an_object(verb, obj, obj_pos, doer):
    p = infinitive("Khan", verb, obj, obj_pos, "oversee")
    assert words(p, follow(compile_path("subject"), at(p, "oversee"), p, GRAMMAR)) == [doer]


# "strikes carried out by Russia on Kyiv" / "strikes seen by Russia on Kyiv"
def described(verb: str, lemma: str) -> Parse:
    return parse(("strikes", "strike", "NOUN", "ROOT", 0), (verb, lemma, "VERB", "acl", 0),
                 ("by", "by", "ADP", "agent", 1), ("Russia", "Russia", "PROPN", "pobj", 2),
                 ("on", "on", "ADP", "prep", 1), ("Kyiv", "Kyiv", "PROPN", "pobj", 4))


@pytest.mark.parametrize(("verb", "lemma", "reached"), [("imposed", "impose", ["kyiv"]), ("seen", "see", [])])
def test_paths_a_light_participle_lends_a_noun_its_complements(verb, lemma, reached):
    p = described(verb, lemma)
    assert words(p, follow(compile_path("done>prep:on>pobj"), at(p, "strikes"), p, GRAMMAR)) == reached


def test_parse_mends_a_name_read_as_the_noun_a_verb_qualifies():
    # "Trump imposed tariffs on China ." parsed with "Trump" the root and "imposed" an amod of "tariffs"
    rows = [("Trump", "trump", "NOUN", "ROOT", 0), ("imposed", "impose", "VERB", "amod", 2),
            ("tariffs", "tariff", "NOUN", "dobj", 0), ("on", "on", "ADP", "prep", 2),
            ("China", "China", "PROPN", "pobj", 3), (".", ".", "PUNCT", "punct", 0)]
    words_, lemmas, pos, deps, heads = zip(*rows)
    doc = Doc(VOCAB, words=list(words_), lemmas=list(lemmas), pos=list(pos), deps=list(deps), heads=list(heads),
              tags=["NN", "VBN", "NNS", "IN", "NNP", "."], ents=["B-PERSON", "O", "O", "O", "B-GPE", "O"])
    p = Parse.of(doc)
    assert (p.dep[1], p.head[1]) == ("ROOT", 1)
    assert (p.dep[0], p.head[0], p.head[2], p.head[5]) == ("nsubj", 1, 1, 1)
    assert words(p, follow(compile_path("subject"), at(p, "tariffs"), p, GRAMMAR)) == ["trump"]
    # a common noun at the root is left as parsed ("Steel imported duties" is no one's act)
    doc.ents = []
    assert Parse.of(doc).dep[0] == "ROOT"
