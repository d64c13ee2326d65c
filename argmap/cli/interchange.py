"""`argmap fmt` (the canonical layout of map files) and `argmap diff` (what a change means)."""

from __future__ import annotations

import difflib
import sys

import click

from argmap.cli.shared import emit_json, main
from argmap.errors import ToolMissingError, UsageError
from argmap.outputs import shown_path
from argmap.words import count


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if some file is not in the canonical layout.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print a unified diff of the changes.")
@click.pass_context
def fmt(ctx, paths, check, show_diff):
    """Rewrite map files in one canonical layout (comments kept; strings wrapped at 100 columns
    over `...` lines, their values unchanged).

    A file with syntax errors is never formatted: its diagnostics are printed and the exit code
    is 2. `-` reads standard input and writes the result to standard output.
    """
    from argmap.language.format import format_source
    from argmap.language.source import collect_paths, display_name
    files = collect_paths(list(paths) or ctx.obj["maps"])
    refused = changed = 0
    for path in files:
        src, problems, raw = _read(path)
        result = format_source(src) if src is not None else None
        if result is None or not result.ok:
            refused += 1
            for d in problems or result.diagnostics:
                click.echo(d.format(), err=True)
            click.echo(f"{src.name if src else display_name(path)}: not formatted (fix the errors above first)",
                       err=True)
            continue
        if path == "-" and not (check or show_diff):
            click.echo(result.text, nl=False)
            continue
        if result.text.encode("utf-8") == raw:
            continue
        changed += 1
        if show_diff:
            lines = list(difflib.unified_diff(src.text.splitlines(keepends=True),
                                              result.text.splitlines(keepends=True), f"a/{src.name}", f"b/{src.name}"))
            # src.text is already read with LF line ends and no BOM, so those changes show no line.
            click.echo("".join(lines) if lines else f"# {src.name}: line ends (CRLF/CR to LF) or a BOM only\n", nl=False)
        if check:
            click.echo(f"would reformat {src.name}", err=True)
        elif not show_diff:
            _replace(path, result.text.encode("utf-8"))
            click.echo(f"reformatted {src.name}", err=True)
    verb = "would be reformatted" if check or show_diff else "reformatted"
    summary = f"{count(changed, 'file')} {verb}, {len(files) - changed - refused} unchanged"
    if refused:
        summary += f", {refused} refused (syntax errors)"
    if files != ["-"] or check or show_diff:
        click.echo(summary, err=True)
    ctx.exit(2 if refused else 1 if check and changed else 0)


def _replace(path: str, data: bytes) -> None:
    """Write beside the file, then rename over it: an interrupted run never leaves half a map."""
    import os
    import tempfile
    path = os.path.realpath(path)           # a symlinked map file stays a symlink
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".argmap-fmt-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _read(path: str):
    """(source or None, reading problems, the bytes as they are) of one file or of standard input."""
    from argmap.language.source import decode, read_source
    if path == "-":
        raw = sys.stdin.buffer.read()
        return (*decode("<stdin>", raw), raw)
    src, problems = read_source(path)       # a missing or unreadable file is a usage error (exit 2)
    with open(path, "rb") as fh:
        raw = fh.read()
    return src, problems, raw


# ---- diff -------------------------------------------------------------------------------------
DIFF_LISTED = 50        # supports and needs listed per side for the terminal's comparison
@main.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--all", "everything", is_flag=True, help="List unchanged verdicts too.")
@click.pass_context
def diff_cmd(ctx, old, new, as_json, everything):
    """What changed in meaning between two maps: statements, and every verdict under every worldview.

    OLD and NEW are each a .argmap file or directory, or `git:REV[:PATH]` (PATH defaults to
    claims/), read with `git show` at REV. Exit 0 if no verdict changed status, 1 if some did,
    2 for a usage or input error (including a map with errors), 4 if git is needed and missing.
    """
    import tempfile

    from argmap.analysis.diff import map_diff
    from argmap.analysis.queries import engine
    with tempfile.TemporaryDirectory(prefix="argmap-diff-") as tmp:
        sides = []
        for n, spec in enumerate((old, new)):
            amap, renames = _load_side(spec, f"{tmp}/{n}")
            engine(amap, ctx.obj["timeout_ms"])
            sides.append((amap, renames))
        # the terminal shows only the entries one side lists and the other does not, and none
        # when a list is cut, so it lists far fewer than --json (whose lists are `why`'s)
        result = map_diff(sides[0][0], sides[1][0], old, new, everything=everything,
                          limit=None if as_json else DIFF_LISTED)
        _rename_files(result, {**sides[0][1], **sides[1][1]})
    if as_json:
        emit_json(result)
    else:
        from argmap.analysis.diff import diff_text
        click.echo(diff_text(result))
    ctx.exit(1 if result.status_changes else 0)


