"""Source texts the project does not carry: `url` and `sha256` on `source`, `argmap sources list`,
and `argmap sources verify` reporting first whether each text is the pinned copy, then the quotes.

These tests make their own small texts; the corpus's real texts are checked in test_corpus.py.
"""

from __future__ import annotations

import hashlib
import json

from click.testing import CliRunner

from argmap.cli import main

TEXT = "The overseer can verify myopia.\nDeception is hard to catch.\n"


def write_map(tmp_path, text: str = TEXT, pin: str | None = None):
    pin = pin if pin is not None else hashlib.sha256(text.encode("utf-8")).hexdigest()
    (tmp_path / "m.argmap").write_text(f'''source s: "A document"
  file "doc.txt"
  url "https://example.org/doc"
  sha256 "{pin}"
assumption a: "A"
  cite s "p. 1" "verify myopia"
assumption b: "B"
  cite s "p. 2" "Deception is hard to catch."
claim c: "C"
  if a and b
proposal p: "P"
  outer: c
  inner: c
  training: c
  performance: c
''', encoding="utf-8")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "doc.txt").write_bytes(text.encode("utf-8"))
    return tmp_path / "m.argmap", texts


def run(args, env=None):
    return CliRunner().invoke(main, args, env=env or {"ARGMAP_SOURCES": None})


def test_the_pinned_copy_matches_and_every_quote_is_found(tmp_path):
    m, texts = write_map(tmp_path)
    r = run(["--map", str(m), "sources", "verify", "--sources", str(texts), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["checked"] == 2 and data["not_found"] == []
    assert [(s["source"], s["fingerprint"]) for s in data["sources"]] == [("s", "matches")]


def test_a_different_copy_is_reported_before_the_quotes(tmp_path):
    m, texts = write_map(tmp_path)
    (texts / "doc.txt").write_text("The overseer can verify myopia.\n", encoding="utf-8")   # a line lost
    r = run(["--map", str(m), "sources", "verify", "--sources", str(texts)])
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert "differs from the copy the quotes were checked against" in lines[0]
    assert "quote not found in s" in lines[1] and "Deception is hard to catch." in lines[1]


def test_a_missing_text_names_where_to_get_it(tmp_path):
    m, texts = write_map(tmp_path)
    (texts / "doc.txt").unlink()
    r = run(["--map", str(m), "sources", "verify", "--sources", str(texts)])
    assert r.exit_code == 2
    assert "https://example.org/doc" in r.stderr and "doc.txt" in r.stderr


def test_the_folder_defaults_to_the_environment(tmp_path):
    m, texts = write_map(tmp_path)
    r = run(["--map", str(m), "sources", "verify"], env={"ARGMAP_SOURCES": str(texts)})
    assert r.exit_code == 0, r.output
    assert "2 quotes checked, 0 not found" in r.stdout
    r = run(["--map", str(m), "sources", "verify"])
    assert r.exit_code == 2
    assert "no folder of source texts given" in r.stderr and "https://example.org/doc" in r.stderr


def test_sources_list_gives_file_url_and_fingerprint(tmp_path):
    m, _ = write_map(tmp_path)
    r = run(["--map", str(m), "sources", "list", "--json"])
    assert r.exit_code == 0, r.output
    (row,) = json.loads(r.stdout)["sources"]
    assert row["file"] == "doc.txt" and row["url"] == "https://example.org/doc"
    assert row["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    r = run(["--map", str(m), "sources", "list"])
    assert "doc.txt  ← https://example.org/doc" in r.stdout


def test_the_fingerprint_is_of_the_bytes(tmp_path):
    """CRLF line endings change the bytes, so the copy differs even though every quote is found."""
    m, texts = write_map(tmp_path)
    (texts / "doc.txt").write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    r = run(["--map", str(m), "sources", "verify", "--sources", str(texts), "--json"])
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["sources"][0]["fingerprint"] == "differs"
