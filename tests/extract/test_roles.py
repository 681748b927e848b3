"""Role rules (kg/extract/roles.py) on small invented texts."""
from __future__ import annotations

from kg.ingest import article_id
from kg.model import Article


def roles(extractor, text: str) -> list[tuple[str, str, str | None]]:
    x = extractor.extract(Article(id=article_id(url=None, text=text), text=text))
    return [(r.person, r.title, r.of) for r in x.roles]


def test_roles_title_with_its_country_before_the_name(extractor):
    found = roles(extractor, "Japanese Prime Minister Shigeru Ishiba arrived in Washington on Monday.")
    assert ("person/shigeru-ishiba", "Prime Minister", "country/JPN") in found


def test_roles_place_after_a_preposition_is_not_the_titles_country(extractor):
    found = roles(extractor, "In Turkey Minister John Barrowman met refugee groups on Monday.")
    assert found and all(of != "country/TUR" for _, _, of in found)


def test_roles_portfolio_after_for_is_not_whose_office(extractor):
    found = roles(extractor, "John Barrowman, Minister for Syria, said the talks would resume.")
    assert all(of != "country/SYR" for _, _, of in found)


def facts(extractor, text: str) -> set[tuple[str, str, str | None, bool]]:
    """(person, title, of, leader) of every role read from `text`."""
    x = extractor.extract(Article(id=article_id(url=None, text=text), text=text))
    return {(r.person, r.title, r.of, r.leader) for r in x.roles}


# Role words of kg/data/roles.tsv: the noun or verb says the role, the owner must be a
# country, organisation or group and the holder a person, or nothing is read.


def test_roles_head_of_an_organisation_after_the_name(extractor):
    found = facts(extractor, "Ismail Haniyeh, the head of Hamas, arrived in Cairo on Monday.")
    assert found == {("person/ismail-haniyeh", "head", "org/hamas", True)}


def test_roles_leader_of_an_organisation_before_the_name(extractor):
    found = facts(extractor, "The leader of Hamas, Ismail Haniyeh, arrived in Cairo on Monday.")
    assert found == {("person/ismail-haniyeh", "leader", "org/hamas", True)}


def test_roles_president_of_an_organisation_is_its_leader(extractor):
    found = facts(extractor, "The president of the European Commission, Ursula von der Leyen, spoke on Friday.")
    assert ("person/ursula-von-der-leyen", "President", "org/european-commission", True) in found


def test_roles_owner_named_after_of_completes_a_title_read_without_it(extractor):
    found = facts(extractor, "Ismail Haniyeh, the secretary-general of Hamas, spoke on Friday.")
    assert found == {("person/ismail-haniyeh", "Secretary-General", "org/hamas", True)}


def test_roles_head_of_a_common_noun_is_no_role(extractor):
    assert facts(extractor, "The head of the delegation, John Barrowman, spoke on Friday.") == set()
    assert facts(extractor, "John Barrowman, the head of the Hamas delegation, spoke on Friday.") == set()


def test_roles_organisation_name_before_the_role_noun(extractor):
    assert ("person/ismail-haniyeh", "leader", "org/hamas", True) in facts(
        extractor, "Hamas leader Ismail Haniyeh arrived in Cairo on Monday.")
    assert ("person/hassan-nasrallah", "leader", "org/hezbollah", True) in facts(
        extractor, "Hezbollah's leader Hassan Nasrallah spoke on Friday.")
    assert ("person/ismail-haniyeh", "leader", "org/hamas", True) in facts(
        extractor, "The Hamas leader, Ismail Haniyeh, spoke on Friday.")


def test_roles_demonym_before_the_role_noun_is_the_country(extractor):
    found = facts(extractor, "Russian leader Vladimir Putin spoke on Friday.")
    assert ("person/vladimir-putin", "leader", "country/RUS", True) in found


def test_roles_common_noun_before_the_role_noun_is_whose_role(extractor):
    found = facts(extractor, "Israeli opposition leader Yair Lapid spoke on Friday.")
    assert all(title != "leader" for _, title, _, _ in found)
    assert facts(extractor, "John Barrowman, the party's leader, spoke on Friday.") == set()


def test_roles_deputy_and_one_of_several_are_not_in_charge(extractor):
    assert facts(extractor, "Hamas deputy leader Saleh Arouri spoke on Friday.") == {
        ("person/saleh-arouri", "deputy leader", "org/hamas", False)}
    assert facts(extractor, "John Barrowman, a leader of Hamas, said it would fight.") == {
        ("person/john-barrowman", "leader", "org/hamas", False)}


def test_roles_former_holder_has_no_role(extractor):
    assert facts(extractor, "Former Hamas leader Khaled Meshaal spoke on Friday.") == set()
    assert facts(extractor, "John Barrowman, the then head of Hamas, spoke on Friday.") == set()


def test_roles_relative_clause_who_leads(extractor):
    assert facts(extractor, "Jens Stoltenberg, who leads NATO, spoke on Friday.") == {
        ("person/jens-stoltenberg", "leader", "org/nato", True)}
    assert ("person/vladimir-putin", "leader", "country/RUS", True) in facts(
        extractor, "Vladimir Putin, who leads Russia, spoke on Friday.")


def test_roles_relative_clause_past_negated_or_without_an_owner_is_no_role(extractor):
    assert facts(extractor, "John Barrowman, who led Hamas until 2017, died on Friday.") == set()
    assert facts(extractor, "John Barrowman, who does not lead Hamas, spoke on Friday.") == set()
    assert facts(extractor, "John Barrowman, who heads to Paris on Monday, spoke on Friday.") == set()


