"""SPARQL syntax errors explained: one line with the position, the token there and what to change."""
from __future__ import annotations

import pytest

from kg.errors import QuerySyntaxError
from kg.rdf.vocabulary import PREFIXES
from kg.store.oxigraph import OxigraphStore
from kg.store.syntax import explain

KNOWN = ", ".join(sorted(PREFIXES))

CASES = {
    "unknown prefix": ("SELECT ?x WHERE {\n  ?x kg:name ?n .\n  ?x persn:x ?z }",
                       f"SPARQL syntax error at line 3, column 13: unknown prefix 'persn:' in 'persn:x' (did you mean "
                       f"person:?); known prefixes: {KNOWN} (declare another with PREFIX persn: <IRI>)"),
    "declared prefix": ("PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?x exx:p ?y }",
                        "unknown prefix 'exx:' in 'exx:p' (did you mean ex:?); known prefixes: article, country, "
                        "dcterms, ex, group,"),
    "misspelt keyword": ("SELECT ?x WHRE { ?x kg:name ?y }",
                         "SPARQL syntax error at line 1, column 16, at '{': 'WHRE' (line 1, column 11) is no SPARQL "
                         "keyword; did you mean WHERE?"),
    "missing object": ("SELECT ?x WHERE { ?x kg:name }",
                       "SPARQL syntax error at line 1, column 30, at '}': a triple pattern is subject, predicate and "
                       "object: one is missing here"),
    "unclosed brace": ("SELECT ?x WHERE {\n  { ?x kg:name ?y }",
                       "at the end of the query: the '{' at line 1, column 17 is not closed: a '}' is missing"),
    "extra brace": ("SELECT ?x WHERE { ?x kg:name ?y } }",
                    "at the end of the query: '}' at line 1, column 35 closes nothing"),
    "unclosed string": ('SELECT ?x WHERE { ?x kg:name "Shigeru }',
                        "the string opened at line 1, column 30 is not closed"),
    "unbound variable": ("SELECT (COUNT(?x) AS ?n) ?name WHERE { ?x kg:name ?name }",
                         "the SELECT contains a variable that is unbound"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_syntax_error_is_one_line_with_position_token_and_hint(case):
    text, expected = CASES[case]
    with OxigraphStore(None) as store, pytest.raises(QuerySyntaxError) as caught:
        store.query(text)
    message = str(caught.value)
    assert expected in message
    assert message.startswith("SPARQL syntax error at line ") and "\n" not in message
    assert "..=" not in message and "\\u{" not in message  # none of the parser's grammar dump


def test_syntax_message_without_a_position_is_kept_whole():
    assert explain("SELECT", "something odd\nmore", prefixes=PREFIXES) == "SPARQL syntax error: something odd"


def test_syntax_describe_with_a_misspelt_prefix_names_the_right_one():
    with OxigraphStore(None) as store, pytest.raises(QuerySyntaxError, match=r"did you mean person:\?"):
        store.construct("DESCRIBE persn:donald-trump")
