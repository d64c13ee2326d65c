"""Statements → the immutable model, collecting diagnostics instead of raising.

Two steps: a Lark transformer builds each statement's model objects, then :func:`assemble`
(argmap.language.assemble, which needs no Lark, so that a map read from the parse cache never
imports it) puts the statements of all files into one namespace. The transformer runs inside the
LALR parser (Lark's ``transformer=``, :func:`building_parser`): each reduction builds its object at
once, so no parse tree is made and walked again (corpus: 64 -> 54 ms), and no recursion is involved
however deeply expressions nest before the depth check rejects them. It is also an ordinary
non-recursive transformer, for parse trees made otherwise.
"""

from __future__ import annotations

import functools
import re
import threading

from lark import Token, Transformer_NonRecursive
from lark.exceptions import UnexpectedInput

from argmap.language import fastlex
from argmap.language.assemble import _Attr, assemble  # noqa: F401  (assemble: its old home)
from argmap.language.diagnostics import Diagnostic
from argmap.language.grammar import KEYWORDS
from argmap.language.model import (And, Assumption, Citation, Claim, Conflict, Expect, Not, Or, Provenance, Ref,
                                   Source, Span, Support, Worldview, WorldviewLine)
from argmap.language.source import SourceFile

# What makes a string literal need the character-by-character scan: an escape, or a control
# character other than tab (each gets a diagnostic there).
_NEEDS_SCAN = re.compile(r"[\\\x00-\x08\x0a-\x1f\x7f]")

_SHA256 = re.compile(r"\A[0-9a-fA-F]{64}\Z")

MAX_DEPTH = 64   # nesting of not/and/or/parentheses in one expression; see docs/language.md


class _Deep:
    """An expression that went past MAX_DEPTH: carried upwards instead of a formula.

    Its span moves outwards with it, so the error points at the start of the whole expression
    (where the reader starts counting), not at the innermost operand thousands of columns on.
    """

    __slots__ = ("span",)

    def __init__(self, span: Span):
        self.span = span


class _Expr:
    __slots__ = ("formula", "depth", "span")

    def __init__(self, formula, depth: int, span: Span):
        self.formula, self.depth, self.span = formula, depth, span


def _unit_interval(number: str) -> bool:
    """Whether a NUMBER token's text is between 0 and 1, read exactly.

    >>> [_unit_interval(t) for t in ("0", "1", "1.000", ".5", "00.3", "1.00000000000000001", "1.5", "2")]
    [True, True, True, True, True, False, False, False]
    """
    whole, _, fraction = number.partition(".")
    whole = whole.lstrip("0")
    return whole == "" or (whole == "1" and fraction.strip("0") == "")


