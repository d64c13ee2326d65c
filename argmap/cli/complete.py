"""Shell completion of ids: click calls these for arguments and options while the user presses Tab.

The map is the one `--map` names on the command line being completed (or the default map). Any
problem — no map, a map with errors, an unreadable file — completes nothing rather than printing:
whatever reaches the terminal during completion would garble the command line. Enable it with
`eval "$(_ARGMAP_COMPLETE=bash_source argmap)"` (zsh_source, fish_source: docs/cli.md).
"""

from __future__ import annotations

from click.shell_completion import CompletionItem


def _map(ctx):
    import contextlib
    import io
    root = ctx.find_root()
    paths = list(root.params.get("maps") or ())
    if not paths:
        from argmap.cli.default_map import default_map
        paths = default_map()[0]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            from argmap.language.loader import read_map
            amap, _ = read_map(paths)
        return amap
    except Exception:           # completion must never fail loudly, whatever the map holds
        return None


def _items(ctx, incomplete: str, pick) -> list[CompletionItem]:
    amap = _map(ctx)
    if amap is None:
        return []
    out = []
    for name, kind, text in pick(amap):
        if name.startswith(incomplete):
            out.append(CompletionItem(name, help=f"{kind}: {text}"[:80]))
    return out


def _table(amap, kind: str):
    table = {"assumption": amap.assumptions, "claim": amap.claims, "verdict": amap.verdicts,
             "worldview": amap.worldviews, "proposal": amap.proposals}[kind]
    for name, st in table.items():
        yield name, kind, getattr(st, "text", None) or getattr(st, "title", "") or ""


def _verdict_text(amap, name: str) -> str:
    return amap.text_of(name)


def verdicts_and_claims(ctx, param, incomplete):
    """`why V`, `render --verdict V`: verdicts (`proposal.component`) and claims."""
    return _items(ctx, incomplete, lambda m: [(v, "verdict", _verdict_text(m, v)) for v in m.verdicts]
                  + list(_table(m, "claim")))


def verdicts(ctx, param, incomplete):
    return _items(ctx, incomplete, lambda m: [(v, "verdict", _verdict_text(m, v)) for v in m.verdicts])


def assumptions(ctx, param, incomplete):
    return _items(ctx, incomplete, lambda m: _table(m, "assumption"))


def worldviews(ctx, param, incomplete):
    return _items(ctx, incomplete, lambda m: _table(m, "worldview"))


def proposals(ctx, param, incomplete):
    return _items(ctx, incomplete, lambda m: _table(m, "proposal"))
