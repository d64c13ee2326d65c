"""Highlight argmap text with the TextMate grammar the editors use, without an editor.

A small TextMate interpreter: enough of the format for `vscode/syntaxes/argmap.tmLanguage.json`
(`match` with `captures`, `begin`/`end` with their captures and inner `patterns`, `include` of
`#repository` rules and `$self`), line by line, earliest match wins, ties go to the first rule and an
open region's `end` comes first, as in vscode-textmate. The grammar's regexes are written in the
part of Oniguruma that Python's `re` reads the same way, so the tests compile and run them here.

    python3 editors/tmhighlight.py MAP.argmap > page.html    # the page behind docs/editors.png
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

GRAMMAR = Path(__file__).resolve().parent / "vscode" / "syntaxes" / "argmap.tmLanguage.json"


class Grammar:
    def __init__(self, data: dict):
        self.data = data
        self.repo = data.get("repository", {})
        self._regex: dict[str, re.Pattern] = {}

    @classmethod
    def load(cls, path: Path = GRAMMAR) -> "Grammar":
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def regex(self, source: str) -> re.Pattern:
        if source not in self._regex:
            self._regex[source] = re.compile(source)
        return self._regex[source]

    def rules(self, patterns: list[dict]) -> list[dict]:
        """``patterns`` with every include replaced by the rules it names, in order."""
        out: list[dict] = []
        for p in patterns:
            if "include" in p:
                ref = p["include"]
                target = self.data if ref == "$self" else self.repo[ref.lstrip("#")]
                out.extend(self.rules(target["patterns"]) if "match" not in target and "begin" not in target
                           else [target])
            elif "match" in p or "begin" in p:
                out.append(p)
            else:
                out.extend(self.rules(p.get("patterns", [])))
        return out

    def tokenize(self, text: str) -> list[list[tuple[str, tuple[str, ...]]]]:
        """Each line → its tokens as (text, scopes from outermost to innermost)."""
        base = (self.data["scopeName"],)
        stack: list[tuple[dict, tuple[str, ...]]] = []      # open begin/end regions
        out = []
        for line in text.split("\n"):
            tokens: list[tuple[str, tuple[str, ...]]] = []
            pos = 0
            for _ in range(4 * len(line) + 8):             # every step consumes text or closes a region
                scopes = stack[-1][1] if stack else base
                region = stack[-1][0] if stack else None
                candidates = self.rules(region.get("patterns", []) if region else self.data["patterns"])
                best, best_rule = None, None
                if region is not None:
                    best = self.regex(region["end"]).search(line, pos)
                for rule in candidates:
                    m = self.regex(rule.get("match") or rule["begin"]).search(line, pos)
                    if m and m.end() > m.start() and (best is None or m.start() < best.start()):
                        best, best_rule = m, rule
                if best is None:
                    tokens.append((line[pos:], scopes))
                    break
                tokens.append((line[pos:best.start()], scopes))
                if best_rule is None:                       # the open region's end
                    tokens.extend(_captured(best, scopes, region.get("endCaptures", {})))
                    stack.pop()
                elif "begin" in best_rule:
                    inner = scopes + ((best_rule["name"],) if "name" in best_rule else ())
                    tokens.extend(_captured(best, inner, best_rule.get("beginCaptures", {})))
                    stack.append((best_rule, inner))
                else:
                    outer = scopes + ((best_rule["name"],) if "name" in best_rule else ())
                    tokens.extend(_captured(best, outer, best_rule.get("captures", {})))
                pos = best.end()
            # a region that ends at `$` closes with its line; others (none in this grammar) go on
            while stack and self.regex(stack[-1][0]["end"]).pattern.endswith("$"):
                stack.pop()
            out.append([(s, sc) for s, sc in tokens if s])
        return out


def _captured(m: re.Match, scopes: tuple[str, ...], captures: dict) -> list[tuple[str, tuple[str, ...]]]:
    """The matched text split by its captured groups (groups do not overlap in this grammar)."""
    whole = scopes + ((captures["0"]["name"],) if "0" in captures else ())
    pieces, pos = [], m.start()
    for group in sorted((int(k) for k in captures if k != "0" and m.start(int(k)) >= 0),
                        key=lambda g: m.start(g)):
        s, e = m.span(group)
        if s < pos:
            continue
        if s > pos:
            pieces.append((m.string[pos:s], whole))
        pieces.append((m.string[s:e], whole + (captures[str(group)]["name"],)))
        pos = e
    if pos < m.end():
        pieces.append((m.string[pos:m.end()], whole))
    return pieces


# Colours of VS Code's default light theme (Light+) for the scopes the grammar uses.
THEME = [
    ("comment", "#008000"), ("string", "#a31515"), ("constant.character.escape", "#ee0000"),
    ("invalid", "#cd3131"), ("keyword.control", "#af00db"), ("keyword.operator", "#0000ff"),
    ("keyword", "#0000ff"), ("entity.name.function", "#795e26"), ("entity.name.type", "#267f99"),
    ("entity.name.namespace", "#267f99"), ("entity.name.constant", "#0070c1"), ("support.type", "#267f99"),
    ("constant.language", "#0000ff"), ("constant.numeric", "#098658"), ("variable", "#001080"),
]


def colour(scopes: tuple[str, ...]) -> str | None:
    for scope in reversed(scopes):
        for prefix, col in THEME:
            if scope == prefix or scope.startswith(prefix + "."):
                return col
    return None


def to_html(text: str, title: str = "argmap", grammar: Grammar | None = None) -> str:
    grammar = grammar or Grammar.load()
    rows = []
    for number, tokens in enumerate(grammar.tokenize(text), start=1):
        cells = []
        for piece, scopes in tokens:
            col = colour(scopes)
            esc = html.escape(piece, quote=True)
            cells.append(f'<span style="color:{col}" title="{html.escape(" ".join(scopes[1:]), quote=True)}">'
                         f"{esc}</span>" if col else esc)
        rows.append(f'<span class="n">{number}</span>{"".join(cells)}')
    body = "\n".join(rows)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body {{ margin: 0; background: #f3f3f3; font-family: sans-serif; }}
.tab {{ background: #fff; display: inline-block; padding: 6px 14px; font-size: 13px; color: #333;
        border-top: 2px solid #005fb8; }}
pre {{ margin: 0; padding: 10px 0; background: #fff; color: #3b3b3b; font: 14px/20px "DejaVu Sans Mono", monospace; }}
.n {{ display: inline-block; width: 3.5em; padding-right: 1.5em; text-align: right; color: #6e7681; }}
</style></head>
<body><div class="tab">{html.escape(title)}</div><pre>{body}</pre></body></html>
"""


if __name__ == "__main__":
    path = Path(sys.argv[1])
    sys.stdout.write(to_html(path.read_text(encoding="utf-8"), path.name))
