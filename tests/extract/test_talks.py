"""Talks and deals: who talks with whom, whose a deal is, what is only being prepared."""
from __future__ import annotations

import pytest

from kg.ingest.items import article_id
from kg.model import Article


def read(extractor, text: str):
    return extractor.extract(Article(id=article_id(url=None, text=text), text=text))


def events(extractor, text: str, kind: str):
    return [e for e in read(extractor, text).events if e.type == kind]


def test_talks_a_body_named_by_its_qualifier_acts_for_its_country(extractor):
    x = events(extractor, "The head of Turkish intelligence held talks with his Egyptian counterpart in Cairo.", "Consult")
    assert [(e.agents, e.targets) for e in x] == [(("country/TUR",), ("country/EGY",))]


@pytest.mark.parametrize("text", [
    "Qatar discussed the second phase of the plan on Tuesday.",  # no one to talk to
    "Turkish Foreign Minister Hakan Fidan will talk about the next steps.",  # a minister and his country: one side
])
def test_talks_need_someone_to_talk_to(extractor, text):
    assert [e for e in read(extractor, text).events if e.type in ("Consult", "Meeting")] == []


def test_talks_what_is_discussed_is_a_topic_not_a_party(extractor):
    x = events(extractor, "Fidan met U.S. officials in Washington to discuss Syria and Gaza.", "Consult")
    assert all("country/SYR" not in e.targets for e in x)
    x = events(extractor, "Rubio discussed Ukraine with Lavrov.", "Consult")
    assert [e.targets for e in x] == [("person/sergey-lavrov",)]


def test_talks_a_deal_brokered_or_discussed_is_not_the_brokers(extractor):
    brokered = events(extractor, "Qatar brokered a truce between Israel and Hamas.", "Agree")
    assert [(e.agents, set(e.participants)) for e in brokered] == [((), {"country/ISR", "org/hamas"})]
    assert events(extractor, "Envoys from Kenya hope to mediate a peace accord.", "Agree") == []
    assert events(extractor, "Putin and Trump discussed a peace deal.", "Agree") == []


def test_talks_a_negotiation_is_with_whom_the_deal_is(extractor):
    x = events(extractor, "Maduro said he was open to negotiating a deal with the United States.", "Negotiation")
    assert [(e.targets, e.modality) for e in x] == [(("country/USA",), "planned")]


def test_talks_a_visit_being_prepared_is_planned(extractor):
    x = events(extractor, "The ministers discussed preparations for Erdogan's visit to Cairo.", "Visit")
    assert [e.modality for e in x] == ["planned"]