def test_roles_led_by_a_person(extractor):
    assert facts(extractor, "NATO, led by Jens Stoltenberg, met on Friday.") == {
        ("person/jens-stoltenberg", "leader", "org/nato", True)}
    assert facts(extractor, "Hamas, which is headed by Ismail Haniyeh, spoke on Friday.") == {
        ("person/ismail-haniyeh", "head", "org/hamas", True)}


def test_roles_led_by_a_country_or_of_a_common_noun_is_no_role(extractor):
    assert facts(extractor, "The coalition, led by Saudi Arabia, struck Yemen on Friday.") == set()
    assert facts(extractor, "A delegation led by John Barrowman arrived on Friday.") == set()


def test_roles_member_of_an_organisation(extractor):
    assert facts(extractor, "Ahmed Karimi, a senior member of Hamas, was killed on Friday.") == {
        ("person/ahmed-karimi", "member", "org/hamas", False)}
    assert facts(extractor, "Ahmed Karimi, who is a member of Hamas, spoke on Friday.") == {
        ("person/ahmed-karimi", "member", "org/hamas", False)}


def test_roles_member_of_the_public_is_no_role(extractor):
    assert facts(extractor, "Ahmed Karimi, a member of the public, was hurt on Friday.") == set()


def test_roles_chief_of_a_named_body_is_a_group_role(extractor):
    found = facts(extractor, "The chief of the Israeli army, Herzi Halevi, spoke on Friday.")
    assert found == {("person/herzi-halevi", "chief", "group/israeli-army", True)}


def test_roles_copula_present_only(extractor):
    assert facts(extractor, "Ismail Haniyeh is the leader of Hamas.") == {
        ("person/ismail-haniyeh", "leader", "org/hamas", True)}
    assert facts(extractor, "Ismail Haniyeh was the leader of Hamas.") == set()


def test_roles_commander_is_not_of_a_country(extractor):
    found = facts(extractor, "John Barrowman, the U.S. commander in Iraq, spoke on Friday.")
    assert all(of != "country/USA" for _, _, of, _ in found)


def test_roles_adjective_narrows_the_role_to_a_part_of_its_owner(extractor):
    assert facts(extractor, "The military chief of Hamas, John Barrowman, spoke on Friday.") == {
        ("person/john-barrowman", "military chief", "org/hamas", False)}
    assert facts(extractor, "Hamas' new leader, John Barrowman, spoke on Friday.") == {
        ("person/john-barrowman", "leader", "org/hamas", True)}


def test_roles_secretary_general_written_with_a_space_and_a_possessive(extractor):
    found = facts(extractor, "Mark Rutte, NATO's secretary general, said allies must spend more.")
    assert found == {("person/mark-rutte", "Secretary-General", "org/nato", True)}


def test_roles_led_by_hangs_on_the_noun_it_follows_not_a_country_inside_it(extractor):
    assert facts(extractor, "A delegation from Iran, led by John Barrowman, arrived in Vienna.") == set()


def test_roles_owner_after_a_preposition_that_governs_the_name(extractor):
    found = facts(extractor, "The minister sent a letter to Kenyan leader John Barrowman on Thursday.")
    assert ("person/john-barrowman", "leader", "country/KEN", True) in found
    assert facts(extractor, "In Turkey leader John Barrowman met refugees.") == set()


def test_roles_role_word_completes_a_title_read_without_its_owner(extractor):
    assert facts(extractor, "Chile sent aid to Peru's new President John Barrowman.") == {
        ("person/john-barrowman", "President", "country/PER", True)}
    assert facts(extractor, "John Barrowman, the vice president of Hamas, spoke on Friday.") == {
        ("person/john-barrowman", "Vice President", "org/hamas", False)}


def test_roles_an_office_taken_is_a_role_and_no_cooperation(extractor):
    assert roles(extractor, "Anna Lindqvist was sworn in as Sweden's prime minister on Friday.") == \
        [("person/anna-lindqvist", "Prime Minister", "country/SWE")]
    text = "The president appointed Paul Okafor as Nigeria's foreign minister."
    assert ("person/paul-okafor", "Foreign Minister", "country/NGA") in roles(extractor, text)
    x = extractor.extract(Article(id=article_id(url=None, text=text), text=text))
    assert not [e for e in x.events if e.type == "Cooperate"]


def test_roles_an_office_not_yet_taken_is_no_role(extractor):
    assert roles(extractor, "Anna Lindqvist will be sworn in as Sweden's prime minister next week.") == []


def test_roles_each_appointee_takes_the_office_written_after_them(extractor):
    found = roles(extractor, "President Muizzu appointed Moosa Zameer as finance minister and Abdulla Khaleel as foreign minister.")
    taken = {(p, t) for p, t, _ in found if p != "person/muizzu"}
    assert taken == {("person/moosa-zameer", "Finance Minister"), ("person/abdulla-khaleel", "Foreign Minister")}


def test_roles_an_office_taken_without_as_or_again(extractor):
    assert [t for p, t, _ in roles(extractor, "Steve Barclay was appointed health secretary.")] == ["Health Minister"]
    again = roles(extractor, "Abdulla Nazim Ibrahim has been reappointed as the Minister of Health.")
    assert [t for _, t, _ in again] == ["Health Minister"]
