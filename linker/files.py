"""Writing outputs so that an interruption never leaves a half-written file, and nothing a
user gave is clobbered.

What an output path is decides how it is written:

- a regular file (or a new one): through a temporary file in the same folder and a rename, so
  readers see the old file or the whole new one; the file keeps its permissions, a new one gets
  the umask's;
- a symbolic link: the file it points to is replaced that way, the link stays a link;
- ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``: written to the descriptor the process already
  holds, so ``-o /dev/stdout >> log`` appends as the shell asked instead of truncating ``log``;
- a character device, FIFO or socket (a pipe, ``/dev/null``): written through, never replaced by
  a regular file;
- a folder, or a path whose folder does not exist: refused before any work
  (:func:`check_output`).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from linker.errors import InputError
from linker.messages import Msg


def check_output(path: str | os.PathLike[str], option: str = "--output") -> None:
    """Refuse an output path that cannot be written, before a command does any work.

    Raises:
        InputError: the path is a folder, or its folder does not exist.
    """
    target = Path(path)
    where = str(target)
    if target.is_dir():
        raise InputError(Msg("{option} {path} is a folder: give a file name", option=option,
                             path=where), input=where, stage="output")
    folder = Path(os.path.realpath(target)).parent
    if not folder.is_dir():
        raise InputError(Msg("{option} {path}: the folder {folder} does not exist",
                             option=option, path=where, folder=str(folder)),
                         input=where, stage="output")


_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2}


def _inherited(target: Path) -> int | None:
    """The descriptor a path names, when it names one the process already holds."""
    name = str(target)
    if name in _STANDARD:
        return _STANDARD[name]
    match = re.fullmatch(r"/(?:dev|proc/self)/fd/(\d{1,4})", name)
    return int(match.group(1)) if match else None


def _umask() -> int:
    # The only portable way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` as the module docstring says.

    Raises:
        InputError: the path cannot be written (a folder, a missing folder, no permission).
    """
    target = Path(path)
    descriptor = _inherited(target)
    if descriptor is not None:
        _write_descriptor(descriptor, target, text, encoding)
        return
    try:
        mode = target.stat().st_mode  # follows a link to what it points to
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError(Msg("cannot write {path}: {error}", path=str(target),
                             error=exc.strerror or str(exc)), input=str(target),
                         stage="output") from exc
    try:
        if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            # A device, FIFO or socket is written through: replacing it would put a regular
            # file where the system's device was.
            with open(target, "w", encoding=encoding, newline="") as handle:  # noqa: PTH123
                handle.write(text)
            return
        check_output(target)
        real = Path(os.path.realpath(target))
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        try:
            Path(tmp).chmod(stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
            with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            Path(tmp).replace(real)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except InputError:
        raise
    except OSError as exc:
        raise InputError(Msg("cannot write {path}: {error}", path=str(target),
                             error=exc.strerror or str(exc)), input=str(target),
                         stage="output") from exc


def _write_descriptor(descriptor: int, target: Path, text: str, encoding: str) -> None:
    data = text.encode(encoding)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    except OSError as exc:
        raise InputError(Msg("cannot write {path}: {error}", path=str(target),
                             error=exc.strerror or str(exc)), input=str(target),
                         stage="output") from exc
