"""Command modules are imported when one of their commands runs (argmap/cli/__init__.py COMMANDS).

What would break: a command missing from the table (it would vanish from `--help` and be "No such
command"), a table entry naming the wrong module, `check` importing every other command's module
again, or click's "Did you mean" missing commands not yet imported.
"""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

CODE = """
import sys
from argmap.cli import COMMANDS, main
{body}
"""


def run(body: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CODE.format(body=body), *args], capture_output=True, text=True,
                          timeout=120)


def test_the_table_names_exactly_the_commands_each_module_defines():
    body = """
import importlib
for module, names in COMMANDS.items():
    before = set(main.commands)
    importlib.import_module(module)
    added = set(main.commands) - before
    assert added == set(names), (module, sorted(added), names)
print("ok")
"""
    proc = run(body)
    assert proc.stdout == "ok\n", proc.stderr[-2000:]


def test_a_command_imports_only_its_own_module():
    body = """
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(sorted(m for m in COMMANDS if m in sys.modules), file=sys.stderr)
"""
    proc = run(body, "--map", "tests/fixtures/maps/tiny", "check")
    assert proc.stderr.strip().splitlines()[-1] == "['argmap.cli.check']", proc.stderr[-2000:]
    proc = run(body, "--map", "tests/fixtures/maps/tiny", "what-breaks", "overseer_honest")
    assert proc.stderr.strip().splitlines()[-1] == "['argmap.cli.queries']", proc.stderr[-2000:]


def test_help_lists_every_command_and_a_typo_gets_a_suggestion():
    from argmap.cli import COMMANDS, main
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for names in COMMANDS.values():
        for name in names:
            assert f"\n  {name} " in result.output, name
    proc = run("main(sys.argv[1:])", "fmtt")             # fmt's module is not imported before the typo
    assert proc.returncode == 2 and "Did you mean 'fmt'?" in proc.stderr, proc.stderr
