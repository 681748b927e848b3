"""Mention rules (kg/extract/mentions.py) on small texts with the real pipeline."""
from __future__ import annotations

from kg.ingest import article_id
from kg.model import Article


def mentions(extractor, text: str) -> dict[str, str]:
    """Mention text -> entity key (the last one wins for repeated texts)."""
    article = Article(id=article_id(url=None, text=text), text=text)
    x = extractor.extract(article)
    return {m.text: m.entity for m in x.mentions}


def types(extractor, text: str) -> dict[str, str]:
    article = Article(id=article_id(url=None, text=text), text=text)
    x = extractor.extract(article)
    kinds = {e.key: e.type for e in x.entities}
    return {m.text: kinds[m.entity] for m in x.mentions}


def test_mentions_title_alone_resolves_to_the_person_named_with_it(extractor):
    found = mentions(extractor, "Home Secretary Yvette Cooper visited Calais. The Home Secretary said the visit had been useful.")
    assert found["Home Secretary"] == "person/yvette-cooper"


def test_mentions_title_of_a_named_country_is_not_resolved_to_another_holder(extractor):
    found = mentions(extractor, "Home Secretary Yvette Cooper met the Jordanian Interior Minister in Amman.")
    assert found["Interior Minister"].startswith("person/jordanian-interior-minister-")
    assert found["Yvette Cooper"] == "person/yvette-cooper"


def test_mentions_unnamed_office_holders_stay_in_their_article(extractor):
    one = mentions(extractor, "The King received the Egyptian Foreign Minister in Amman on Monday.")
    two = mentions(extractor, "The King received the Egyptian Foreign Minister in Riyadh on Friday.")
    assert one["Foreign Minister"].startswith("person/egyptian-foreign-minister-")
    assert one["Foreign Minister"] != two["Foreign Minister"]
    assert mentions(extractor, "The King received the Egyptian Foreign Minister in Amman on Monday.") == one


def test_mentions_generic_title_is_not_a_person(extractor):
    found = mentions(extractor, "Parliament must approve a new Prime Minister before June.")
    assert "Prime Minister" not in found


def test_mentions_name_after_title_or_honorific_is_a_person(extractor):
    found = types(extractor, "Mr Ellwood spoke to President Hollande on Monday.")
    assert found["Ellwood"] == "Person"
    assert found["Hollande"] == "Person"


def test_mentions_portfolio_belongs_to_the_title(extractor):
    found = types(extractor, "The Minister for Africa, Ruth Kamau, visited Nairobi.")
    assert found["Minister for Africa"] == "Person"
    assert "Africa" not in found


def test_mentions_unknown_names_in_place_context_are_places(extractor):
    found = types(extractor, "The landslides in Jambalo, Toribio and Caldono killed dozens.")
    assert found.get("Toribio") == "Location"


def test_mentions_name_particles_are_kept(extractor):
    found = types(extractor, "Iraqi Prime Minister Haider al-Abadi visited the front.")
    assert found["Haider al-Abadi"] == "Person"


def test_mentions_country_bodies(extractor):
    found = mentions(extractor, "The Iraqi government asked the Syrian army to withdraw.")
    assert found["Iraqi government"] == "country/IRQ"
    assert found["Syrian army"] == "group/syrian-army"


def test_mentions_title_case_words_after_a_title_are_not_a_name(extractor):
    found = types(extractor, "The President said on Monday that tariffs would rise.")
    assert all(kind != "Person" or text == "President" for text, kind in found.items())


def test_mentions_title_alone_is_not_a_holder_of_another_form_of_the_title(extractor):
    text = ("Pakistani Interior Minister Mohsin Naqvi arrived in London. "
            "The Home Secretary held talks with him on Tuesday.")
    found = mentions(extractor, text)
    assert found["Home Secretary"] != found["Mohsin Naqvi"]


def test_mentions_title_alone_acts_in_events(extractor):
    text = "The Home Secretary held talks with French Interior Minister Bruno Retailleau in Calais on Tuesday."
    article = Article(id=article_id(url=None, text=text), text=text)
    x = extractor.extract(article)
    title = next(m.entity for m in x.mentions if m.text == "Home Secretary")
    assert any(title in (*e.agents, *e.targets, *e.participants) for e in x.events)


def test_mentions_a_known_surname_after_another_given_name_is_someone_else(extractor):
    from kg.model import Article

    text = "Washington sanctioned Francesca Albanese, the UN rapporteur. Albanese called it intimidation."
    x = extractor.extract(Article(id="namesake", text=text))
    assert {m.entity for m in x.mentions if "Albanese" in m.text} == {"person/francesca-albanese"}
    known = extractor.extract(Article(id="known", text="Prime Minister Anthony Albanese met Xi. Albanese left."))
    assert {m.entity for m in known.mentions if "Albanese" in m.text} == {"person/anthony-albanese"}


def test_mentions_a_name_word_before_a_known_full_name_is_part_of_it(extractor):
    found = mentions(extractor, "Iranian Foreign Minister Seyed Abbas Araghchi met Ishaq Dar.")
    assert found["Seyed Abbas Araghchi"] == "person/abbas-araghchi"
    assert "Seyed" not in found


def test_mentions_an_acronym_the_article_defines_is_what_it_defines(extractor):
    text = "The Bureau of Industry and Security (BIS) listed 80 companies. BIS said more would follow."
    found = mentions(extractor, text)
    assert found["BIS"] == found["Bureau of Industry and Security"] != "org/bis"
    assert mentions(extractor, "BIS economists warned of risks.")["BIS"] == "org/bis"  # the gazetteer's, undefined
