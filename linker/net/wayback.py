"""The Wayback Machine: the copy of a page nearest to the time a post was written.

Used when the cited page is gone (404/410, DNS failure, nothing to extract), and to tell "the
outlet changed its article after the post" apart from "the poster changed the text".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from linker.errors import FetchError
from linker.models import Document
from linker.net.fetch import Client

AVAILABILITY = "https://archive.org/wayback/available"


@dataclass(frozen=True)
class Snapshot:
    """An archived copy of a page."""

    url: str
    """The original page's address at archive.org (raw, without the archive's toolbar)."""
    timestamp: str
    """``YYYYMMDDhhmmss`` (UTC), as the archive names it."""
    document: Document

    @property
    def date(self) -> str:
        """The snapshot's time as ISO 8601."""
        t = datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        return t.isoformat()


def availability_url(url: str, when: datetime | None) -> str:
    """The availability-API query for ``url`` near ``when``."""
    query = f"{AVAILABILITY}?url={quote(url, safe='')}"
    if when is not None:
        query += "&timestamp=" + when.astimezone(UTC).strftime("%Y%m%d%H%M%S")
    return query


def nearest_snapshot(url: str, when: datetime | None, client: Client) -> Snapshot | None:
    """The archived copy of ``url`` nearest ``when``, or None when there is none (or the
    archive cannot be reached)."""
    try:
        answer = client.get(availability_url(url, when), stage="archive",
                            accept=("application/json", "text/"))
        data = json.loads(answer.content.decode("utf-8"))
    except (FetchError, ValueError, UnicodeDecodeError):
        return None
    closest = (data.get("archived_snapshots") or {}).get("closest") if isinstance(
        data, dict) else None
    if not isinstance(closest, dict) or not closest.get("available"):
        return None
    timestamp = str(closest.get("timestamp", ""))
    if len(timestamp) != 14 or not timestamp.isdigit() or str(closest.get("status")) != "200":
        return None
    raw = f"https://web.archive.org/web/{timestamp}id_/{url}"
    try:
        document = client.get(raw, stage="archive")
    except FetchError:
        return None
    return Snapshot(raw, timestamp, document)
