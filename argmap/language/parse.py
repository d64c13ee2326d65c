"""Text → statements, with syntax errors as diagnostics.

A file is cut into statements first (a statement starts at column 0; indented, blank and comment
lines belong to the statement above). Each statement is parsed on its own, and a syntax error on
an attribute line costs only that line, with the `...` lines that continue its last string
(:func:`groups`, :func:`parse_statement`), so `argmap check` reports every broken line of a file
in one run; :func:`damage` tells validation what the errors left out, so that they cause no
follow-on errors.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from argmap.language.diagnostics import Diagnostic
from argmap.language.grammar import KEYWORDS, STATEMENT_KEYWORDS
from argmap.language.model import COMPONENTS
from argmap.language.source import SourceFile

# Names of terminals in words, so that no message ever shows `__ANON_0` or `_NL`.
TERMINAL_WORDS = {
    "ID": "an id", "STRING": 'a "quoted string"', "INT": "a whole number", "NUMBER": "a number",
    "COLON": "`:`", "DOT": "`.`", "LPAR": "`(`", "RPAR": "`)`", "_NL": "the end of the line",
    "_INDENT": "an indented attribute line", "$END": "the end of the file",
    "CONTINUE": "a `...` continuation line",
}

ATTRIBUTES = {
    "source": ("by", "year", "file", "cite", "note"),
    "assumption": ("cite", "note"),
    "claim": ("if", "cite", "note"),
    "proposal": ("outer:", "inner:", "training:", "performance:", "cite", "note"),
    "conflict": ("cite", "note"),
    "worldview": ("assume", "deny", "credence", "cite", "note"),
    "expect": ("cite", "note"),
}


def words(terminal: str) -> str:
    if terminal in TERMINAL_WORDS:
        return TERMINAL_WORDS[terminal]
    if terminal.lower() in KEYWORDS or terminal.isupper():
        return f"`{terminal.lower()}`"
    return terminal


@dataclass(frozen=True)
class Chunk:
    text: str
    first_line: int        # 1-based line of the chunk's first line in the file
    keyword: str           # first word of the statement ('' for leading comments)
    orphan: bool = False   # the lines before the first statement (only blank and comment lines are right)


def chunks(src: SourceFile) -> tuple[list[Chunk], list[Diagnostic]]:
    """Cut a file into statements; check that each statement's attribute lines share one indentation."""
    out: list[Chunk] = []
    diags: list[Diagnostic] = []
    lines = src.lines
    start = 0
    for i, line in enumerate(lines + ["x"]):            # a sentinel statement start at the end
        if i > start and line[:1] not in ("", " ", "\t", "#"):
            out.append(_chunk(lines, start, i))
            start = i
    if out and lines[0][:1] in ("", " ", "\t", "#"):
        # What comes before the first statement belongs to no statement: parse_statement reports
        # an indented line there (the parser alone would accept `  assumption a: ...`).
        out[0] = Chunk(out[0].text, out[0].first_line, "", orphan=True)
    for ch in out:
        if not ch.orphan:
            diags.extend(_indentation(src, ch))
    if all(not line.strip() or line.lstrip().startswith("#") for line in lines):
        # Not an error (a placeholder file is harmless), but an empty map checking "ok" with no
        # word at all hides a wrong path or a file that lost its content.
        diags.append(Diagnostic(severity="warning", code="W304", file=src.name, line=1, column=1,
                                message="the file has no statements",
                                hint="a statement starts at column 0, e.g. `assumption a: \"...\"`"))
    return out, diags


def _chunk(lines: list[str], start: int, end: int) -> Chunk:
    body = lines[start:end]
    head = body[0] if body else ""
    # The leading word only (a head such as "\xa0" or "claim:x" has no whitespace-separated word).
    keyword = re.match(r"\w*", head).group() if head[:1] not in ("", " ", "\t", "#") else ""
    return Chunk("\n".join(body) + "\n", start + 1, keyword)


def continues(line: str) -> bool:
    """Whether a line is a `...` continuation line (of the string that ends the line above)."""
    return line[:1] in (" ", "\t") and line.lstrip(" \t").startswith("...")


