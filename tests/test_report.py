"""`argmap report`: a findings report that answers its readers' questions (issue 12), whose text
cannot inject Markdown (issue 15), deterministic bytes, figures from argmap.render.

The facts the key findings state are recomputed here from the queries and the worldviews, not
copied from today's corpus, so the tests stay right when the corpus changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

import argmap
from argmap.cli import main

from conftest import ROOT

TINY = Path(__file__).parent / "fixtures" / "maps" / "tiny"
CLAIMS = ROOT / "claims"
EXTRA = '''worldview optimist: "Everything works"
  assume tools_work
  assume overseer_honest
  deny obfuscation
  credence model_myopic 0.3

worldview myopia_fan: "Myopia it is"
  assume model_myopic
'''


def _map(tmp_path: Path) -> Path:
    d = tmp_path / "map"
    d.mkdir()
    shutil.copy(TINY / "tiny.argmap", d / "tiny.argmap")
    (d / "extra.argmap").write_text(EXTRA, encoding="utf-8")
    return d


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _tokens(text: str):
    def walk(ts):
        for t in ts:
            yield t
            if t.children:
                yield from walk(t.children)
    return list(walk(MarkdownIt("gfm-like").parse(text)))


def _rendered_text(text: str) -> str:
    return " ".join(t.content for t in _tokens(text) if t.type in ("text", "code_inline"))


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus") / "report"
    r = _run("--map", CLAIMS, "report", "-o", out, "--no-figures")
    assert r.exit_code == 0, r.output
    return (out / "README.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    nxt = re.search(r"^## ", text[start + len(heading):], re.M)
    return text[start: start + len(heading) + (nxt.start() if nxt else len(text))]


# ---- structure ----------------------------------------------------------------------------------
def test_report_sections_order_and_determinism(tmp_path):
    d = _map(tmp_path)
    runs = []
    for name in ("a", "b"):
        r = _run("--map", d, "report", "-o", tmp_path / name, "--json", "--authors", "optimist", "pessimist",
                 "--what-breaks", "tools_work")
        assert r.exit_code == 0, r.output
        runs.append(_files(tmp_path / name))
    assert runs[0] == runs[1]
    text = runs[0]["README.md"].decode()
    headings = [ln for ln in text.splitlines() if ln.startswith("## ")]
    assert headings == ["## Key findings", "## Verdicts under every worldview", "## What breaks if `tools_work` fails",
                        "## The authors compared", "## Cross-document tensions", "## Probabilities", "## Appendix"]
    svgs = sorted(k for k in runs[0] if k.endswith(".svg"))
    assert svgs == ["figures/compare-optimist-pessimist.svg", "figures/cruxes.svg", "figures/verdict-matrix.svg",
                    "figures/what-breaks-tools_work.svg"]           # one matrix, not one per worldview
    for k in svgs:
        assert f"]({k})" in text


def test_corpus_report_reads_top_down_under_300_lines(corpus_report):
    body = corpus_report.split("\n## Appendix")[0]
    assert len(body.splitlines()) < 300
    assert corpus_report.index("## Key findings") < corpus_report.index("## Verdicts under every worldview")
    # the author-vs-author comparison is in the body; the other pairs only in the appendix
    assert "## The authors compared" in body and "### B. Every other pair of worldviews" not in body
    assert "`hubinger2020_leanings` → `greenblatt2026_leanings`" not in corpus_report.split("## Appendix")[1]


def test_one_matrix_with_every_worldview_as_a_column(corpus_report):
    amap = argmap.load(str(CLAIMS))
    section = _section(corpus_report, "## Verdicts under every worldview")
    header = next(ln for ln in section.splitlines() if ln.startswith("| proposal"))
    assert header.count("|") - 1 == 2 + len(amap.worldviews)
    from argmap.analysis.queries import statuses, Scenario
    mark = {"holds": "✔", "fails": "✘", "open": "·"}
    rows = {ln.split("|")[1].strip(): [c.strip() for c in ln.split("|")[2:-1]] for ln in section.splitlines()
            if ln.startswith("| `")}
    for i, w in enumerate([None, *amap.worldviews]):
        st = statuses(amap, Scenario(worldview=w))
        for p in amap.proposals.values():
            assert rows[f"`{p.id}`"][i] == " ".join(mark[st[v]] for v in p.verdicts), (w, p.id)


# ---- key findings, recomputed -----------------------------------------------------------------
def test_finding_what_breaks_myopia_under_each_author(corpus_report):
    from argmap.analysis.queries import what_breaks
    amap = argmap.load(str(CLAIMS))
    finding = next(ln for ln in corpus_report.splitlines() if "**What breaks if `myopia_verification` fails.**" in ln)
    for w in (None, "hubinger2020_leanings", "greenblatt2026_leanings"):
        wb = what_breaks(amap, "myopia_verification", w)
        name = f"`{w}`" if w else "no worldview"
        assert wb.loses == []                        # (completion semantics: never shown)
        if wb.breaks:
            assert re.search(rf"[uU]nder {re.escape(name)} {len(wb.breaks)} verdicts? breaks? "
                             rf"\(.*?\) and {len(wb.weakens)} weakens?\b", finding), (w, finding)
        else:
            assert re.search(rf"[uU]nder {re.escape(name)} nothing breaks and {len(wb.weakens)} "
                             "verdicts? weakens?", finding), (w, finding)
        for v in wb.breaks:
            assert f"`{v}`" in finding
    assert "argmap what-breaks myopia_verification -w hubinger2020_leanings" in finding
    assert "## What breaks if `myopia_verification` fails" in corpus_report


def test_finding_authors_classified_from_the_worldviews(corpus_report):
    amap = argmap.load(str(CLAIMS))
    h = amap.worldviews["hubinger2020_leanings"].fixed()
    g = amap.worldviews["greenblatt2026_leanings"].fixed()
    opposite = [a for a in h if a in g and h[a] != g[a]]
    only_h = [a for a in h if a not in g]
    only_g = [a for a in g if a not in h]
    finding = next(ln for ln in corpus_report.splitlines() if "**Where the authors disagree.**" in ln)
    from argmap.words import count
    assert (f"set {count(len(opposite) + len(only_h) + len(only_g), 'assumption')} differently: "
            f"{count(len(opposite), 'opposite stance')}, {len(only_h)} taken only by `hubinger2020_leanings` (the other is silent) and "
            f"{len(only_g)} only by `greenblatt2026_leanings`") in finding
    from argmap.analysis.queries import engine
    if not opposite:
        ok = engine(amap).consistent({**h, **g})
        assert ("Adopted together they are consistent" in finding) == ok
    from argmap.analysis.double_crux import double_crux
    r = double_crux(amap, "hubinger2020_leanings", "greenblatt2026_leanings")
    assert count(len(r.verdicts), "verdict differs", "verdicts differ") in finding
    table = _section(corpus_report, "## The authors compared")
    for a in only_h:
        assert re.search(rf"^\| `{a}` \| only hubinger2020_leanings \|", table, re.M)


def test_finding_single_points_of_failure_are_size_one_cut_sets(corpus_report):
    from argmap.analysis.queries import engine, statuses, Scenario
    amap = argmap.load(str(CLAIMS))
    finding = next(ln for ln in corpus_report.splitlines() if "**Single points of failure" in ln)
    m = re.search(r"`(\w+)` (holding|failing) refutes (\d+) verdicts of (\d+) proposals", finding)
    a, how, n = m.group(1), m.group(2), int(m.group(3))
    # independently: fixing that one literal makes exactly the stated number of verdicts fail
    value = how == "holding"
    after = statuses(amap, Scenario(assume=[a] if value else [], deny=[] if value else [a]))
    fails = [v for v, s in after.items() if s == "fails"]
    assert len(fails) >= n
    eng = engine(amap)
    single = [v for v in fails if {a: value} in eng.supports(v, {}, value=False)[0]]
    assert len(single) == n


def test_tensions_come_from_the_conflicts_with_every_quote(corpus_report):
    amap = argmap.load(str(CLAIMS))
    section = _section(corpus_report, "## Cross-document tensions")
    shown = _rendered_text(section)
    cross = [c for c in amap.conflicts.values() if len({x.source for x in c.provenance.citations}) > 1]
    assert cross
    for c in cross:
        assert f"### `{c.id}`" in section
        for cit in c.provenance.citations:
            assert " ".join(cit.quote.split()) in shown, cit.quote[:60]
    # the key finding names each with one quote per document it cites
    findings = _section(corpus_report, "## Key findings")
    for c in cross:
        line = next(ln for ln in findings.splitlines() if ln.startswith(f"   - `{c.id}`"))
        firsts = {}
        for cit in c.provenance.citations:
            firsts.setdefault(cit.source, cit.quote)
        for quote in firsts.values():
            assert " ".join(quote.split()) in _rendered_text(line)


def test_probabilities_flag_default_credences(corpus_report):
    from argmap.analysis.probability import credences, importance
    amap = argmap.load(str(CLAIMS))
    stated = {a for w in amap.worldviews.values() for a in w.credences()}
    unstated = [a for a in amap.assumptions if a not in stated]
    section = _section(corpus_report, "## Probabilities")
    listing = next(ln for ln in section.splitlines() if ln.startswith("**Assumptions without a stated credence"))
    assert f"({len(unstated)} of {len(amap.assumptions)})" in listing
    assert re.findall(r"`(\w+)`", listing) == unstated
    w = next(w for w in amap.worldviews if amap.worldviews[w].credences())
    cred = credences(amap, w)
    v = next(iter(amap.verdicts))
    rows = [r for r in importance(amap, v, cred).assumptions if not r.fixed and r.birnbaum is not None]
    total = sum(abs(r.birnbaum) for r in rows)
    share = sum(abs(r.birnbaum) for r in rows if r.assumption in cred.defaulted) / total
    p, c = v.split(".")
    row = next(ln for ln in section.splitlines() if ln.startswith(f"| `{p}` |"))
    cell = row.split("|")[2 + list(amap.proposals[p].verdicts).index(v)].strip()
    assert cell.endswith(f"({100 * share:.0f}%)")


def test_report_never_mentions_the_always_empty_loses(tmp_path):
    """Issue 12: `loses` is always empty under completion semantics, yet the report had a "loses"
    column of zeros in two tables and findings saying "0 stop holding"."""
    d = _map(tmp_path)
    out = tmp_path / "r"
    r = _run("--map", d, "report", "-o", out, "--no-figures", "--what-breaks", "tools_work",
             "--what-breaks", "overseer_honest", "--authors", "optimist", "pessimist")
    assert r.exit_code == 0, r.output
    text = (out / "README.md").read_text(encoding="utf-8")
    assert "| breaks | weakens |" in text                     # the tables are there, without the column
    assert not re.search(r"\| loses \||stops? holding|lose 'holds'|lose \*holds\*", text), \
        re.search(r"\| loses \||stops? holding|lose 'holds'|lose \*holds\*", text)


def _report_on_x(tmp_path: Path, m: str) -> tuple[str, str]:
    """The report of map text ``m`` with a what-breaks section for ``x`` and authors w1, w2: its
    text and its key finding about ``x``."""
    (tmp_path / "m.argmap").write_text(m, encoding="utf-8")
    out = tmp_path / "r"
    r = _run("--map", tmp_path / "m.argmap", "report", "-o", out, "--no-figures", "--what-breaks", "x",
             "--authors", "w1", "w2")
    assert r.exit_code == 0, r.output
    text = (out / "README.md").read_text(encoding="utf-8")
    return text, next(ln for ln in text.splitlines() if "**What breaks if `x` fails.**" in ln)


@pytest.mark.parametrize("n, want", [(1, "1 verdict breaks (`p.outer`) and 1 weakens"),
                                     (2, "2 verdicts break (`p.outer`, `p.inner`) and 2 weaken")])
def test_report_finding_counts_in_words(tmp_path, n, want):
    """Issue 15: "1 breaks and 0 stops holding" read wrong. x's failure breaks the n verdicts
    `x and aI` and weakens the n verdicts `x or bI`."""
    m = "".join(f'assumption a{i}: "A{i}"\nassumption b{i}: "B{i}"\n' for i in range(n))
    m += 'assumption x: "X"\nproposal p: "P"\n'
    m += "".join(f"  {c}: x and a{i}\n" for i, c in enumerate(["outer", "inner"][:n]))
    m += "".join(f"  {c}: x or b{i}\n" for i, c in enumerate(["training", "performance"][:n]))
    m += 'worldview w1: "W1"\n  assume a0\nworldview w2: "W2"\n  deny a0\n'
    text, finding = _report_on_x(tmp_path, m)
    assert "Under no worldview " + want in finding, finding
    # the other findings count in words too: n verdicts `x and aI` have single points of failure
    # (of 2n), and the worldviews differ on a0 alone, which flips p.outer alone
    assert {1: "1 of 2 verdicts has one of its own.", 2: "2 of 4 verdicts have one of their own."}[n] in text
    assert ("`w1` and `w2` set 1 assumption differently: 1 opposite stance, 0 taken only by `w1` "
            "(the other is silent) and 0 only by `w2`. 1 verdict differs") in text


def test_what_breaks_option_names_the_sections(tmp_path):
    out = tmp_path / "r"
    r = _run("--map", CLAIMS, "report", "-o", out, "--no-figures", "--what-breaks", "hch_aligned",
             "--what-breaks", "myopia_verification")
    assert r.exit_code == 0, r.output
    text = (out / "README.md").read_text()
    assert [ln for ln in text.splitlines() if ln.startswith("## What breaks")] == [
        "## What breaks if `hch_aligned` fails", "## What breaks if `myopia_verification` fails"]
    r = _run("--map", CLAIMS, "report", "-o", tmp_path / "x", "--no-figures", "--what-breaks", "nope")
    assert r.exit_code == 2 and "unknown assumption" in r.output


def test_report_tension_fires(tmp_path):
    d = _map(tmp_path)
    (d / "more.argmap").write_text('worldview hider: "Models hide"\n  assume obfuscation\n', encoding="utf-8")
    r = _run("--map", d, "report", "-o", tmp_path / "r", "--no-figures")
    assert r.exit_code == 0, r.output
    text = (tmp_path / "r" / "README.md").read_text()
    assert "**fires** under 1 (`myopia_fan` + `hider` (with `model_myopic`, `obfuscation`))" in text
    assert not list((tmp_path / "r").glob("figures/*.svg"))


# ---- injection (issue 15) -----------------------------------------------------------------------
HOSTILE = ["[official results](https://evil.example/phish)", "![t](https://evil.example/pixel.png)",
           "&lt;script&gt; &amp; &#60;", "<img src=x onerror=alert(1)>", "see https://evil.example and www.evil.example",
           "*em* _u_ `code` ~~s~~ | pipe | <b>bold</b> \\ back"]


def test_no_markdown_element_comes_from_map_text(tmp_path):
    d = tmp_path / "map"
    d.mkdir()
    texts = {f"a{i}": t for i, t in enumerate(HOSTILE)}
    src = ['source doc: "A doc"', '  by "' + HOSTILE[0].replace('"', '\\"') + '"', "  year 2020", "",
           'source other: "Another doc"', ""]
    for a, t in texts.items():
        src.append(f'assumption {a}: "{t.replace(chr(92), chr(92) * 2)}"')
    src += ['claim c: "c"', "  if " + " and ".join(texts), "",
            'proposal p: "P"', "  outer: c", "  inner: a0 or a1", "",
            "conflict x: a0 and a1",
            '  cite doc "' + HOSTILE[1] + '" "' + HOSTILE[4] + '"',
            '  cite other "loc" "' + HOSTILE[3] + '"',
            '  note "' + HOSTILE[2] + '"', ""]
    name = "<img src=x onerror=alert(1)>.argmap"
    (d / name).write_text("\n".join(src), encoding="utf-8")
    r = _run("--map", d, "check")
    assert r.exit_code == 0, r.output
    every = [x for a in texts for x in ("--what-breaks", a)]
    r = _run("--map", d, "report", "-o", tmp_path / "r", *every)
    assert r.exit_code == 0, r.output
    text = (tmp_path / "r" / "README.md").read_text()
    for t in _tokens(text):
        assert t.type not in ("html_inline", "html_block"), t.content
        if t.type == "link_open":
            assert t.attrs["href"].startswith("#"), t.attrs
        if t.type == "image":
            assert re.fullmatch(r"figures/[a-z0-9_.-]+\.svg", t.attrs["src"]), t.attrs
    shown = _rendered_text(text)
    for t in [*HOSTILE, name]:
        if t.startswith("*em*"):
            continue      # (only in the escaped form; checked below)
        assert " ".join(t.split()) in shown, t
    assert "*em* _u_ `code` ~~s~~ | pipe | <b>bold</b> \\ back" in shown


def test_md_escapes_every_markdown_construct():
    from argmap.report import md
    for t in HOSTILE:
        tokens = _tokens(md(t))
        assert [x.type for x in tokens] == ["paragraph_open", "inline", "text", "paragraph_close"], t
        assert tokens[2].content == t


# ---- progress --------------------------------------------------------------------------------
class _Stream:
    def __init__(self, tty):
        self.tty, self.data = tty, ""

    def isatty(self):
        return self.tty

    def write(self, s):
        self.data += s

    def flush(self):
        pass


def _report_with_progress(monkeypatch, tmp_path, stream, delay):
    """`argmap report` on the tiny map with the shared progress helper writing to ``stream``
    (CliRunner's own stderr is never a terminal)."""
    import functools
    import argmap.cli.progress
    tmp_path.mkdir()
    shared = getattr(argmap.cli.progress.Progress, "func", argmap.cli.progress.Progress)   # (if patched before)
    monkeypatch.setattr(argmap.cli.progress, "Progress", functools.partial(shared, delay=delay, stream=stream))
    r = _run("--map", _map(tmp_path), "report", "-o", tmp_path / "r", "--no-figures")
    assert r.exit_code == 0, r.output
    assert "report:" not in r.output                  # never on the command's own output


def test_progress_only_on_a_terminal(monkeypatch, tmp_path):
    """The report command uses argmap.cli.progress (one mechanism, issue 15): on a terminal each
    step rewrites one line, numbered out of PROGRESS_STEPS, and the line is erased at the end;
    piped, or when the work is quick, nothing is written."""
    from argmap.report import PROGRESS_STEPS
    term = _Stream(True)
    _report_with_progress(monkeypatch, tmp_path / "a", term, delay=0)
    assert "\rreport: cruxes (1/9)" in term.data and "report: probabilities (" in term.data
    assert f"({PROGRESS_STEPS}/{PROGRESS_STEPS})" in term.data and f"({PROGRESS_STEPS + 1}/" not in term.data
    assert "\n" not in term.data
    last = term.data.rsplit("\r", 2)[-2]                 # the final write blanks the line, then returns
    assert term.data.endswith("\r") and last.strip() == "" and len(last) > 0
    for stream, delay in ((_Stream(False), 0), (_Stream(True), 60)):
        _report_with_progress(monkeypatch, tmp_path / f"b{delay}", stream, delay=delay)
        assert stream.data == ""


# ---- single points of failure against the brute-force oracle ---------------------------------
from hypothesis import given, settings  # noqa: E402

from oracle import Oracle  # noqa: E402
from test_engine_oracle import load_small, small_maps  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(small_maps())
def test_single_points_of_failure_match_the_oracle(m):
    """A literal L is a single point of failure of V when the map allows L and every world with L
    has V false (and V is not already refuted by the map alone): a size-1 minimal support of ¬V."""
    from argmap.report import single_points_of_failure
    amap = load_small(m)
    if not engine_consistent(amap):
        return
    oracle = Oracle(m)
    want: dict[tuple[str, bool], list[str]] = {}
    for v in m.verdicts:
        if oracle.status(v, {}) == "fails":
            continue                           # the empty set is its only minimal refutation
        for a in m.assumptions:
            for value in (False, True):
                worlds = oracle.models({a: value})
                if worlds and all(not w[v] for w in worlds):
                    want.setdefault((a, value), []).append(v)
    got = single_points_of_failure(amap, {})
    assert {k: sorted(vs) for k, vs in got.items()} == {k: sorted(vs) for k, vs in want.items()}


def engine_consistent(amap) -> bool:
    from argmap.analysis.queries import engine
    return engine(amap).consistent({})


def test_counts_the_time_budget_left_open_are_said_so(tmp_path, monkeypatch):
    """A what-breaks or crux answer with `undecided` verdicts (the --timeout budget ran out before
    their weakens test) must not read as complete: the finding, the section's table, the crux
    table and the figures' labels say how many are undecided. Here x's weakened verdicts are
    reported undecided, as a budget that runs out would leave them."""
    from argmap.analysis import queries
    from argmap.render.view import cruxes_view, what_breaks_view
    m = ('assumption a0: "A0"\nassumption b0: "B0"\nassumption x: "X"\nproposal p: "P"\n'
         "  outer: x and a0\n  inner: a0\n  training: x or b0\n  performance: b0\n"
         'worldview w1: "W1"\n  assume a0\nworldview w2: "W2"\n  deny a0\n')
    real_wb, real_inner = queries.what_breaks, queries._what_breaks

    def undecided(wb, a):
        if a == "x" and wb.weakens:
            wb.undecided, wb.weakens = wb.weakens, []
        return wb
    monkeypatch.setattr(queries, "what_breaks", lambda amap, a, *args, **kw: undecided(real_wb(amap, a, *args, **kw), a))
    monkeypatch.setattr(queries, "_what_breaks", lambda amap, a, *args, **kw: undecided(real_inner(amap, a, *args, **kw), a))
    text, finding = _report_on_x(tmp_path, m)
    assert ("Under no worldview 1 verdict breaks (`p.outer`) and 0 weaken (1 more undecided within the time "
            "budget: it weakens or is unaffected)") in finding, finding
    section = _section(text, "## What breaks if `x` fails")
    assert "| scenario | breaks | weakens | undecided | verdicts that break |" in section
    assert "Raise `--timeout` to decide them." in section
    appendix = _section(text, "## Appendix")
    assert "| rank | assumption | text | breaks | weakens | undecided |" in appendix
    assert "the ranking by *weakens* may change with a larger budget" in appendix
    amap = argmap.load(str(tmp_path / "m.argmap"))
    scenario = queries.Scenario()
    assert "1 undecided within the time budget" in what_breaks_view(amap, "x", scenario).title
    crux = cruxes_view(amap, scenario).get("x")
    assert "undecided 1" in crux.attrs["label"], crux.attrs["label"]


def test_a_part_the_budget_cannot_finish_is_named_and_the_rest_is_written(monkeypatch):
    """Cruxes, a worldview's probabilities or a whole section that run out of the --timeout budget
    leave a line saying so where they would be, and a problem; every other section is written
    (a generated wide map of 1,000 statements used to end with exit 3 and no report)."""
    from argmap import report as R
    from argmap.analysis import probability, queries
    from argmap.engine import budget
    amap = argmap.load("claims")
    full = R.build_report(amap, figures=False, what_breaks=[], authors=R.AUTHORS, progress=None)
    real_probabilities = probability.probabilities
    carrying = [w for w in amap.worldviews if amap.worldviews[w].credences()]

    def slow_probabilities(m, cred, *args, **kwargs):
        if cred.worldview == carrying[0]:
            raise budget.exceeded("while building a decision diagram")
        return real_probabilities(m, cred, *args, **kwargs)

    def slow(*args, **kwargs):
        raise budget.exceeded("while ranking")
    monkeypatch.setattr(probability, "probabilities", slow_probabilities)
    monkeypatch.setattr(queries, "cruxes", slow)
    monkeypatch.setattr(R._Builder, "tensions", lambda self: slow())
    got = R.build_report(amap, figures=False, what_breaks=[], authors=R.AUTHORS, progress=None)
    text = got.markdown
    assert f"### Under `{carrying[0]}`\n\n*Not computed within the time budget" in text
    assert "*Not ranked within the time budget" in _section(text, "## Appendix")
    assert "## Cross-document tensions\n\n*Not computed within the time budget" in text
    assert any(p.startswith("cruxes:") for p in got.problems)
    assert any(p.startswith(f"probabilities under {carrying[0]}:") for p in got.problems)
    assert any("Cross-document tensions" in p for p in got.problems)
    for heading in ("## Key findings", "## Verdicts under every worldview", "## The authors compared"):
        assert heading in text and heading in full.markdown
    assert _section(text, "## The authors compared") == _section(full.markdown, "## The authors compared")
