"""Open relations (kg:Action) and the things events act on (kg:Thing), with the real pipeline."""
from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from kg.extract import Extractor, lexicon as lexicons
from kg.ingest import article_id
from kg.model import Article

pytestmark = pytest.mark.model


def read(extractor, text: str, *, headline: bool = False):
    return extractor.extract(Article(id=article_id(url=None, text=text), text=text, headline=headline,
                                     published="2025-03-01"))


def things_of(extraction, event):
    things = {t.key: t for t in extraction.things}
    return [things[k] for k in event.objects]


def test_actions_a_clause_no_event_class_reads_is_an_action_on_a_thing(extractor):
    x = read(extractor, "The U.S. will begin paying its UN dues next month.")
    (action,) = [e for e in x.events if e.type == "Action"]
    assert action.lemma == "pay" and action.agents == ("country/USA",) and action.modality == "planned"
    (dues,) = things_of(x, action)
    assert dues.name == "un dues" and "org/un" in dues.concerns
    assert dues.key.startswith("thing/un-dues-")  # a common noun: the thing of this article only
    assert action.evidence.rule.startswith("open.clause.") and action.evidence.confidence < 0.5


def test_actions_a_quoted_title_is_one_thing_named_across_articles(extractor):
    x = read(extractor, "Trump Signs 'America First Arms Transfer Strategy'", headline=True)
    (action,) = [e for e in x.events if e.type == "Action"]
    assert action.lemma == "sign" and action.agents == ("person/donald-trump",)
    (strategy,) = things_of(x, action)
    assert strategy.name == "America First Arms Transfer Strategy"
    assert strategy.key == "thing/america-first-arms-transfer-strategy"
    assert "country/USA" not in strategy.concerns  # "America" is part of the title


def test_actions_a_typed_event_keeps_what_it_acts_on_and_no_action_doubles_it(extractor):
    x = read(extractor, "A Missouri judge dismissed a lawsuit challenging Starbucks' diversity policies.")
    assert [e.type for e in x.events] == ["Reject"]
    (lawsuit,) = things_of(x, x.events[0])
    assert lawsuit.name == "lawsuit" and lawsuit.concerns == ("org/starbucks",)
    met = read(extractor, "Donald Trump met Vladimir Putin in Helsinki.")
    assert [e.type for e in met.events] == ["Meeting"]


@pytest.mark.parametrize(("text", "headline", "lemma", "modality"), [
    ("The CDU won the Bundestag election on Sunday.", False, "win", "happened"),
    ("Sanae Takaichi Poised for Landslide Win", True, "win", "planned"),
])
def test_actions_wins_and_acts_named_by_nouns(extractor, text, headline, lemma, modality):
    x = read(extractor, text, headline=headline)
    actions = [e for e in x.events if e.type == "Action"]
    assert [(a.lemma, a.modality) for a in actions] == [(lemma, modality)]


def test_actions_need_an_actor_and_something_concrete(extractor):
    assert not [e for e in read(extractor, "The prices of oil rose sharply on Monday.").events if e.type == "Action"]
    assert not [e for e in read(extractor, "Trump said the economy was doing well.").events if e.type == "Action"]


def test_actions_can_be_switched_off(nlp):
    data = tomllib.loads(resources.files("kg.data").joinpath("lexicon.toml").read_text(encoding="utf-8"))
    data["open"]["enabled"] = False
    extractor = Extractor(nlp, lexicon=lexicons.parse(data))
    x = read(extractor, "The U.S. will begin paying its UN dues next month.")
    assert not [e for e in x.events if e.type == "Action"] and not x.things


@pytest.mark.parametrize("text", [
    "Lula stressed that Brazil would defend its sovereignty.",  # a reported clause is not acted on
    "The minister apologized to Aliyev on Saturday.",  # a date is no thing
    "Washington has plans to sell weapons to Taiwan.",  # what is planned is no thing
])
def test_actions_speech_dates_and_plans_are_not_objects(extractor, text):
    x = read(extractor, text)
    objects = {t.name.lower() for t in x.things}
    assert not {e for e in x.events if e.type == "Action" and ("country/BRA" in e.targets)}
    assert not objects & {"saturday", "plans"}


def test_actions_who_attends_an_act_named_by_a_noun_is_not_its_actor(extractor):
    x = read(extractor, "Vice President Han Zheng will attend the inauguration in Washington.")
    assert not [e for e in x.events if e.type == "Action" and e.lemma == "inaugurate"]


def test_actions_what_an_event_absorbs_is_no_open_relation(extractor):
    from kg.model import Article

    x = extractor.extract(Article(id="absorbed", text="Macron accused Putin of destabilising the Middle East."))
    assert [e.type for e in x.events] == ["Accuse"]


def test_actions_a_name_opened_by_no_is_no_denial(extractor):
    x = extractor.extract(Article(id="a", text="Senator Elizabeth Warren introduced the No Argentina Bailout Act on Tuesday."))
    (introduced,) = [e for e in x.events if e.type == "Action"]
    assert introduced.modality == "happened"
    assert [t.name for t in x.things if t.key in introduced.objects] == ["No Argentina Bailout Act"]
    denied = extractor.extract(Article(id="b", text="Warren introduced no bill on Tuesday."))
    assert [e.modality for e in denied.events if e.type == "Action"] == ["negated"]


@pytest.mark.parametrize("text, thing", [
    ("The National Power party secured 159 of the 225 seats.", "159 of the 225 seats"),
    ("Israel intercepted most of the missiles.", "most of the missiles"),
])
def test_actions_a_quantity_of_a_thing_is_acted_on_as_that_thing(extractor, text, thing):
    x = extractor.extract(Article(id="a", text=text))
    (action,) = [e for e in x.events if e.type == "Action"]
    assert [t.name for t in x.things if t.key in action.objects] == [thing]