def groups(lines: list[str]) -> list[tuple[int, int]]:
    """The logical lines of a statement: (first, end) index ranges of a line of code and the `...`
    continuation lines right below it. Blank and comment lines belong to no group."""
    out: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        code = line.strip()
        if not code or code.startswith("#"):
            continue
        if continues(line) and out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def _indentation(src: SourceFile, ch: Chunk) -> list[Diagnostic]:
    # A continuation line may be indented as the writer likes (fmt indents it one level deeper
    # than the line it continues), so it takes no part in this check.
    first: tuple[str, int] | None = None
    for offset, line in enumerate(ch.text.split("\n")[1:], start=1):
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#") or continues(line):
            continue
        indent = line[: len(line) - len(stripped)]
        lineno = ch.first_line + offset
        if first is None:
            first = (indent, lineno)
        elif indent != first[0]:
            return [Diagnostic(
                severity="error", code="E106", file=src.name, line=lineno, column=1,
                message="inconsistent indentation in one statement",
                hint=f"indent every attribute line of the statement as line {first[1]} does "
                     f"({_describe_indent(first[0])})", source_line=src.line(lineno))]
    return []


def _describe_indent(indent: str) -> str:
    tabs, spaces = indent.count("\t"), indent.count(" ")
    parts = [f"{n} {w}{'s' if n != 1 else ''}" for n, w in ((spaces, "space"), (tabs, "tab")) if n]
    return " and ".join(parts)


@dataclass(frozen=True)
class Parsed:
    """One statement after recovery: its model objects (None if the header line itself is broken),
    every syntax error found in it, the attribute lines dropped to find the others, and the
    diagnostics of building what was kept (argmap.language.build)."""

    statements: list | None
    diagnostics: list[Diagnostic]
    dropped: list[tuple[int, str]]      # (line number in the file, text) of each dropped line
    build_diagnostics: list[Diagnostic] = field(default_factory=list)


def _parsed(built, diagnostics: list[Diagnostic], dropped: list[tuple[int, str]]) -> Parsed:
    """``built``: what parse_chunk built, (statements, their diagnostics), or None."""
    if built is None:
        return Parsed(None, diagnostics, dropped)
    return Parsed(built[0], diagnostics, dropped, built[1])


def parse_statement(src: SourceFile, ch: Chunk) -> Parsed:
    """Parse one statement, recovering per attribute line.

    A syntax error on an attribute line costs that line, not the statement: every attribute line is
    then parsed on its own under the statement's header, each bad one is reported and blanked (so
    line numbers stay), and the rest is parsed as the statement. So every bad line of a proposal is
    reported in one run, and the proposal still exists for the statements that refer to it (no
    cascade of "unknown proposal" errors). Line by line, because re-parsing the whole statement
    after each error is quadratic: 1,000 bad lines among 1,000 good ones took 21 s that way.
    """
    lines = ch.text.split("\n")
    if ch.orphan:
        return Parsed(None, _orphan_errors(src, ch, lines), [])
    built, problems = parse_chunk(src, ch)
    if built is not None or not problems:
        return _parsed(built, problems, [])
    logical = groups(lines)
    head = logical[0][1] if logical and logical[0][0] == 0 else 1    # the header and its `...` lines
    if problems[0].line < ch.first_line + head:
        # The header is broken: the statement is lost, but its attribute lines can still be
        # checked, under a stand-in header of the same kind (the likely kind, if misspelt).
        if problems[0].code == "E104" and (kind := likely_kind(ch)):
            problems[0] = problems[0].model_copy(update={"hint": _kind_hint(ch, kind)})
        return Parsed(None, problems + _attribute_errors(src, ch, lines, head), [])
    diags: list[Diagnostic] = []
    dropped: list[tuple[int, str]] = []
    for first, end in logical[1:]:
        # One attribute line with its `...` lines; the header moved down next to it, so that
        # they keep their own line numbers.
        alone = Chunk("\n".join(lines[:head] + lines[first:end]) + "\n", ch.first_line + first - head,
                      ch.keyword)
        own = [d for d in parse_chunk(src, alone)[1] if ch.first_line + first <= d.line < ch.first_line + end]
        if own:         # (an error placed elsewhere is left to the parse of the whole statement below)
            diags.extend(own)
            for i in range(first, end):
                dropped.append((ch.first_line + i, lines[i]))
                lines[i] = ""
    while True:     # the lines parse alone; together they should too (else drop, as before)
        built, problems = parse_chunk(src, Chunk("\n".join(lines), ch.first_line, ch.keyword))
        diags.extend(problems)
        if built is not None or not problems:
            return _parsed(built, diags, dropped)
        at = problems[0].line - ch.first_line
        if at < head or at >= len(lines) or not lines[at].strip():
            return Parsed(None, diags, dropped)
        first, end = next(((f, e) for f, e in groups(lines) if f <= at < e), (at, at + 1))
        for i in range(first, end):
            dropped.append((ch.first_line + i, lines[i]))
            lines[i] = ""