def _load_side(spec: str, tmp: str):
    """(the map, {temporary file prefix: name to show}) of a path or of `git:REV[:PATH]`."""
    from argmap.language.loader import read_map
    renames = {}
    path = spec
    if spec.startswith("git:"):
        path, shown = _git_checkout(spec, tmp)
        renames[tmp + "/"] = shown
    amap, diags = read_map(path)
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        for d in errors[:20]:
            shown = d.model_copy(update={"file": _renamed(d.file, renames)})
            click.echo(shown.format(), err=True)
        raise UsageError(f"{shown_path(spec)}: the map has {count(len(errors), 'error')}; fix them first "
                         "(`argmap check` lists them all)")
    return amap, renames


def _git_checkout(spec: str, tmp: str) -> tuple[str, str]:
    """Write the .argmap files under PATH at REV into tmp; return (the path to read, the name prefix)."""
    import os
    import shutil
    rev, _, path = spec.removeprefix("git:").partition(":")
    if not rev:
        raise UsageError(f"`{shown_path(spec)}`: no revision", hint="write git:REV[:PATH], e.g. git:HEAD~1 or git:main:claims")
    if shutil.which("git") is None:
        missing = ToolMissingError("git is not installed, so `git:` revisions cannot be read")
        missing.hint = "install git (apt-get install git), or give OLD and NEW as paths"
        raise missing
    top = _git(["rev-parse", "--show-toplevel"], os.getcwd()).decode().strip()
    prefix = _git(["rev-parse", "--show-prefix"], os.getcwd()).decode().strip()
    full = os.path.normpath(os.path.join(prefix, path or "claims"))
    if full.startswith(".."):
        raise UsageError(f"`{shown_path(spec)}`: {shown_path(path)} is outside the git repository {shown_path(top)}")
    _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top,
         error=f"`{rev}` is not a revision of the repository {top}")
    listed = _git(["ls-tree", "-r", "-z", "--name-only", rev, "--", full], top).decode().split("\0")
    names = [n for n in listed if n.endswith(".argmap") and (n == full or n.startswith(full.rstrip("/") + "/")
                                                               or full == ".")]
    if not names:
        raise UsageError(f"`{shown_path(spec)}`: no .argmap files at {shown_path(full)} in {shown_path(rev)}",
                         hint="PATH is relative to the current directory; it defaults to claims/")
    for name in names:
        target = os.path.join(tmp, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(_git(["show", f"{rev}:{name}"], top))
    return os.path.join(tmp, full), f"git:{rev}:"


def _git(args: list[str], cwd: str, error: str | None = None) -> bytes:
    import subprocess
    run = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    if run.returncode != 0:
        detail = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(error or f"git {' '.join(args)}: {detail[-1] if detail else 'failed'}")
    return run.stdout


def _renamed(file: str, renames: dict[str, str]) -> str:
    for prefix, shown in renames.items():
        if file.startswith(prefix):
            return shown + file[len(prefix):]
    return file


def _rename_files(result, renames: dict[str, str]) -> None:
    """Show files read from git as `git:REV:path`, not as the temporary copies they were read from."""
    s = result.statements
    for item in [*s.added, *s.removed, *s.changed]:
        item.file = _renamed(item.file, renames)
