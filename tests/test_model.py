"""The records and identities every stage shares: entity types and entity keys."""
from __future__ import annotations

import pytest

from kg.model import EntityKey, EntityType, slug
from kg.rdf.iris import entity_iri
from kg.rdf.vocabulary import PREFIXES


@pytest.mark.parametrize(("key", "kind", "slug_"), [
    ("person/donald-trump", EntityType.PERSON, "donald-trump"),
    ("country/JPN", EntityType.COUNTRY, "JPN"),
    ("org/g7", EntityType.ORGANIZATION, "g7"),
    ("place/washington", EntityType.LOCATION, "washington"),
    ("group/riot-police", EntityType.GROUP, "riot-police"),
])
def test_model_entity_keys_parse_and_print_as_written(key, kind, slug_) -> None:
    parsed = EntityKey.parse(key)
    assert (parsed.type, parsed.slug) == (kind, slug_)
    assert str(parsed) == key
    assert str(entity_iri(parsed)) == PREFIXES[kind.prefix] + slug_  # the IRI a query names as prefix:slug


@pytest.mark.parametrize("text", ["event/abc/1-2", "country", "country/", "Person/x", ""])
def test_model_what_is_not_an_entity_key_is_refused_with_the_prefixes(text) -> None:
    with pytest.raises(ValueError, match="person/, country/, org/, place/, group/"):
        EntityKey.parse(text)


def test_model_entity_types_are_the_ontology_classes_and_compare_as_their_names() -> None:
    assert [str(t) for t in EntityType] == ["Person", "Country", "Organization", "Location", "Group"]
    assert EntityType.PERSON == "Person" and "Country" in {EntityType.COUNTRY}
    assert EntityType.named(" organization ") is EntityType.ORGANIZATION
    assert EntityType.named("Event") is None
    assert [t for t in EntityType if t.is_actor] == [EntityType.PERSON, EntityType.COUNTRY,
                                                     EntityType.ORGANIZATION, EntityType.GROUP]


@pytest.mark.parametrize(("text", "expected"), [
    ("Shigeru Ishiba", "shigeru-ishiba"), ("Benjamín Netanyahu", "benjamin-netanyahu"),
    ("G-7 (Group of Seven)", "g-7-group-of-seven"), ("???", "x"),
])
def test_model_slugs_are_lowercase_ascii(text, expected) -> None:
    assert slug(text) == expected