class StatementBuilder(Transformer_NonRecursive):
    def __init__(self, src: SourceFile, line_offset: int, diagnostics: list[Diagnostic]):
        super().__init__()
        self.src, self.offset, self.diags = src, line_offset, diagnostics

    # ---- helpers ------------------------------------------------------------------------------
    def span(self, tok: Token) -> Span:
        return Span(self.src.name, self.offset + (tok.line or 1), tok.column or 1)

    def error(self, code: str, span: Span, message: str, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(severity="error", code=code, message=message, hint=hint,
                                     file=span.file, line=span.line, column=span.column,
                                     source_line=self.src.line(span.line)))

    def ident(self, tok: Token) -> str:
        name = str(tok)
        if name in KEYWORDS:
            self.error("E107", self.span(tok), f"`{name}` is a keyword and cannot be used as an id",
                       hint=f"rename it, e.g. `{name}_`")
        return name

    def text(self, children) -> Token:
        """A text: its string literals, continued over `...` lines, joined verbatim.

        Returned as a token at the first literal, so that a diagnostic about the whole value
        (e.g. a malformed `sha256`) points where the text starts."""
        pieces = [self._literal(t) for t in children if t.type == "STRING"]
        return Token.new_borrow_pos("TEXT", "".join(pieces), children[0])

    def string(self, text: Token) -> str:
        return str(text)

    def _literal(self, tok: Token) -> str:
        raw = str(tok)[1:-1]
        if not _NEEDS_SCAN.search(raw):
            return raw              # the common case; the loop below costs ~30 µs per string
        out: list[str] = []
        i = 0
        while i < len(raw):
            ch = raw[i]
            if ch == "\\":
                nxt = raw[i + 1] if i + 1 < len(raw) else ""
                if nxt in ('"', "\\"):
                    out.append(nxt)
                    i += 2
                    continue
                span = Span(self.src.name, self.offset + tok.line, tok.column + 1 + i)
                self.error("E108", span, f"unknown escape `\\{nxt}` in a string",
                           hint='only `\\"` and `\\\\` are escapes; write a backslash as `\\\\`')
            elif ch != "\t" and (ch < " " or ch == "\x7f"):
                # Control characters are invisible in an editor and act on terminals (ESC [ ...).
                span = Span(self.src.name, self.offset + tok.line, tok.column + 1 + i)
                self.error("E111", span, f"control character U+{ord(ch):04X} in a string",
                           hint="remove it; strings hold visible text on one line")
            out.append(ch)
            i += 1
        return "".join(out)

    # ---- expressions --------------------------------------------------------------------------
    def vref(self, children):
        first = children[0]
        name = str(first) if len(children) == 1 else f"{first}.{children[2]}"
        span = self.span(first)
        if len(children) == 1:
            self.ident(first)
        return _Expr(Ref(name, span), 1, span)

    def _nary(self, children, op):
        parts = [c for c in children if not isinstance(c, Token)]
        if len(parts) == 1:
            return parts[0]
        if any(isinstance(p, _Deep) for p in parts):
            return _Deep(parts[0].span)     # point at the start of the too-deep expression
        depth = 1 + max(p.depth for p in parts)
        if depth > MAX_DEPTH:
            return _Deep(parts[0].span)
        return _Expr(op(tuple(p.formula for p in parts)), depth, parts[0].span)

    def or_(self, children):
        return self._nary(children, Or)

    def and_(self, children):
        return self._nary(children, And)

    def not_(self, children):
        inner = children[1]
        span = self.span(children[0])
        if isinstance(inner, _Deep) or inner.depth + 1 > MAX_DEPTH:
            return _Deep(span)
        return _Expr(Not(inner.formula), inner.depth + 1, span)

    def atom(self, children):
        inner = children[1]
        if isinstance(inner, _Deep) or inner.depth + 1 > MAX_DEPTH:
            return _Deep(self.span(children[0]))
        return _Expr(inner.formula, inner.depth + 1, inner.span)

    def formula(self, expr, where: Span):
        if isinstance(expr, _Deep):
            self.error("E109", expr.span, f"expression nested deeper than {MAX_DEPTH} levels",
                       hint="split it into named claims; each claim is one step of the argument")
            return None
        return expr.formula

    # ---- attribute lines ----------------------------------------------------------------------
    def cite(self, c):
        return _Attr("cite", (self.ident(c[1]), self.string(c[2]), self.string(c[3])), self.span(c[0]))

    def note(self, c):
        return _Attr("note", (self.string(c[1]),), self.span(c[0]))

    def by(self, c):
        return _Attr("by", (self.string(c[1]),), self.span(c[0]))

    def year(self, c):
        digits = str(c[1])
        if len(digits.lstrip("0")) > 4:      # also keeps int() away from its 4,300-digit limit
            self.error("E112", self.span(c[1]), f"year `{digits[:12]}{'…' if len(digits) > 12 else ''}` "
                       "has more than 4 digits", hint="a source's year is when it was published, e.g. `year 2020`")
            return _Attr("year", (None,), self.span(c[0]))
        return _Attr("year", (int(digits),), self.span(c[0]))

    def file(self, c):
        return _Attr("file", (self.string(c[1]),), self.span(c[0]))

    def url(self, c):
        return _Attr("url", (self.string(c[1]),), self.span(c[0]))

    def sha256(self, c):
        value = self.string(c[1])
        if not _SHA256.match(value):
            self.error("E113", self.span(c[1]), "a `sha256` fingerprint is 64 hexadecimal digits",
                       hint="compute it with `sha256sum FILE` (the first column), or drop the line")
            value = None
        return _Attr("sha256", (value,), self.span(c[0]))

    def support(self, c):
        span = self.span(c[0])
        return _Attr("support", (self.formula(c[1], span), self.formula(c[3], span) if c[3] else None), span)

    def component(self, c):
        span = self.span(c[0])
        return _Attr("component", (str(c[0]), self.formula(c[2], span),
                                   self.formula(c[4], span) if c[4] else None), span)

    def assume(self, c):
        return _Attr("assume", (self.ident(c[1]),), self.span(c[0]))

    def deny(self, c):
        return _Attr("deny", (self.ident(c[1]),), self.span(c[0]))

    def credence(self, c):
        span = self.span(c[0])
        value = float(c[2])
        if not _unit_interval(str(c[2])):    # the text, not the float: 1.00000000000000001 reads as 1.0
            self.error("E110", self.span(c[2]), f"credence {c[2]} is not between 0 and 1",
                       hint="a credence is a probability, e.g. `credence myopia_verification 0.3`")
        return _Attr("credence", (self.ident(c[1]), value), span)

    # ---- statements ---------------------------------------------------------------------------
    def _provenance(self, attrs) -> Provenance:
        cites = tuple(Citation(a.values[0], a.values[1], a.values[2], a.span) for a in attrs if a.kind == "cite")
        notes = tuple(a.values[0] for a in attrs if a.kind == "note")
        return Provenance(cites, notes)

    def source(self, c):
        attrs = c[4:]
        values = {a.kind: a.values[0] for a in attrs if a.kind in ("by", "year", "file", "url", "sha256")}
        return Source(self.ident(c[1]), self.string(c[3]), self.span(c[1]), by=values.get("by"),
                      year=values.get("year"), file=values.get("file"), url=values.get("url"),
                      sha256=values.get("sha256") and values["sha256"].lower(), provenance=self._provenance(attrs))

    def assumption(self, c):
        return Assumption(self.ident(c[1]), self.string(c[3]), self.span(c[1]), self._provenance(c[4:]))

    def claim(self, c):
        attrs = c[4:]
        supports = tuple(Support(a.values[0], a.values[1], a.span) for a in attrs
                         if a.kind == "support" and a.values[0] is not None)
        broken = any(a.kind == "support" and a.values[0] is None for a in attrs)
        claim = Claim(self.ident(c[1]), self.string(c[3]), supports, self.span(c[1]), self._provenance(attrs))
        return ("claim", claim, broken)

    def proposal(self, c):
        return ("proposal", self.ident(c[1]), self.string(c[3]), self.span(c[1]), c[4:])

    def conflict(self, c):
        span = self.span(c[1])
        formula = self.formula(c[3], span)
        return Conflict(self.ident(c[1]), formula, span, self._provenance(c[4:])) if formula else None

    def worldview(self, c):
        lines: list[WorldviewLine] = []
        own: list[_Attr] = []
        pending: list[_Attr] | None = None
        for a in c[4:]:
            if a.kind in ("assume", "deny", "credence"):
                if pending is not None:
                    lines.append(self._wv_line(*pending))
                pending = [a]
            elif pending is not None:
                pending.append(a)       # a cite or note right after a line belongs to that line
            else:
                own.append(a)
        if pending is not None:
            lines.append(self._wv_line(*pending))
        return Worldview(self.ident(c[1]), self.string(c[3]), tuple(lines), self.span(c[1]),
                         self._provenance(own))

    def _wv_line(self, line: _Attr, *prov: _Attr) -> WorldviewLine:
        value = line.values[1] if line.kind == "credence" else None
        return WorldviewLine(line.kind, line.values[0], line.span, value, self._provenance(prov))

    def expect(self, c):
        keyword, under, body, attrs = c[0], c[2], c[4], c[5:]
        span = self.span(keyword)
        kind, fields = body
        text = self.src.line(span.line).strip()
        fields = dict(fields)
        prefix = self.ident(under) if under else None
        fields["under"] = fields.get("under") or prefix     # `expect consistent W` names W inline
        return Expect(kind=kind, span=span, text=text, provenance=self._provenance(attrs), **fields)

    def literal(self, c):
        return (c[0] is None, c[1])

    def requires(self, c):
        return ("requires", {"target": c[0].formula.name, "positive": c[2][0], "assumption": self.ident(c[2][1])})

    def uses(self, c):
        return ("uses", {"target": c[0].formula.name, "positive": c[2][0], "assumption": self.ident(c[2][1])})

    def independent_of(self, c):
        return ("independent_of", {"target": c[0].formula.name, "assumption": self.ident(c[2])})

    def status(self, c):
        return ("status", {"target": c[0].formula.name, "status": str(c[1])})

    def consistent(self, c):
        return ("consistent", {"under": self.ident(c[1]) if c[1] else None})

    def start(self, children):
        return [c for c in children if not isinstance(c, Token)]


