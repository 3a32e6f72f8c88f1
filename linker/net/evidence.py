"""Evidence of a check: every HTTP exchange saved to a cassette file, and replayed offline.

News gets edited after the fact; a moderator needs to show what the page said when it was
checked.  ``--record FILE`` saves the exchanges (vcrpy's YAML cassette format, readable by
anyone), ``--replay FILE`` re-runs the check from them without the network.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from linker.errors import InputError
from linker.messages import Msg


@contextmanager
def recording(path: str | os.PathLike[str]) -> Iterator[None]:
    """Record every HTTP exchange inside the block to ``path`` (written atomically)."""
    import vcr  # lazy: only evidence runs need it

    target = Path(path)
    folder = target.parent if str(target.parent) else Path()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".yaml", dir=folder)
    os.close(fd)
    Path(tmp).unlink()
    recorder = vcr.VCR(record_mode="all", decode_compressed_response=True)
    try:
        with recorder.use_cassette(tmp):
            yield
        if Path(tmp).exists():
            Path(tmp).replace(target)
        else:  # nothing was fetched: still leave an (empty) cassette as evidence
            target.write_text("interactions: []\nversion: 1\n", encoding="utf-8")
    finally:
        Path(tmp).unlink(missing_ok=True)


@contextmanager
def replaying(path: str | os.PathLike[str]) -> Iterator[None]:
    """Serve every HTTP request inside the block from the cassette at ``path`` only.

    Raises:
        InputError: the file is missing; a request not in it fails the check instead.
    """
    import vcr

    if not Path(path).is_file():
        raise InputError(Msg("no such evidence file: {path}", path=str(path)), input=str(path),
                         stage="replay")
    player = vcr.VCR(record_mode="none")
    with player.use_cassette(str(path), allow_playback_repeats=True):
        yield
