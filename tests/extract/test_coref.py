"""Pronouns and definite descriptions (kg/extract/coref.py) on small invented texts."""
from __future__ import annotations

import pytest

from kg.ingest import article_id
from kg.model import Article


def extract(extractor, text: str):
    return extractor.extract(Article(id=article_id(url=None, text=text), text=text))


def referent(extractor, text: str, word: str) -> str | None:
    """The entity the first mention written `word` is resolved to, or None."""
    x = extract(extractor, text)
    return next((m.entity for m in x.mentions if m.text == word), None)


def test_coref_first_person_in_a_statement_is_the_speaker(extractor):
    text = "Defence Minister Anna Kowalczyk said:\n\nI condemn the attack on the convoy."
    assert referent(extractor, text, "I") == referent(extractor, text, "Anna Kowalczyk")


def test_coref_we_is_the_country_the_speaker_serves(extractor):
    text = "Canadian Foreign Minister Anna Kowalczyk said:\n\nWe will keep working with our partners."
    assert referent(extractor, text, "We") == "country/CAN"


def test_coref_we_of_a_speaker_with_no_known_side_is_left_alone(extractor):
    text = "Anna Kowalczyk said:\n\nWe will keep working with our partners."
    assert referent(extractor, text, "We") is None  # one person is never "we"


def test_coref_we_outside_a_statement_is_left_alone(extractor):
    assert referent(extractor, "We will keep working with Canada on trade.", "We") is None


def test_coref_they_is_the_one_group_named_before(extractor):
    text = "Hezbollah fired rockets across the border on Monday. They hit an empty field."
    assert referent(extractor, text, "They") == "org/hezbollah"


def test_coref_they_is_left_alone_when_two_persons_may_be_meant(extractor):
    text = "John Smith met Hezbollah officials and Maria Lopez in Beirut. They discussed the border."
    assert referent(extractor, text, "They") is None


def test_coref_it_with_two_candidates_is_left_alone(extractor):
    text = "Canada and Mexico signed the accord on Monday. It will take effect in May."
    assert referent(extractor, text, "It") is None


def test_coref_expletive_it_is_left_alone(extractor):
    text = "Hezbollah fired rockets on Monday. It is vital that the fighting stops."
    assert referent(extractor, text, "It") is None


def test_coref_definite_description_is_the_one_group_named_before(extractor):
    text = "Hezbollah fired rockets on Monday. The group said the strikes would continue."
    assert referent(extractor, text, "The group") == "org/hezbollah"


def test_coref_pronoun_acts_in_events(extractor):
    text = "Foreign Minister Anna Kowalczyk said:\n\nI met President Emmanuel Macron in Paris."
    x = extract(extractor, text)
    speaker = referent(extractor, text, "Anna Kowalczyk")
    assert any(speaker in (*e.agents, *e.participants) for e in x.events if e.type == "Meeting")


def test_coref_first_person_in_a_quotation_is_who_the_sentence_says_said_it(extractor):
    text = '"Prime Minister Anna Kowalczyk and I will meet in Vienna," Olaf Scholz wrote.'
    assert referent(extractor, text, "I") == referent(extractor, text, "Olaf Scholz")
    before = 'Olaf Scholz said, "I will meet Anna Kowalczyk in Vienna."'
    assert referent(extractor, before, "I") == referent(extractor, before, "Olaf Scholz")
    unsaid = '"I will meet Anna Kowalczyk in Vienna," the memo read.'
    assert referent(extractor, unsaid, "I") is None


def test_coref_an_office_known_by_its_title_is_its_one_named_holder(extractor):
    text = ("Polish Prime Minister Anna Kowalczyk met Olaf Scholz. The Polish Prime Minister said the talks "
            "went well. The Polish prime minister left on Friday.")
    x = extract(extractor, text)
    holder = referent(extractor, text, "Anna Kowalczyk")
    assert {m.entity for m in x.mentions if m.text.lower() == "prime minister"} == {holder}
    assert [e.key for e in x.entities if e.type == "Person"] == sorted([holder, referent(extractor, text, "Olaf Scholz")])
    # a person neither the article nor the gazetteer gives the office is not its holder
    other = "Polish Prime Minister Anna Kowalczyk met Dieter Baumann. The German Chancellor said the talks went well."
    assert referent(extractor, other, "Chancellor") != referent(extractor, other, "Dieter Baumann")