class BuildingParser:
    """The grammar's parser with a StatementBuilder as Lark's inline transformer.

    Lark binds the transformer's methods once, when the parser is made, so the builder's context
    (the file, the line the statement starts on, where its diagnostics go) is set for each parse,
    under a lock: a parse from another thread would otherwise build with this one's context."""

    def __init__(self):
        from argmap.language.grammar import _tables_parser, build_parser
        self._builder = StatementBuilder(None, 0, [])
        self._lark = _tables_parser(self._builder) or build_parser(self._builder)
        self._fast = fastlex.tables(self._lark)
        self._lock = threading.Lock()

    def parse(self, src: SourceFile, text: str, first_line: int) -> tuple[list, list[Diagnostic]]:
        """The statement objects of ``text`` (one chunk of ``src``, starting on line
        ``first_line``) and the diagnostics of building them; Lark's syntax errors propagate."""
        diags: list[Diagnostic] = []
        with self._lock:
            builder = self._builder
            builder.src, builder.offset, builder.diags = src, first_line - 1, diags
            try:
                if self._fast is not None:
                    # the same tokens and reductions as Lark's, in ~70% of its time (argmap.language.fastlex);
                    # text it does not take is parsed again below, where Lark reports the error
                    try:
                        return fastlex.parse(self._lark, self._fast, text), diags
                    except (fastlex.Fallback, UnexpectedInput):
                        diags.clear()
                return self._lark.parse(text), diags
            finally:
                builder.src, builder.diags = None, []


@functools.lru_cache(maxsize=1)
def building_parser() -> BuildingParser:
    return BuildingParser()
