"""The committed cassettes are exactly what ``cassettes/build.py`` builds."""

from __future__ import annotations

import subprocess
import sys

from .conftest import CASSETTES


def test_cassettes_match_their_builder() -> None:
    """Editing a page builder without rebuilding the cassettes fails here."""
    result = subprocess.run([sys.executable, str(CASSETTES / "build.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
