"""Output files of the commands: checked before any work, and a finished result never lost.

`check_output` refuses (exit 2, naming the option) a path whose folder does not exist or cannot be
written, or that is a folder, before a command loads or solves anything. If writing still fails
afterwards (a full disk, a folder removed meanwhile), `write_keeping` writes the result to a new
file in the system's temporary folder instead and says where; the command then finishes and exits
1. A rota that took minutes to plan is never lost.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import typer

from rota.cli.app import EXIT_FAILED, err
from rota.errors import FieldError, InvalidInput


def check_output(path: Path | None, option: str) -> None:
    if path is None:
        return
    folder = path.parent if str(path.parent) else Path(".")
    problem = None
    if path.is_dir():
        problem = "is a folder; give a file name"
    elif not folder.is_dir():
        problem = f"cannot be written: the folder {str(folder)!r} does not exist"
    elif not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        problem = "cannot be written: permission denied"
    if problem:
        raise InvalidInput([FieldError(option, f"{str(path)!r} {problem}")], "option")


def write_keeping(path: Path, write: Callable[[Path], object], what: str) -> Path:
    """`write(path)` and `path`; if that fails, `write` to a fresh temporary file, say so on stderr
    and return that file (the caller exits 1 when it is not `path`)."""
    try:
        write(path)
        return path
    except OSError as exc:
        problem = exc.strerror or str(exc)
    handle, name = tempfile.mkstemp(prefix="rota-", suffix=path.suffix or ".out")
    os.close(handle)
    kept = Path(name)
    write(kept)
    err.print(f"error: cannot write {path} ({problem}); the {what} is kept in {kept}",
              highlight=False, markup=False)
    return kept


def exit_if_kept(written: Path, asked: Path) -> None:
    if written != asked:
        raise typer.Exit(EXIT_FAILED)