def _orphan_errors(src: SourceFile, ch: Chunk, lines: list[str]) -> list[Diagnostic]:
    """Lines before the first statement: an indented one belongs to no statement."""
    for offset, line in enumerate(lines):
        code = line.lstrip(" \t")
        if code and not code.startswith("#"):
            return [Diagnostic(
                severity="error", code="E101", file=src.name, line=ch.first_line + offset,
                column=len(line) - len(code) + 1, source_line=line,
                message="an indented line with no statement above it",
                hint="a statement starts at column 0; indented lines are attribute lines of the statement above")]
    return []


# A header that parses, per statement kind, to check the attribute lines of a broken header.
STAND_IN = {"source": 'source x: ""', "assumption": 'assumption x: ""', "claim": 'claim x: ""',
            "proposal": 'proposal x: ""', "conflict": "conflict x: x", "worldview": 'worldview x: ""',
            "expect": "expect consistent"}


def _attribute_errors(src: SourceFile, ch: Chunk, lines: list[str], head: int) -> list[Diagnostic]:
    """The errors of the attribute lines below a broken header of `head` lines (with its `...`
    lines), checked under a stand-in header of the statement's kind, or of its likely kind."""
    kind = likely_kind(ch)
    if kind is None or len(lines) <= head or not any(ln.strip() for ln in lines[head:]):
        return []
    stand_in = Chunk("\n".join([STAND_IN[kind], *[""] * (head - 1), *lines[head:]]), ch.first_line, kind)
    found = parse_statement(src, stand_in).diagnostics
    return [d for d in found if d.line >= ch.first_line + head]


def _kind_hint(ch: Chunk, kind: str) -> str:
    """"did you mean `proposal`?", saying why when the spelling alone would not suggest it."""
    if difflib.get_close_matches(ch.keyword, [kind], n=1, cutoff=0.6):
        return f"did you mean `{kind}`?"
    return f"did you mean `{kind}`? (its attribute lines are those of a `{kind}`)"


def likely_kind(ch: Chunk) -> str | None:
    """The statement kind ``ch`` was meant to be: its keyword if known; for a misspelt keyword
    (`propsal p: ...`), the kind whose own attribute keywords its lines use most (`outer:` makes
    it a proposal, `assume` a worldview; `cite` and `note` fit every kind and tell nothing), ties
    going to the kind spelt most like the keyword; with no telling line, the keyword's closest
    spelling; None if neither points anywhere."""
    if ch.keyword in STAND_IN:
        return ch.keyword
    firsts = [m.group(1) for ln in ch.text.split("\n")[1:] if (m := re.match(r"[ \t]+([a-z]+:?)", ln))]
    telling = {kind: sum(w in attrs for w in firsts if w not in ("cite", "note"))
               for kind, attrs in ATTRIBUTES.items()}
    telling = {kind: n for kind, n in telling.items() if n}
    if telling:
        return max(sorted(telling), key=lambda k: (telling[k], difflib.SequenceMatcher(None, ch.keyword, k).ratio()))
    close = difflib.get_close_matches(ch.keyword, list(STAND_IN), n=1, cutoff=0.6)
    return close[0] if close else None


_HEADER = re.compile(r"([a-z]+)[ \t]+([a-z][a-z0-9_]*)")
_WORD = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?")