@pytest.mark.parametrize("text, title, holder", [
    ("Mark Carney met Donald Trump at the White House. Carney told the U.S. president that Canada was not for sale.",
     "president", "person/donald-trump"),
    ("Donald Trump hosted Mark Carney. The Canadian prime minister told Trump that Canada was not for sale.",
     "prime minister", "person/mark-carney"),
])
def test_coref_an_office_of_a_country_is_the_named_person_the_gazetteer_gives_it(extractor, text, title, holder):
    x = extract(extractor, text)
    assert {m.entity for m in x.mentions if m.text.lower().endswith(title)} == {holder}


def test_coref_a_title_said_of_no_one_is_the_one_holder_the_article_names(extractor):
    text = "Secretary of State Marco Rubio arrived in Riyadh. The Secretary said the talks went well."
    assert referent(extractor, text, "Secretary") == "person/marco-rubio"
    health = "Abdulla Nazim Ibrahim has been reappointed as the Minister of Health. The Minister of Health said hospitals would get more money."
    assert {e.type for e in extract(extractor, health).entities} == {"Person"} and len(extract(extractor, health).entities) == 1
    two = "President Donald Trump met President Muizzu. The President said the talks went well."
    (said,) = [e for e in extract(extractor, two).events if e.type == "Statement"]
    assert not set(said.agents) & {"person/donald-trump", "person/muizzu"}  # two holders: left alone


def test_coref_it_after_a_thing_no_name_gives_is_left_alone(extractor):
    text = "The department said the refinery bought oil from Iran. It also listed five tankers."
    assert referent(extractor, text, "It") is None  # the department, not Iran
    assert referent(extractor, "Iran rejected the accusation. It also expelled two diplomats.", "It") == "country/IRN"


def test_coref_what_someone_is_thanked_or_blamed_for_is_theirs(extractor):
    assert referent(extractor, "Sunak congratulated Starmer on his victory.", "his") == "person/keir-starmer"
    assert referent(extractor, "Biden criticized Netanyahu for his handling of the war.", "his") == "person/benjamin-netanyahu"
    assert referent(extractor, "Trump said his administration would act.", "his") == "person/donald-trump"


def test_coref_it_is_the_one_group_that_says_what_it_did(extractor):
    x = extract(extractor, "The Israeli army said it killed a Hezbollah commander in Beirut.")
    (killing,) = [e for e in x.events if e.type == "Killing"]
    assert killing.agents == (referent(extractor, "The Israeli army said it killed a Hezbollah commander in Beirut.", "Israeli army"),)


def test_coref_a_pronoun_is_not_a_person_the_gazetteer_gives_the_other_gender(extractor):
    text = "Claudia Sheinbaum spoke with Donald Trump on Monday. She said the talks went well."
    assert referent(extractor, text, "She") == "person/claudia-sheinbaum"
    text = "Giorgia Meloni met Emmanuel Macron in Rome. He invited her to Paris."
    assert (referent(extractor, text, "He"), referent(extractor, text, "her")) == \
        ("person/emmanuel-macron", "person/giorgia-meloni")


@pytest.mark.parametrize("text, speakers", [
    ("Qatar and Egypt issued a joint statement on Monday. The statement said both countries would continue "
     "their mediation efforts.", ("country/QAT", "country/EGY")),
    ("The Foreign Ministry issued a statement on Monday. The statement said Ukraine would not give up territory.",
     ("org/foreign-ministry",)),
])
def test_coref_a_statement_that_says_something_is_its_issuers(extractor, text, speakers):
    said = [e for e in extract(extractor, text).events if e.type == "Statement"]
    assert [e.agents for e in said] == [speakers]


def test_coref_the_speaker_he_is_the_subject_in_reach_when_two_persons_fit(extractor):
    x = extract(extractor, 'Shigeru Ishiba met Donald Trump on Friday. "It was a good meeting," he said.')
    assert [e.agents for e in x.events if e.type == "Statement"] == [("person/shigeru-ishiba",)]
    threat = extract(extractor, "Donald Trump met Vladimir Putin in Helsinki. He threatened China.")
    assert [e.agents for e in threat.events if e.type == "Threaten"] == [()]  # no verb of saying: left alone
