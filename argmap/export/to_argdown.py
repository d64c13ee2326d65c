"""`argmap export --format argdown`: the map in Argdown (https://argdown.org), for its tools.

- Every assumption, claim, verdict and conflict is a statement titled by its id
  (``[myopia_verification]: text``); a verdict's text is its proposal's title and component. Cites
  (and notes) are kept as text after the statement's own, so Argdown shows where each came from.
- Every ``if`` line (or component line) is an argument ``<ID support N>`` whose premises are the
  conjuncts of its expression and whose main conclusion is the claim or verdict; its ``unless``
  part undercuts it (``<_``).
- A premise that is not a plain id gets a statement of its own, titled by the expression: a
  negation ``[not x]`` contradicts ``[x]``; a disjunction ``[a or b]`` is supported by each side.
- A conflict of two conjuncts makes them contradict each other (``><``); any other conflict
  contradicts the statement of its whole expression.

Argdown gives meaning to most punctuation in text (``_`` and ``*`` emphasis, ``[x]``, ``<x>``,
``#tag``, ``{data}``, ``//`` comments, ``===`` front matter), so every ASCII punctuation character
of user text is escaped with a backslash, which Argdown reads as the character itself. Titles are
ids and expressions, which contain none of the characters that end a title (``]`` and ``>``).
"""

from __future__ import annotations

import re
import string

from argmap.export import Exported
from argmap.language.model import And, ArgumentMap, Not, Or, Provenance, Ref, show
from argmap.words import count

_ESCAPED = re.compile("([" + re.escape(string.punctuation) + "])")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def argdown_text(text: str) -> str:
    """User text as Argdown freestyle text that reads back as exactly ``text`` (line breaks aside)."""
    return _ESCAPED.sub(r"\\\1", _CONTROL.sub(" ", text))


def _with_provenance(text: str, prov: Provenance) -> str:
    parts = [text]
    parts += [f"(cite {c.source}, {c.locator}: \u201c{c.quote}\u201d)" for c in prov.citations]
    parts += [f"(note: {n})" for n in prov.notes]
    return " ".join(p for p in parts if p)


class _Writer:
    def __init__(self, amap: ArgumentMap):
        self.amap = amap
        self.statements: dict[str, tuple[str, list[str]]] = {}    # title → (text, relation lines)
        self.order: list[str] = []

    def statement(self, title: str, text: str, relations=()) -> None:
        if title not in self.statements:
            self.statements[title] = (text, [])
            self.order.append(title)
        self.statements[title][1].extend(relations)

    def of(self, formula) -> str:
        """The title of the statement that says ``formula``, declaring it if it is not an id."""
        if isinstance(formula, Ref):
            return formula.name
        title = show(formula)
        if title in self.statements:
            return title
        if isinstance(formula, Not):
            inner = self.of(formula.arg)
            self.statement(title, f"It is not the case that: {self._describe(formula.arg)}",
                           [f"    >< [{inner}]"])
        elif isinstance(formula, Or):
            sides = [self.of(a) for a in formula.args]
            self.statement(title, "At least one of: " + "; ".join(self._describe(a) for a in formula.args),
                           [f"    + [{s}]" for s in sides])
        else:
            for a in formula.args:
                self.of(a)
            self.statement(title, "All of: " + "; ".join(self._describe(a) for a in formula.args))
        return title

    def _describe(self, formula) -> str:
        # (the final full stop dropped: descriptions are joined with "; ")
        return self.amap.text_of(formula.name).rstrip(".") if isinstance(formula, Ref) else show(formula)


def _verdict_text(amap: ArgumentMap, v) -> str:
    proposal = amap.proposals.get(v.proposal)
    title = proposal.title if proposal else v.proposal
    text = f"{title} {v.text.removeprefix(v.proposal).strip()}"
    return _with_provenance(text, proposal.provenance) if proposal else text


def export(amap: ArgumentMap, scenario=None, title=None) -> Exported:
    w = _Writer(amap)
    for a in amap.assumptions.values():
        w.statement(a.id, _with_provenance(a.text, a.provenance))
    for c in amap.claims.values():
        w.statement(c.id, _with_provenance(c.text, c.provenance))
    for v in amap.verdicts.values():
        w.statement(v.id, _verdict_text(amap, v))
    for k in amap.conflicts.values():
        w.statement(k.id, _with_provenance(f"Never: {show(k.formula)}", k.provenance))

    arguments: list[str] = []
    for node in [*amap.claims.values(), *amap.verdicts.values()]:
        for i, s in enumerate(node.supports, start=1):
            conjuncts = s.when.args if isinstance(s.when, And) else (s.when,)
            premises = list(dict.fromkeys(w.of(f) for f in conjuncts))
            name = f"{node.id} support {i}"
            pcs = [f"<{name}>", ""]
            pcs += [f"({n}) [{p}]" for n, p in enumerate(premises, start=1)]
            pcs += ["----", f"({len(premises) + 1}) [{node.id}]"]
            if s.unless is not None:
                pcs += ["", f"<{name}>", f"    <_ [{w.of(s.unless)}]"]
            arguments.append("\n".join(pcs))
    for k in amap.conflicts.values():
        parts = k.formula.args if isinstance(k.formula, And) else ()
        if len(parts) == 2:
            w.statement(w.of(parts[0]), "", [f"    >< [{w.of(parts[1])}]"])
        else:
            w.statement(k.id, "", [f"    >< [{w.of(k.formula)}]"])

    out = [f"// argmap export of {argdown_comment(title or 'the map')}: {count(len(amap.assumptions), 'assumption')}, "
           f"{count(len(amap.claims), 'claim')}, {count(len(amap.verdicts), 'verdict')}, "
           f"{count(len(amap.conflicts), 'conflict')}", ""]
    for t in w.order:
        text, relations = w.statements[t]
        # Argdown refuses a definition with no text (`[t]:`), so blank text leaves a bare title.
        head = f"[{t}]: {argdown_text(text.strip())}" if text.strip() else f"[{t}]"
        out.append("\n".join([head, *relations]))
        out.append("")
    for a in arguments:
        out += [a, ""]
    return Exported("\n".join(out))


def argdown_comment(text: str) -> str:
    """Text safe inside a `//` line comment (one line)."""
    return _CONTROL.sub(" ", text)
