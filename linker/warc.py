"""Cited pages read from web archives (WARC/ARC files) instead of the live web.

A :class:`WarcIndex` scans the response records of one or more WARC files (warcio reads
WARC and ARC, gzipped or not) and maps each page's *key* to its captures:

* the key is the URL normalised by courlan (lower-case host, tracking parameters such as
  ``utm_*`` and ``fbclid`` dropped, fragment dropped), then without its scheme, a leading
  ``www.`` and a trailing ``/``: ``https://www.x.tw/a/?utm_source=y`` and ``http://x.tw/a``
  are one page;
* a 3xx capture is a redirect recorded in the archive and is followed (the capture nearest
  the same time is taken at each hop);
* of several captures of one page, the one nearest the post's time wins.

The index holds offsets only; a record's bytes are read when a post needs them.  A
:meth:`WarcIndex.subset` holds only what some posts need, with those bytes read once: a task
of a batch on a cluster carries one, so workers read no WARC file.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from linker.errors import FetchError, NotFoundError
from linker.messages import Msg
from linker.models import Document

MAX_HOPS = 10


def url_key(url: str) -> str:
    """The archive lookup key of ``url`` (see the module's description)."""
    from courlan import normalize_url

    try:
        normal = normalize_url(url.strip(), strict=True)
    except ValueError:
        normal = url.strip()
    parts = urlsplit(normal)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or ""
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Capture:
    """One archived response: where its record lies and what it answered."""

    url: str
    when: datetime
    status: int
    file: Path
    offset: int
    location: str | None = None
    """Where a redirect pointed (absolute)."""


@dataclass(frozen=True)
class Served:
    """The capture that stands for a cited URL, with the redirects followed to reach it."""

    capture: Capture
    hops: tuple[Capture, ...] = ()
    """The redirect captures followed to reach it, in order."""

    @property
    def history(self) -> tuple[str, ...]:
        """The redirected URLs, as a live fetch reports them."""
        return tuple(hop.url for hop in self.hops)

    @property
    def date(self) -> str:
        return self.capture.when.isoformat()


class WarcIndex:
    """Every response record of some WARC/ARC files, by :func:`url_key`, oldest first."""

    def __init__(self, captures: list[Capture],
                 payloads: dict[Capture, tuple[bytes, str | None]] | None = None) -> None:
        by_key: dict[str, list[Capture]] = defaultdict(list)
        for c in captures:
            by_key[url_key(c.url)].append(c)
        self._by_key = {k: sorted(v, key=lambda c: c.when) for k, v in by_key.items()}
        self._payloads = dict(payloads or {})

    @classmethod
    def build(cls, paths: list[Path]) -> WarcIndex:
        """Scan ``paths`` (one pass over each file, headers only)."""
        from warcio.archiveiterator import ArchiveIterator

        captures: list[Capture] = []
        for path in paths:
            with path.open("rb") as stream:
                records = ArchiveIterator(stream, arc2warc=True)
                for record in records:
                    if record.rec_type != "response" or record.http_headers is None:
                        continue
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    when = _parse_date(record.rec_headers.get_header("WARC-Date"))
                    if not url or when is None:
                        continue
                    status = int(record.http_headers.get_statuscode() or 0)
                    location = record.http_headers.get_header("Location")
                    captures.append(Capture(url, when, status, path, records.get_record_offset(),
                                            urljoin(url, location) if location else None))
        return cls(captures)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def captures(self, url: str) -> list[Capture]:
        return list(self._by_key.get(url_key(url), ()))

    def nearest(self, url: str, when: datetime | None) -> Capture | None:
        """The capture of ``url`` nearest ``when`` (the newest when ``when`` is None)."""
        found = self._by_key.get(url_key(url))
        if not found:
            return None
        if when is None:
            return found[-1]
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        i = bisect_left(found, when, key=lambda c: c.when)
        near = found[max(0, i - 1):i + 1]
        return min(near, key=lambda c: abs((c.when - when).total_seconds()))

    def serve(self, url: str, when: datetime | None) -> Served | None:
        """The capture that answers ``url`` at ``when``, redirects recorded in the archive
        followed; None when the page is in no archive (or a redirect leads out of them)."""
        hops: list[Capture] = []
        current = url
        for _ in range(MAX_HOPS):
            capture = self.nearest(current, when)
            if capture is None:
                return None
            if 300 <= capture.status < 400 and capture.location:
                hops.append(capture)
                current = capture.location
                continue
            return Served(capture, tuple(hops))
        return None

    def subset(self, wanted: Iterable[tuple[str, datetime | None]]) -> WarcIndex:
        """An index of only the captures that serve ``wanted`` (URL, post time) pairs, the
        redirects on the way included, with each served record's bytes read once.

        It serves each wanted pair exactly as this index does: a capture nearest a time among
        all captures is still the nearest among some of them.
        """
        captures: set[Capture] = set()
        final: set[Capture] = set()
        for url, when in wanted:
            served = self.serve(url, when)
            if served is not None:
                final.add(served.capture)
                captures.update(served.hops)
        captures |= final
        # In file order, so a subset of many records reads each file front to back.
        payloads = {c: self._payload(c) for c in sorted(final, key=lambda c: (str(c.file),
                                                                              c.offset))}
        return WarcIndex(sorted(captures, key=lambda c: (str(c.file), c.offset)), payloads)

    def _payload(self, capture: Capture) -> tuple[bytes, str | None]:
        """A record's HTTP body and Content-Type."""
        if capture in self._payloads:
            return self._payloads[capture]
        from warcio.archiveiterator import ArchiveIterator

        with capture.file.open("rb") as stream:
            stream.seek(capture.offset)
            record = next(iter(ArchiveIterator(stream, arc2warc=True)))
            content = record.content_stream().read()
            content_type = record.http_headers.get_header("Content-Type") if \
                record.http_headers else None
        return content, content_type

    def document(self, served: Served, origin: str) -> Document:
        """The archived response as a :class:`Document`, as a live fetch would give it."""
        from linker.fetch import charset_of

        capture = served.capture
        content, content_type = self._payload(capture)
        return Document(origin=origin, content=content, url=origin, final_url=capture.url,
                        status=capture.status, content_type=content_type,
                        charset=charset_of(content_type),
                        history=served.history)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class ArchiveLoader:
    """A source loader for one post: the capture nearest ``when``.  A page in no archive is
    fetched with ``live`` when given (``--live-fallback``), otherwise it is unverifiable.
    ``served`` tells which capture answered, for the report."""

    def __init__(self, index: WarcIndex, when: datetime | None,
                 live: Callable[[str], Document] | None = None) -> None:
        self.index, self.when, self.live = index, when, live
        self.served: Served | None = None

    def __call__(self, url: str) -> Document:
        served = self.index.serve(url, self.when)
        if served is None:
            if self.live is not None:
                return self.live(url)
            raise FetchError(Msg("not in the archives given with --sources"), url=url,
                             stage="archive")
        self.served = served
        doc = self.index.document(served, url)
        if doc.status in (404, 410):
            raise NotFoundError(Msg("HTTP {status}: not found or deleted", status=doc.status),
                                url=url, stage="archive", status=doc.status)
        if doc.status and doc.status >= 400:
            raise FetchError(f"HTTP {doc.status}", url=url, stage="archive", status=doc.status)
        return doc