def damage(ch: Chunk, parsed: Parsed) -> tuple[set[str], set[str]]:
    """What a statement's syntax errors hide from the later checks, so they add no follow-on errors.

    Returns (damaged, mentioned): ``damaged`` names whose declaration is broken (a statement whose
    header did not parse), or incomplete (``p.inner`` when a proposal's `inner` line was dropped; a
    claim that lost an attribute line); ``mentioned`` the words of every dropped or unparsed line, which
    count as used (no "unused assumption" warning for an id used only on a broken line).
    """
    damaged: set[str] = set()
    mentioned: set[str] = set()
    if not parsed.diagnostics:
        return damaged, mentioned
    code_lines = [ln.strip() for ln in ch.text.split("\n") if ln.strip() and not ln.strip().startswith("#")]
    header = _HEADER.match(code_lines[0] if code_lines else "")
    # (a misspelt keyword still declares its id, as the likely kind: references to it are not errors)
    name = header.group(2) if header and (header.group(1) in STATEMENT_KEYWORDS or likely_kind(ch)) else None
    if parsed.statements is None:
        if name:
            damaged.add(name)
        mentioned.update(_WORD.findall(_code(ch.text)))
        return damaged, mentioned
    for _, text in parsed.dropped:
        mentioned.update(_WORD.findall(_code(text)))
        first = re.match(r"[ \t]*([a-z]+)", text)
        if name and first and ch.keyword == "proposal":
            close = difflib.get_close_matches(first.group(1), COMPONENTS, n=1, cutoff=0.7)
            if close:
                damaged.add(f"{name}.{close[0]}")
        elif name and ch.keyword == "claim":        # the line may have been a misspelt `if`
            damaged.add(name)
    return damaged, mentioned


