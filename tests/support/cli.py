"""Running linker's command line in-process, as the tests do."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from linker.cli import app


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run(*args: str, expect_exit: int | None = 0, stdin: str | None = None) -> Result:
    """Run linker in-process and check its exit status."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if expect_exit is not None:
        assert result.exit_code == expect_exit, (result.exit_code, result.stdout, result.stderr)
    return Result(result.exit_code, result.stdout, result.stderr)
