"""The `kg` command line, run through CliRunner: exit codes and what the user reads."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph

from kg.cli import main
from kg.store.queries import saved_queries

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_42b68af8222b094e.txt"
README = ROOT / "README.md"
GOOD_STORY = (
    "Trade Talks Resume\n"
    "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump on Friday.\n"
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def kg(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


class Outcome(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str


def kg_failing(*args: str | Path) -> Outcome:
    """Run a command that may exit non-zero, keeping only its text (a command closes its store
    on the way out, so the next one can open it)."""
    result = kg(*args)
    return Outcome(result.exit_code, result.stdout, result.stderr)


def titles_in(store: Path) -> set[str]:
    result = kg("query", "SELECT ?t WHERE { ?a a kg:Article ; kg:title ?t }", "--format", "csv", "--store", store)
    assert result.exit_code == 0, result.output
    return {row[0] for row in list(csv.reader(io.StringIO(result.stdout)))[1:]}


def command_names() -> list[str]:
    return sorted(main.commands)


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp) -> tuple[Path, Result]:
    """`kg build seeds` into a fresh store, once for this module."""
    store = tmp_path_factory.mktemp("cli") / "store"
    return store, kg("build", SEEDS, "--store", store)


# build


def test_cli_build_seeds_prints_the_summary(built):
    _, result = built
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    assert line.startswith("18 articles read: 18 added, 0 already in the store; ")
    assert re.search(r"; \d+ entities, \d+ facts \(\d+ events, \d+ roles, \d+ standing relations\); the store holds "
                     r"\d+ triples from 18 article graphs, each once \(\d+ with the ontology\)$", line), line
    assert f"$ kg build seeds/\n{line}\n" in README.read_text(encoding="utf-8"), \
        f"README.md's quickstart shows another summary; the build prints:\n{line}"
    # nothing on stderr but the progress lines a slow machine gets every 10 s
    assert all(re.fullmatch(r"kg: \d+/~?\d+ articles, .*", err) for err in result.stderr.splitlines()), result.stderr


def test_cli_build_again_adds_nothing(built):
    store, _ = built
    before = kg("export", "--format", "nt", "--store", store).stdout_bytes
    result = kg("build", SEEDS, "--store", store)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("18 articles read: 0 added, 18 already in the store; 0 entities, 0 facts")
    assert kg("export", "--format", "nt", "--store", store).stdout_bytes == before


def test_cli_build_of_known_articles_loads_no_spacy_pipeline(built):
    store, _ = built
    probe = ("import sys\nfrom kg.cli import main\n"
             "try:\n    main(['build', sys.argv[1], '--store', sys.argv[2]])\nexcept SystemExit as end:\n"
             "    print('exit', end.code)\n"
             "print('loaded:', ','.join(m for m in ('spacy', 'kg.extract', 'kg.gazetteer') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", probe, str(SEEDS), str(store)], capture_output=True, text=True,
                         check=True)
    assert run.stdout.startswith("18 articles read: 0 added, 18 already in the store"), run.stdout + run.stderr
    assert run.stdout.splitlines()[-2:] == ["exit 0", "loaded: "]


def test_cli_build_walks_each_folder_and_reads_each_file_once(tmp_path, nlp, monkeypatch):
    from kg.ingest import files

    inputs = tmp_path / "in"
    (inputs / "asia").mkdir(parents=True)
    (inputs / "asia" / "talks.txt").write_text(GOOD_STORY, encoding="utf-8")
    (inputs / "wire.jsonl").write_text(json.dumps({"title": "Tariffs", "text": "Canada imposed tariffs on steel "
                                                   "from China on Monday."}) + "\n", encoding="utf-8")
    (inputs / "report.pdf").write_bytes(b"%PDF-1.4")
    walks, opens = Counter(), Counter()
    rglob, open_regular = Path.rglob, files._open_regular
    monkeypatch.setattr(Path, "rglob", lambda self, pattern: walks.update([self]) or rglob(self, pattern))
    monkeypatch.setattr(files, "_open_regular", lambda path: opens.update([path.name]) or open_regular(path))
    result = kg("build", inputs, "--store", tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 articles read: 2 added, 0 already in the store")
    assert "1 file left out, of a type kg does not read (.pdf)" in result.stdout
    assert walks == {inputs: 1} and opens == {"talks.txt": 1, "wire.jsonl": 1}


def test_cli_build_with_bad_files_reports_each_and_stores_the_good_one(tmp_path, nlp):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(GOOD_STORY, encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    store = tmp_path / "store"

    result = kg_failing("build", inputs, "--store", store)
    assert result.exit_code == 3  # finished, with skips
    assert result.stderr.splitlines() == [
        f"kg: skipped {inputs / 'empty.txt'}: empty file",
        f"kg: skipped {inputs / 'photo.md'}: binary data, not text",
    ]
    assert result.stdout.startswith("1 articles read: 1 added, 0 already in the store;")
    assert result.stdout.rstrip().endswith("; 2 skipped (1 binary data, 1 empty file)")
    assert titles_in(store) == {"Trade Talks Resume"}


def test_cli_bad_build_after_a_good_one_loses_nothing(tmp_path, nlp):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.json"
    good.write_text(GOOD_STORY, encoding="utf-8")
    bad.write_text('{"text": ', encoding="utf-8")
    store = tmp_path / "store"
    assert kg("build", good, "--store", store).exit_code == 0
    before = kg("export", "--format", "nt", "--store", store).stdout_bytes

    result = kg_failing("build", bad, "--store", store)
    assert result.exit_code == 3
    assert f"kg: skipped {bad}: malformed JSON" in result.stderr
    assert result.stdout.startswith("0 articles read: 0 added")
    assert titles_in(store) == {"Trade Talks Resume"}
    assert kg("export", "--format", "nt", "--store", store).stdout_bytes == before
    again = kg("build", good, "--store", store)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("1 articles read: 0 added, 1 already in the store")


def test_cli_build_with_an_unknown_model_says_how_to_install_one(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD_STORY, encoding="utf-8")
    result = kg("build", good, "--store", tmp_path / "store", "--model", "no_such_model")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: spaCy pipeline 'no_such_model' is not installed.")
    assert "pip install" in line and "--model" in line


def test_cli_build_needs_a_path():
    result = kg("build")
    assert result.exit_code == 2
    assert "Missing argument 'PATHS...'" in result.stderr


def test_cli_build_on_a_store_another_process_holds_says_so(tmp_path):
    from kg.store.oxigraph import OxigraphStore

    good = tmp_path / "good.txt"
    good.write_text(GOOD_STORY, encoding="utf-8")
    with OxigraphStore(tmp_path / "store"):
        done = subprocess.run([sys.executable, "-m", "kg", "build", str(good), "--store", str(tmp_path / "store")],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: cannot open the store at ")
    assert "another kg process is using it" in done.stderr
    assert "Traceback" not in done.stderr


# query


def test_cli_query_prints_a_table(seed_store_path):
    result = kg("query", "who-spoke-with-whom", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["person", "other", "kind"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].startswith("Donald Trump") and "Shigeru Ishiba" in lines[2] and "PT45M" in lines[2]
    assert lines[-1] == "(1 row)"


def test_cli_query_json(seed_store_path):
    result = kg("query", "who-spoke-with-whom", "--format", "json", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["head"]["vars"][:2] == ["person", "other"]
    [binding] = data["results"]["bindings"]
    assert binding["other"] == {"type": "literal", "value": "Shigeru Ishiba"}


def test_cli_query_csv_and_tsv(seed_store_path):
    as_csv = kg("query", "who-holds-which-role", "--format", "csv", "--store", seed_store_path)
    as_tsv = kg("query", "who-holds-which-role", "--format", "tsv", "--store", seed_store_path)
    assert as_csv.exit_code == as_tsv.exit_code == 0
    from_csv = list(csv.reader(io.StringIO(as_csv.stdout)))
    from_tsv = [line.split("\t") for line in as_tsv.stdout.splitlines()]
    assert from_csv[0] == from_tsv[0] == ["person", "title", "of", "evidence"]
    assert ["Shigeru Ishiba", "Prime Minister", "Japan"] in [row[:3] for row in from_csv]
    assert [row[:3] for row in from_csv] == [row[:3] for row in from_tsv]


def test_cli_query_with_a_parameter(seed_store_path):
    result = kg("query", "about-entity", "--param", "entity=Shigeru Ishiba", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert "PhoneCall" in result.stdout and "Prime Minister" in result.stdout



def test_cli_query_limit_and_offset_page_a_listing(seed_store_path):
    every = kg("query", "events", "--format", "csv", "--limit", "0", "--store", seed_store_path)
    first = kg("query", "events", "--format", "csv", "--limit", "2", "--store", seed_store_path)
    second = kg("query", "events", "--format", "csv", "--limit", "2", "--offset", "2", "--store", seed_store_path)
    assert every.exit_code == first.exit_code == second.exit_code == 0
    rows = list(csv.reader(io.StringIO(every.stdout)))
    assert len(rows) > 5
    assert list(csv.reader(io.StringIO(first.stdout))) == rows[:3]
    assert list(csv.reader(io.StringIO(second.stdout))) == rows[:1] + rows[3:5]

QUERY_ERRORS = {
    "missing-parameter": (["about-entity"], 1, "Error: query 'about-entity' needs --param entity=VALUE (entity: "),
    "parameter-without-equals": (["about-entity", "--param", "entity"], 2, "Error: --param takes NAME=VALUE, got 'entity'"),
    "broken-iri": (["about-entity", "-p", "entity=<a b>"], 1, "Error: parameter value '<a b>' is not a valid IRI"),
    "syntax": (["SELECT ?x WHERE { ?x kg:name }"], 1, "Error: SPARQL syntax error at line 1, column 30, at '}': "
                                                          "a triple pattern is subject, predicate and object"),
    "service": (["SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"], 1,
                "Error: SERVICE <http://example.org/sparql> refused: kg does not send queries to other endpoints "
                "unless told to (--allow-service example.org allows it)"),
}


@pytest.mark.parametrize("case", sorted(QUERY_ERRORS))
def test_cli_query_errors_say_what_to_change_on_one_line(seed_store_path, case):
    args, code, message = QUERY_ERRORS[case]
    result = kg("query", *args, "--store", seed_store_path)
    assert result.exit_code == code
    lines = result.stderr.splitlines()
    assert lines[-1].startswith(message), result.stderr
    assert len(lines) == 1 or code == 2  # a usage error (2) shows the usage first


def test_cli_query_unknown_name_lists_the_saved_queries(seed_store_path):
    result = kg("query", "who-met-whom", "--store", seed_store_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown query 'who-met-whom'")
    for name in saved_queries():
        assert name in result.stderr


def test_cli_query_on_a_missing_store_says_to_build_first(tmp_path):
    result = kg("query", "who-spoke-with-whom", "--store", tmp_path / "nothing")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no store at {tmp_path / 'nothing'}: build one first with " \
                            f"`kg build PATH --store {tmp_path / 'nothing'}`\n"


def test_cli_query_syntax_error_is_one_line(seed_store_path):
    result = kg("query", "SELECT ?x WHERE { ?x kg:name }", "--store", seed_store_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: SPARQL syntax error")
    assert len(result.stderr.splitlines()) == 1


def test_cli_queries_lists_each_saved_query_with_its_description():
    result = kg("queries")
    assert result.exit_code == 0
    for name, saved in saved_queries().items():
        assert re.search(rf"^{re.escape(name)}\b", result.stdout, re.M), name
        assert f"    {saved.description}" in result.stdout
    assert "about-entity --param entity=…" in result.stdout


# export


def test_cli_export_to_a_file_parses_back(seed_store_path, seed_store, tmp_path):
    out = tmp_path / "graph.ttl"
    result = kg("export", "-o", out, "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    parsed = Graph().parse(out, format="turtle")
    assert len(parsed) == len(seed_store.union_graph())
    assert result.stdout == (f"wrote {out}: {len(parsed)} triples from 18 article graphs, each once, without the "
                             "ontology (turtle)\n")


def test_cli_export_trig_to_stdout_keeps_the_article_graphs(seed_store_path, seed_store):
    result = kg("export", "--format", "trig", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    dataset = Dataset()
    dataset.parse(data=result.stdout_bytes, format="trig")
    assert {g.identifier for g in dataset.graphs() if len(g)} == set(seed_store.article_graphs())


def test_cli_export_unknown_format_is_a_usage_error(seed_store_path):
    result = kg("export", "--format", "rdfxml", "--store", seed_store_path)
    assert result.exit_code == 2
    assert "'rdfxml' is not one of 'turtle', 'nt', 'trig', 'jsonld'" in result.stderr


# extract


def test_cli_extract_prints_one_json_line_per_article(nlp):
    result = kg("extract", SEED_FILE, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 18
    records = [json.loads(line) for line in lines]
    first = records[0]
    assert first["article"]["text"].startswith("Japanese Prime Minister Shigeru Ishiba")
    assert "PhoneCall" in {event["type"] for event in first["events"]}
    assert all(record["article"]["headline"] for record in records[1:])


def test_cli_extract_and_build_leave_out_open_relations_when_asked(tmp_path, nlp):
    def actions(result: Result) -> list[dict]:
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in result.stdout.splitlines()]
        return [e for r in records for e in r["events"] if e["type"] == "Action"]

    assert any(e["lemma"] == "sign" for e in actions(kg("extract", SEED_FILE)))
    assert actions(kg("extract", SEED_FILE, "--no-open-relations")) == []
    store = tmp_path / "store"
    assert kg("build", SEED_FILE, "--store", store, "--no-progress", "--no-open-relations").exit_code == 0
    counted = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Action }", "--store", store, "--format", "csv")
    assert counted.stdout.splitlines()[1:] == ["0"]


def test_cli_extract_reports_a_bad_file_and_exits_3(tmp_path, nlp):
    good, empty = tmp_path / "good.txt", tmp_path / "empty.txt"
    good.write_text(GOOD_STORY, encoding="utf-8")
    empty.write_bytes(b"")
    result = kg("extract", good, empty)
    assert result.exit_code == 3
    assert result.stderr == f"kg: skipped {empty}: empty file\n"
    [line] = result.stdout.splitlines()
    assert json.loads(line)["article"]["title"] == "Trade Talks Resume"


def test_cli_extract_keeps_the_title_line_out_of_the_first_sentence(tmp_path, nlp):
    path = tmp_path / "talks.txt"
    path.write_text(GOOD_STORY, encoding="utf-8")
    result = kg("extract", path)
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["title"], r["of"]) for r in record["roles"]} == {("Prime Minister", "country/JPN"),
                                                                ("President", "country/USA")}


# help, version, README


def test_cli_help_lists_every_command():
    result = kg("--help")
    assert result.exit_code == 0
    assert "knowledge graph" in result.stdout
    for name in command_names():
        assert re.search(rf"^  {name}\s+\S", result.stdout, re.M), f"{name} missing from kg --help"


@pytest.mark.parametrize("name", command_names())
def test_cli_every_command_has_help_text(name):
    command = main.commands[name]
    assert command.help and command.help.strip()
    result = kg(name, "--help")
    assert result.exit_code == 0
    assert re.match(rf"Usage: \S+ {name} ", result.stdout), result.stdout
    summary = " ".join(command.help.split("\n\n")[0].split())
    assert summary in " ".join(result.stdout.split())


def test_cli_version():
    result = kg("--version")
    assert result.exit_code == 0
    assert "0.1.0" in result.stdout


def test_cli_python_dash_m_kg_help_works():
    done = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: kg ")
    for name in command_names():
        assert name in done.stdout


def test_cli_every_command_appears_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [name for name in command_names() if not re.search(rf"\bkg {name}\b", text)]
    assert not missing, f"commands not shown in README.md: {missing}"


@pytest.mark.parametrize("args", [["--help"], ["queries"], ["query", "--help"]])
def test_cli_light_commands_load_neither_rdflib_nor_networkx_nor_spacy(args):
    code = ("import sys\nfrom kg.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rdflib', 'networkx', 'spacy', 'pyoxigraph') if m in sys.modules))" % args)
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert child.stdout.strip().splitlines()[-1] == "[]"
