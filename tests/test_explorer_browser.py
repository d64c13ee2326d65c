"""The explorer page in a real browser (Debian's Chromium driven by Playwright's sync API).

Without a browser these tests skip, unless ARGMAP_REQUIRE_BROWSER=1: then they fail, so that a
missing install step cannot pass as green. One browser serves the whole session.
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
from pathlib import Path

import pytest

import argmap
from argmap.language.diagnostics import InconsistentError
from argmap.explorer.page import build_page
from argmap.analysis.queries import Scenario, statuses, what_breaks
from argmap.words import count

from conftest import engine_statuses

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "maps" / "tiny"
CHROMIUM = os.environ.get("ARGMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _missing(why: str):
    if os.environ.get("ARGMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser required (ARGMAP_REQUIRE_BROWSER=1) but {why}")
    pytest.skip(why)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} does not exist")
    if shutil.which("dot") is None:
        _missing("Graphviz `dot` is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    except Exception as exc:           # noqa: BLE001 (any launch failure means: no usable browser)
        pw.stop()
        _missing(f"Chromium did not start: {exc}")
    yield b
    b.close()
    pw.stop()


def _export(amap, directory: Path, name: str, **kw) -> Path:
    html, _ = build_page(amap, **kw)
    path = directory / name
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The real corpus if it loads now, else the tiny fixture map."""
    amap, diags = argmap.read_map(str(ROOT / "claims"))
    if any(d.severity == "error" for d in diags):
        amap, _ = argmap.read_map(str(TINY))
    return amap, _export(amap, tmp_path_factory.mktemp("corpus"), "explorer.html")


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    amap, _ = argmap.read_map(str(TINY))
    return amap, _export(amap, tmp_path_factory.mktemp("tiny"), "tiny.html")


def _open(browser, path: Path, fragment: str = ""):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri() + fragment)
    page.wait_for_selector("body[data-ready='1']", timeout=15_000)
    page.errors = errors
    return page


STATUS_ALL = "([ids, assign]) => Object.fromEntries(ids.map(id => [id, window.argmapStatus(id, assign)]))"