def _code(text: str) -> str:
    """The text without its strings and comments (their words are not ids)."""
    return re.sub(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*', " ", text)


def parse_chunk(src: SourceFile, ch: Chunk):
    """Parse one statement as it is (no recovery). Returns (built, syntax errors): built is None
    after a syntax error, else (its statement objects, the diagnostics of building them)."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    from argmap.language.build import building_parser     # (imports Lark: only when text is parsed)
    try:
        return building_parser().parse(src, ch.text, ch.first_line), []
    except UnexpectedCharacters as exc:
        return None, [_unexpected_char(src, ch, exc)]
    except UnexpectedToken as exc:
        return None, [_unexpected_token(src, ch, exc)]
    except UnexpectedInput as exc:  # UnexpectedEOF: not raised by LALR, kept for safety
        line = ch.first_line + max(getattr(exc, "line", 1), 1) - 1
        return None, [Diagnostic(severity="error", code="E101", file=src.name, line=line, column=1,
                                 message="unexpected end of the statement", source_line=src.line(line))]


def _unexpected_char(src: SourceFile, ch: Chunk, exc) -> Diagnostic:
    line = ch.first_line + exc.line - 1
    col = exc.column
    text = src.line(line)
    char = text[col - 1] if 0 < col <= len(text) else ""
    if char == '"':
        return Diagnostic(severity="error", code="E102", file=src.name, line=line, column=col,
                          message="unterminated string", source_line=text,
                          hint='close the string with `"` on the same line (a long text goes on in a new string on a '
                               '`...` line below); write a quote inside it as `\\"`')
    if text[col - 1: col + 1] in ("->", "=>") or text[col - 1: col + 2] == "<->":
        hint = ("there is no implication operator: `a -> b` is a claim with an `if` line "
                "(`claim b: \"...\"` then `  if a`), or `not a or b` inside an expression")
    elif char in ("&", "|", "!"):
        word = {"&": "and", "|": "or", "!": "not"}[char]
        hint = f"write `{word}` instead of `{char}`"
    elif char.isalpha() and not char.isascii() or char.isupper():
        hint = "ids are lower-case ASCII letters, digits and `_`, starting with a letter"
    else:
        hint = "remove the character, or put the text inside a quoted string"
    shown = repr(char) if not char.isprintable() or char.isspace() else f"`{char}`"
    return Diagnostic(severity="error", code="E103", file=src.name, line=line, column=col,
                      message=f"unexpected character {shown}", source_line=text, hint=hint)


def _unexpected_token(src: SourceFile, ch: Chunk, exc) -> Diagnostic:
    tok = exc.token
    # A `...` line is always possible after a string; naming it in every "expected" would hide
    # what the line lacks (docs/language.md explains continuation lines).
    expected = sorted({words(t) for t in (exc.accepts or exc.expected) if t not in ("_INDENT", "CONTINUE")}
                      or {"more"})
    if tok.type == "$END":
        line = ch.first_line + ch.text.rstrip("\n").count("\n")
        text = src.line(line)
        col = len(text) + 1
        got = "the end of the file"
    else:
        line = ch.first_line + (tok.line or 1) - 1
        text = src.line(line)
        col = tok.column or 1
        got = words(tok.type) if tok.type in ("_NL", "_INDENT") else f"`{_clip(str(tok.value))}`"
        if tok.type == "_NL":   # the line break token starts where the previous line ends
            line = ch.first_line + (tok.line or 1) - 1
            text = src.line(line)
            col = len(text.rstrip()) + 1
    message = f"expected {_join(expected)}, found {got}"
    hint = None
    code = "E101"
    if tok.type == "DOT" and text[col - 1: col + 2] == "...":
        code = "E114"
        message, hint = _misplaced_continuation(src, line, text, col)
    elif line == ch.first_line and col == 1 and tok.type == "ID":
        code = "E104"
        message = f"unknown statement `{tok.value}`"
        hint = _did_you_mean(str(tok.value), STATEMENT_KEYWORDS) or (
            "a statement starts with one of: " + ", ".join(f"`{k}`" for k in STATEMENT_KEYWORDS))
    elif not ch.keyword and col > 1 and _after_indent(text, col):
        message = "an indented line with no statement above it"
        hint = "a statement starts at column 0; indented lines are attribute lines of the statement above"
    elif tok.type in ("ID", "STRING") and _after_indent(text, col) and ch.keyword in ATTRIBUTES:
        allowed = ATTRIBUTES[ch.keyword]
        code = "E105"
        message = f"unknown attribute line in a `{ch.keyword}` statement: `{_clip(str(tok.value))}`"
        hint = _did_you_mean(str(tok.value), [a.rstrip(":") for a in allowed]) or (
            f"a `{ch.keyword}` statement takes: " + ", ".join(f"`{a}`" for a in allowed))
    elif tok.type == "_INDENT":
        message = f"expected {_join(expected)} before the indented line"
        hint = "an attribute line continues the statement above; did the line above end too early?"
    elif tok.type == "_NL":
        message = f"the line ends too early: expected {_join(expected)}"
    elif tok.type == "ID" and str(tok.value) in KEYWORDS:
        hint = f"`{tok.value}` is a keyword and cannot be used as an id"
    elif tok.type == "UNLESS":
        hint = "one `unless` per line: join the exceptions with `or`, e.g. `a unless b or c`"
    elif "`:`" in expected and len(expected) <= 3 and line == ch.first_line:
        hint = "a statement header reads `KIND id: ...`"
    elif "`:`" in expected and len(expected) <= 3:
        word = text.split()[0] if text.split() else "name"
        hint = f"a component line reads `{word}: EXPR`: add `:` after `{word}`"
    return Diagnostic(severity="error", code=code, file=src.name, line=line, column=col,
                      message=message, source_line=text, hint=hint)


def _misplaced_continuation(src: SourceFile, line: int, text: str, col: int) -> tuple[str, str]:
    """Message and hint for a `...` where no string goes on (E114)."""
    if not _after_indent(text, col):
        return ("`...` inside a line: a continuation starts its own line",
                'break the line before `...`: `"first part "` then, on the next line, `  ... "rest"`')
    if col == 1:
        return ("a continuation line must be indented",
                "indent the `...` line below the line whose string it continues")
    above = src.line(line - 1).strip() if line > 1 else ""
    if not above or above.startswith("#"):
        why = "a blank line" if not above else "a comment line"
        return (f"a `...` continuation line after {why}",
                "a continuation line goes right below the string it continues: remove the blank or "
                "comment line")
    code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', above)
    if "#" in code and code.split("#", 1)[0].rstrip().endswith('"'):
        return ("a `...` continuation line below a comment",
                "a comment ends the line's string for good: move the comment to the last `...` line")
    return ("a `...` continuation line below a line that does not end with a string",
            'only a string can be continued: the line above must end with a "quoted string"')


def _after_indent(text: str, col: int) -> bool:
    return text[: col - 1].strip() == ""


def _did_you_mean(word: str, choices) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"
