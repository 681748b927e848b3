"""Attacks, wars and tariffs read through the words news uses around them: a light verb or
participle ("carried out strikes", "strikes carried out by"), a war waged, the killed of an
attack, a name the parser took for a common noun."""
from __future__ import annotations

import pytest

from kg.ingest.items import article_id
from kg.model import Article


def read(extractor, text: str):
    return extractor.extract(Article(id=article_id(url=None, text=text), text=text))


def parties(extractor, text: str, kind: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(e.agents, e.targets) for e in read(extractor, text).events if e.type == kind]


@pytest.mark.parametrize(("text", "kind", "expected"), [
    ("Russia carried out massive strikes on Ukraine overnight.", "Fight", [(("country/RUS",), ("country/UKR",))]),
    ("Dozens were hurt in strikes carried out by Russia on Ukraine on Friday.", "Fight",
     [(("country/RUS",), ("country/UKR",))]),
    ("The strikes carried out by Russia killed ten people in Odesa.", "Fight", [(("country/RUS",), ("place/odesa",))]),
    ("Israel waged a war against Hamas.", "Fight", [(("country/ISR",), ("org/hamas",))]),
    ("Japan declared war on the United States.", "Fight", [(("country/JPN",), ("country/USA",))]),
    ("Trump imposed tariffs on China.", "Tariff", [(("person/donald-trump",), ("country/CHN",))]),
    ("Trump levied duties on Mexico.", "Tariff", [(("person/donald-trump",), ("country/MEX",))]),
])
def test_force_and_tariffs_take_their_parties_around_the_noun(extractor, text, kind, expected):
    assert parties(extractor, text, kind) == expected


def test_force_what_is_condemned_is_its_doers(extractor):
    x = read(extractor, "France condemned the strikes carried out by Russia on Ukraine.")
    assert [(e.type, e.agents, e.targets) for e in x.events] == [
        ("Disapprove", ("country/FRA",), ("country/RUS",)), ("Fight", ("country/RUS",), ("country/UKR",))]


def test_force_who_was_killed_in_an_attack_was_attacked(extractor):
    x = read(extractor, "Nine civilians were killed in a Russian drone attack.")
    assert [e.targets for e in x.events if e.type == "Fight"] == [("group/civilians",)]


@pytest.mark.parametrize("text", [
    "The war in Ukraine entered its fourth year.",  # a war named, not waged by anyone here
    "Port workers in Peru started a three-day strike on Friday.",  # a labour strike
])
def test_force_no_fight_without_someone_fought(extractor, text):
    assert [e for e in read(extractor, text).events if e.type == "Fight"] == []