def test_page_status_equals_engine_status_on_random_toggles(browser, corpus):
    amap, path = corpus
    page = _open(browser, path)
    ids = list(amap.claims) + list(amap.verdicts) + list(amap.assumptions)   # assumptions: from the nogoods
    assumptions = list(amap.assumptions)
    rng = random.Random(20260522)
    seen = {"inconsistent": 0, "holds": 0, "fails": 0, "open": 0}
    states = [{}] + [w.fixed() for w in amap.worldviews.values()]
    for _ in range(60):
        k = rng.choice([1, 3, 8, 20, 40, len(assumptions) // 2])
        states.append({a: rng.random() < 0.5 for a in rng.sample(assumptions, min(k, len(assumptions)))})
    for fixed in states:
        got = page.evaluate(STATUS_ALL, [ids, fixed])
        want = engine_statuses(amap, fixed, ids)
        assert got == want, fixed
        for s in want.values():
            seen[s] += 1
    assert seen["holds"] and seen["fails"] and seen["open"], seen     # the states exercise every outcome
    assert page.errors == []
    page.close()


KEYS = ("forced", "breaks", "loses", "weakens", "unaffected")


def _compare_what_breaks(page, amap, assumptions, states) -> set[str]:
    """The page's what-breaks = queries.what_breaks (every field, weakens included); returns the
    kinds of result seen, so a caller can check that its states exercise them."""
    ids = list(amap.claims) + list(amap.verdicts)
    seen: set[str] = set()
    for fixed in states:
        assume, deny = [k for k, v in fixed.items() if v], [k for k, v in fixed.items() if not v]
        try:
            statuses(amap, Scenario(assume=assume, deny=deny))
        except InconsistentError:
            continue
        for a in assumptions:
            got = page.evaluate("([a, t, ids]) => window.argmapWhatBreaks(a, t, ids)", [a, fixed, ids])
            want = what_breaks(amap, a, assume=assume, deny=deny, nodes=ids)
            assert got["unknown"] == []
            assert {k: got[k] for k in KEYS} == {k: getattr(want, k) for k in KEYS}, (a, fixed)
            seen |= {k for k in KEYS if got[k]}
    return seen


def test_what_breaks_in_the_page_equals_queries(browser, tiny):
    """Every toggle state of the tiny map (3^4), every assumption."""
    amap, path = tiny
    page = _open(browser, path)
    names = list(amap.assumptions)
    states = [{a: v for a, v in zip(names, c) if v is not None}
              for c in itertools.product([None, True, False], repeat=len(names))]
    seen = _compare_what_breaks(page, amap, names, states)
    assert {"forced", "breaks", "weakens"} <= seen, seen
    assert page.errors == []
    page.close()


def test_what_breaks_on_the_corpus_equals_queries(browser, corpus):
    """A dozen assumptions spread over the corpus, under the empty worldview, every worldview and
    a few random toggle states: breaks, loses and weakens (from the embedded supports, under the
    toggles) all as queries.what_breaks computes them with the engine."""
    amap, path = corpus
    page = _open(browser, path)
    names = list(amap.assumptions)
    rng = random.Random(99)
    states = [{}] + [w.fixed() for w in amap.worldviews.values()]
    states += [{a: rng.random() < 0.5 for a in rng.sample(names, min(k, len(names)))} for k in (3, 10, 25)]
    seen = _compare_what_breaks(page, amap, names[:: max(1, len(names) // 12)], states)
    assert {"breaks", "weakens"} <= seen, seen
    assert page.errors == []
    page.close()


def test_truncated_supports_are_announced_on_the_page(browser, tmp_path, monkeypatch):
    import argmap.explorer.data as data_module
    monkeypatch.setattr(data_module, "SUPPORT_LIMIT", 1)
    amap, _ = argmap.read_map(str(TINY))
    page = _open(browser, _export(amap, tmp_path, "cut.html"))
    note = page.text_content("#notes")
    assert "Minimal supports were cut at 1 for:" in note and "deception_caught" in note, note
    assert page.errors == []
    page.close()


def _cell(page, vid):
    return page.locator(f'#matrix button.cell[data-id="{vid}"]')


def _fill(page, nid):
    return page.evaluate("""id => { const g = document.querySelector(`#map g.mnode[data-id="${id}"]`);
                            return g && g.querySelector('polygon, path, ellipse').getAttribute('fill'); }""", nid)


def test_toggles_recolor_matrix_and_map(browser, tiny):
    amap, path = tiny
    page = _open(browser, path)
    assert _cell(page, "plan.outer").text_content() == "? open"
    assert _fill(page, "plan.outer") == "#eeeeee"
    page.click('.asm[data-id="overseer_honest"] .tri-true')
    assert _cell(page, "plan.outer").text_content() == "\u2714 holds"
    assert "st-holds" in _cell(page, "plan.outer").get_attribute("class")
    assert _fill(page, "plan.outer") == "#c8e6c9"
    page.click('.asm[data-id="overseer_honest"] .tri-false')
    assert _cell(page, "plan.outer").text_content() == "\u2718 fails"
    assert _fill(page, "plan.outer") == "#ffcdd2"
    # obfuscation and model_myopic together violate the map's conflict
    page.click('.asm[data-id="obfuscation"] .tri-true')
    page.click('.asm[data-id="model_myopic"] .tri-true')
    assert _cell(page, "plan.inner").text_content() == "\u26a0 inconsistent"
    assert page.is_visible("#inconsistent")
    assert _fill(page, "plan.inner") == "#e1bee7"
    # the fragment keeps the state; reopening it restores the toggles
    frag = page.evaluate("location.hash")
    assert "obfuscation%3A1" in frag and "overseer_honest%3A0" in frag
    again = _open(browser, path, frag)
    assert again.is_checked('.asm[data-id="model_myopic"] .tri-true input')
    assert again.is_checked('.asm[data-id="overseer_honest"] .tri-false input')
    assert _cell(again, "plan.outer").text_content() == "\u26a0 inconsistent"
    again.click('.asm[data-id="obfuscation"] .tri-unknown')
    assert _cell(again, "plan.outer").text_content() == "\u2718 fails"
    assert "obfuscation" not in again.evaluate("location.hash")
    assert page.errors == [] and again.errors == []
    page.close()
    again.close()


def test_a_map_graphviz_cannot_lay_out_still_gets_a_working_page(browser, tmp_path, monkeypatch):
    """The layout fails (a 10k-statement map: sfdp past its 20 s): the page says why in place of
    the diagram, hides the zoom buttons, and the matrix, toggles and details still work."""
    import argmap.explorer.svg as svg_module
    from argmap.render.graphviz_run import LayoutError

    def fail(amap, timeout=None):
        raise LayoutError("sfdp: timed out after 20 s <b>[20.1 s]</b>")
    monkeypatch.setattr(svg_module, "map_svg", fail)
    amap, _ = argmap.read_map(str(TINY))
    html, info = build_page(amap)
    assert info["layout"] is None and info["diagram_left_out"].startswith("sfdp: timed out")
    assert "<svg" not in html and "&lt;b&gt;[20.1 s]&lt;/b&gt;" in html and "<b>[20.1 s]" not in html
    path = tmp_path / "no-diagram.html"
    path.write_text(html, encoding="utf-8")
    page = _open(browser, path)
    note = page.text_content("#no-diagram")
    assert "No diagram" in note and "sfdp: timed out after 20 s" in note and "argmap render --verdict" in note
    assert not page.is_visible("#zoom-in") and not page.is_visible("#zoom-fit")
    assert not page.is_visible("#map-bar .muted")           # the diagram's colour legend
    assert _cell(page, "plan.outer").text_content() == "? open"
    page.click('.asm[data-id="overseer_honest"] .tri-true')
    assert _cell(page, "plan.outer").text_content() == "\u2714 holds"
    _cell(page, "plan.outer").click()
    assert "plan.outer" in page.text_content("#details")
    assert page.errors == []
    page.close()


def test_worldview_menu_and_keyboard(browser, tiny):
    amap, path = tiny
    page = _open(browser, path)
    page.select_option("#worldview", "pessimist")
    assert page.is_checked('.asm[data-id="tools_work"] .tri-false input')
    assert _cell(page, "plan.training").text_content() == "? open"
    # keyboard: focus the "unknown" radio of overseer_honest, arrow keys move within the group
    page.focus('.asm[data-id="overseer_honest"] .tri-unknown input')
    page.keyboard.press("ArrowLeft")                      # to "true"
    assert page.is_checked('.asm[data-id="overseer_honest"] .tri-true input')
    assert _cell(page, "plan.outer").text_content() == "\u2714 holds"
    assert page.is_visible("#modified")
    page.close()


def test_what_breaks_button_highlights(browser, tiny):
    amap, path = tiny
    page = _open(browser, path)
    page.click('.asm[data-id="overseer_honest"] .tri-true')
    page.click('.asm[data-id="overseer_honest"] .tri-unknown')
    page.click('.asm[data-id="overseer_honest"] button.wb')
    want = what_breaks(amap, "overseer_honest")
    assert want.breaks == ["plan.outer"]
    assert "wb-breaks" in _cell(page, "plan.outer").get_attribute("class")
    for v in want.weakens:
        assert "wb-weakens" in _cell(page, v).get_attribute("class")
    for v in want.unaffected:
        assert "wb-" not in _cell(page, v).get_attribute("class")
    panel = page.text_content("#breaks")
    assert "breaks (now fails): 1 verdict, 0 claims " in panel, panel      # counted nouns (issue 15)
    assert f"weakens (loses a route): {count(len(want.weakens), 'verdict')}, " in panel, panel
    assert "loses \u2018holds\u2019" not in panel     # always empty under completion semantics (issue 12)
    assert page.locator("#breaks .wb-line").count() == 2
    assert page.evaluate("document.querySelector('#map g.mnode[data-id=\"plan.outer\"]').classList.contains('wb-breaks')")
    page.click("#breaks .wb-close")
    assert not page.is_visible("#breaks")
    page.close()


def test_the_verdict_counts_agree_with_their_numbers(browser, tiny):
    """Issue 15: the header said "1 hold"; it says "1 holds · 1 fails · 2 open" when obfuscation is
    true (1 and 1, checked against the engine here)."""
    amap, path = tiny
    page = _open(browser, path)
    page.click('.asm[data-id="obfuscation"] .tri-true')
    st = statuses(amap, Scenario(assume=["obfuscation"]))
    n = {k: sum(x == k for x in st.values()) for k in ("holds", "fails", "open")}
    assert (n["holds"], n["fails"]) == (1, 1)
    assert page.text_content("#counts") == f"verdicts: 1 holds \u00b7 1 fails \u00b7 {n['open']} open"
    page.click('.asm[data-id="obfuscation"] .tri-unknown')
    assert page.text_content("#counts") == "verdicts: 0 hold \u00b7 0 fail \u00b7 4 open"
    page.close()


def test_node_details_and_search(browser, tiny):
    amap, path = tiny
    page = _open(browser, path)
    page.click('#map g.mnode[data-id="deception_caught"]')
    assert page.text_content("#details .d-text") == amap.claims["deception_caught"].text
    assert "two routes" in page.text_content("#details")
    page.fill("#search", "tools")
    visible = page.eval_on_selector_all(".asm", "rs => rs.filter(r => !r.hidden).map(r => r.dataset.id)")
    assert visible == ["tools_work", "obfuscation"]          # by id or by text
    assert page.locator("#results button.result").count() == 0          # no claim or verdict mentions tools
    assert "0 claims and verdicts, 2 assumptions match" in page.text_content("#results")
    page.fill("#search", "caught")
    assert page.locator("#results button.result").count() == 1
    assert "1 claim or verdict, 0 assumptions match" in page.text_content("#results")
    page.click("#results button.result")
    assert page.text_content("#details h2") == "deception_caught"
    page.close()


def test_corpus_page_renders_and_is_small(browser, corpus):
    amap, path = corpus
    assert path.stat().st_size < 2_000_000
    page = _open(browser, path)
    assert page.locator("#matrix button.cell").count() == len(amap.verdicts)
    assert page.locator("#map g.mnode").count() == len(amap.assumptions) + len(amap.claims) + len(amap.verdicts)
    assert page.locator(".asm").count() == len(amap.assumptions)
    assert page.errors == []
    page.close()


# ---- hostile texts (RELIABILITY.md §9 A) stay inert and come back verbatim ---------------------
HOSTILE = [
    'He said "hi"', '"', 'a\\b', 'a\\"b', 'ends with\\', 'node \\N graph \\G', 'left\\lright\\r',
    '"]; evil [label="pwned" color=red]; x [label="', ']; evil [label=pwned]; x [',
    '<b>bold</b>', '<a>]; evil [label="pwned" URL="javascript:alert(1)"]; x [label=<b>',
    '<<TABLE HREF="javascript:alert(1)"><TR><TD>x</TD></TR></TABLE>>',
    '<<TABLE><TR><TD><IMG SRC="/etc/passwd"/></TD></TR></TABLE>>', '<b>oops', '<x> & <y>',
    '<script>alert(1)</script>', '</script><script>window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=1">', '<svg onload="window.__pwned=1"></svg>', '<!--<script>x</script>',
    '--><script>alert(1)</script><!--', '&lt;script&gt; &amp; &#60;', 'Ünïcödé → 中文 😀 עברית', 'abc\u202edcba',
    'node', 'Subgraph', '}{ digraph x { a -> b } {', 'A' * 20_000, 'javascript:window.__pwned=1',
]


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    lines = ['source src: ' + _q(HOSTILE[9])]
    for i, text in enumerate(HOSTILE):
        lines.append(f"assumption h{i}: {_q(text)}")
        lines.append(f"  cite src {_q(HOSTILE[(i + 1) % len(HOSTILE)])} {_q(text)}")
        lines.append(f"  note {_q(text)}")
    lines.append(f"claim c: {_q(HOSTILE[15])}")
    lines.append("  if h0 and h1")
    lines.append(f"proposal p: {_q(HOSTILE[16])}")
    lines.append("  outer: c")
    lines.append(f"worldview w: {_q(HOSTILE[17])}")
    lines.append("  assume h0")
    (d / "h.argmap").write_text("\n".join(lines) + "\n", encoding="utf-8")
    amap, diags = argmap.read_map(str(d))
    assert not [x for x in diags if x.severity == "error"], diags
    assert [a.text for a in amap.assumptions.values()] == HOSTILE
    return amap, _export(amap, d, "hostile.html", title=HOSTILE[15])


def test_hostile_texts_stay_inert_and_verbatim(browser, hostile):
    amap, path = hostile
    page = _open(browser, path)
    texts = page.eval_on_selector_all(".asm .asm-text", "es => es.map(e => e.textContent)")
    assert texts == HOSTILE
    assert page.text_content("#title") == HOSTILE[15]
    for i in (10, 15, 16, 17, 20):
        page.click(f'.asm[data-id="h{i}"] button.asm-id')
        assert page.text_content("#details .d-text") == HOSTILE[i]
        assert page.text_content("#details blockquote.quote") == HOSTILE[i]
        assert page.text_content("#details .note") == "note: " + HOSTILE[i]
    page.click('#map g.mnode[data-id="c"]')
    page.select_option("#worldview", "w")
    page.click('.asm[data-id="h1"] .tri-true')
    assert _cell(page, "p.outer").text_content() == "\u2714 holds"
    # nothing ran: no global set, no injected elements, no external loads
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.scripts.length") == 2
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, foreignObject, #map script').length") == 0
    assert page.evaluate("[...document.querySelectorAll('[href], [xlink\\\\:href]')].every(e => "
                         "(e.getAttribute('href') || e.getAttribute('xlink:href') || '#').startsWith('#'))")
    assert page.errors == []
    page.close()


# ---- ids that are names of Object.prototype members (issue 15) ---------------------------------
@pytest.fixture(scope="session")
def prototype_names(tmp_path_factory):
    d = tmp_path_factory.mktemp("proto")
    (d / "p.argmap").write_text(
        'assumption a: "A"\n'
        'claim constructor: "Always: either a or not a"\n  if a\n  if not a\n'
        'claim tostring: "Needs a"\n  if a\n'
        'proposal p: "P"\n  outer: constructor\n  inner: tostring\n', encoding="utf-8")
    amap, diags = argmap.read_map(str(d))
    assert not [x for x in diags if x.severity == "error"], diags
    return amap, _export(amap, d, "proto.html")


def test_a_claim_named_constructor_has_the_engines_status(browser, prototype_names):
    amap, path = prototype_names
    page = _open(browser, path, "#n=constructor")
    want = engine_statuses(amap, {}, ["constructor", "tostring", "p.outer", "p.inner"])
    assert want["constructor"] == "holds"
    assert page.evaluate(STATUS_ALL, [list(want), {}]) == want
    assert page.text_content("#details h2") == "constructor"
    assert page.text_content("#details .d-status") == "\u2714 holds"
    assert page.errors == []
    page.close()


def test_fragment_naming_a_prototype_member_is_ignored(browser, tiny):
    """`#wb=constructor` (no such assumption) used to throw a TypeError while painting."""
    amap, path = tiny
    page = _open(browser, path, "#wb=constructor&n=constructor&t=constructor%3A1")
    assert page.errors == []
    assert not page.is_visible("#breaks")
    assert "Click a node" in page.text_content("#details")
    assert _cell(page, "plan.outer").text_content() == "? open"
    page.goto(path.as_uri() + "#wb=overseer_honest")          # a real assumption still works
    page.wait_for_function("!document.getElementById('breaks').hidden")
    assert "What breaks if overseer_honest fails" in page.text_content("#breaks")
    assert page.errors == []
    page.close()


# ---- the details pane under the current toggles (issue 11 point 6) -----------------------------
def _words(sets):
    return [[k if v else f"not {k}" for k, v in sorted(s.items(), key=lambda kv: (kv[0], not kv[1]))] for s in sets]


def test_pane_lists_are_the_engines_under_every_toggle_state(browser, tiny):
    """Supports, cut sets, and the verdicts hanging on each assumption, as the page computes them
    from the embedded lists, equal queries.why / queries.cuts under the toggles (all 3^4 states)."""
    from argmap.analysis.queries import cuts, why
    amap, path = tiny
    page = _open(browser, path)
    names = list(amap.assumptions)
    nodes = list(amap.claims) + list(amap.verdicts)
    checked = 0
    for combo in itertools.product([None, True, False], repeat=len(names)):
        fixed = {a: v for a, v in zip(names, combo) if v is not None}
        assume, deny = [k for k, v in fixed.items() if v], [k for k, v in fixed.items() if not v]
        try:
            statuses(amap, Scenario(assume=assume, deny=deny))
        except InconsistentError:
            continue
        got = page.evaluate("([ids, t]) => ids.map(id => window.argmapUnder(id, t))", [nodes, fixed])
        hanging = {}
        for node, lists in zip(nodes, got):
            w = why(amap, node, assume=assume, deny=deny)
            assert lists["supports"] == _words(w.supports), (node, fixed)      # [] when it fails
            c = cuts(amap, node, assume=assume, deny=deny)
            want_cuts = c.cuts if c.status != "fails" else [{}]
            assert sorted(lists["cuts"]) == sorted(_words(want_cuts)), (node, fixed)
            if node in amap.verdicts:
                for s in w.supports + want_cuts:
                    for a in s:
                        hanging.setdefault(a, set()).add(node)
        for a in names:
            want = [v for v in amap.verdicts if v in hanging.get(a, set())]
            assert page.evaluate("([a, t]) => window.argmapHangingOn(a, t)", [a, fixed]) == want, (a, fixed)
        checked += 1
    assert checked > 50
    assert page.errors == []
    page.close()


def test_pane_follows_the_toggles(browser, tiny):
    """The pane used to list the empty worldview's supports while the matrix showed the toggles."""
    amap, path = tiny
    page = _open(browser, path, "#n=plan.inner")
    text = page.text_content("#details")
    assert "needs (empty worldview) (3)" in text and "minimal supports (empty worldview) (2)" in text
    page.click('.asm[data-id="overseer_honest"] .tri-false')
    text = page.text_content("#details")
    assert "needs under these toggles (2)" in text and "minimal supports under these toggles (1)" in text
    items = page.eval_on_selector_all("#details ol.d-needs li", "es => es.map(e => e.textContent)")
    assert items == ["model_myopic", "not obfuscation"]
    page.click('.asm[data-id="model_myopic"] .tri-true')
    assert page.eval_on_selector_all("#details ol.d-needs li", "es => es.map(e => e.textContent)") == [
        "nothing more: it holds"]
    page.click('.asm[data-id="tools_work"] button.asm-id')
    chips = page.eval_on_selector_all("#details .d-users .chip", "es => es.map(e => e.textContent)")
    assert chips == [] and "verdicts that hang on it under these toggles (0)" in page.text_content("#details")
    page.click('.asm[data-id="model_myopic"] .tri-unknown')
    chips = page.eval_on_selector_all("#details .d-users .chip", "es => es.map(e => e.textContent)")
    assert chips == ["plan.training"]
    assert page.errors == []
    page.close()
