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

Archives are inputs like any other, broken or hostile: a file that is no archive, a record
that is cut short, a length that lies, a page that inflates to gigabytes.  The scan names
each problem in one line (:attr:`WarcIndex.problems`: file, offset, what is wrong), resumes at
the next record (the next gzip member, or the next ``WARC/`` header), and uses the rest of
the file and the other files.  An archived page is read as a stream and capped like a live
one (5 MB after decoding).
"""

from __future__ import annotations

import functools
import io
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from linker.errors import FetchError, NotFoundError, UnsupportedContentError
from linker.messages import Msg
from linker.models import Document

MAX_HOPS = 10
MAX_PAGE_BYTES = 5 * 1024 * 1024
"""Largest archived page read, after decoding: the cap of a live fetch."""
MAX_PROBLEMS = 50
"""Problems named per file before the rest of it is given up."""
_GZIP_MEMBER = re.compile(rb"\x1f\x8b\x08")
_WARC_HEADER = re.compile(rb"(?:^|\n)(?:WARC/1\.[01]\r?\n)")


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
                 payloads: dict[Capture, tuple[bytes, str | None]] | None = None,
                 problems: Iterable[str] = (),
                 failures: dict[Capture, str] | None = None) -> None:
        by_key: dict[str, list[Capture]] = defaultdict(list)
        for c in captures:
            by_key[url_key(c.url)].append(c)
        self._by_key = {k: sorted(v, key=lambda c: c.when) for k, v in by_key.items()}
        self._payloads = dict(payloads or {})
        self._failures = dict(failures or {})
        self.problems: tuple[str, ...] = tuple(problems)
        """What could not be read (``file@offset: what``), in the order met."""

    @classmethod
    def build(cls, paths: list[Path]) -> WarcIndex:
        """Scan ``paths`` (one pass over each file, headers only); a broken file or record
        is named in :attr:`problems` and the scan goes on."""
        captures: list[Capture] = []
        problems: list[str] = []
        for path in paths:
            found, trouble = _scan(path)
            captures += found
            problems += trouble
        return cls(captures, problems=problems)

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
        payloads: dict[Capture, tuple[bytes, str | None]] = {}
        failures: dict[Capture, str] = {}
        for c in sorted(final, key=lambda c: (str(c.file), c.offset)):
            try:
                payloads[c] = self._payload(c)
            except FetchError as exc:
                failures[c] = str(exc.message)
        return WarcIndex(sorted(captures, key=lambda c: (str(c.file), c.offset)), payloads,
                         failures=failures)

    def _payload(self, capture: Capture) -> tuple[bytes, str | None]:
        """A record's HTTP body (decoded, at most :data:`MAX_PAGE_BYTES`) and Content-Type.

        Raises:
            UnsupportedContentError: the page is larger than that, or the record cannot be
                read again.
        """
        if capture in self._failures:
            raise UnsupportedContentError(self._failures[capture], url=capture.url,
                                          stage="archive")
        if capture in self._payloads:
            return self._payloads[capture]
        where = f"{capture.file.name}@{capture.offset}"
        try:
            with capture.file.open("rb") as stream:
                stream.seek(capture.offset)
                record = next(iter(_records(stream)))
                content_type = record.http_headers.get_header("Content-Type") if \
                    record.http_headers else None
                # Read as a stream and cut at the cap: a page compressed in the archive may
                # inflate to gigabytes.
                body = record.content_stream()
                chunks: list[bytes] = []
                size = 0
                while size <= MAX_PAGE_BYTES and (chunk := body.read(64 * 1024)):
                    chunks.append(chunk)
                    size += len(chunk)
        except Exception as exc:  # warcio raises anything on broken input
            raise UnsupportedContentError(Msg("the archived record {where} cannot be read: "
                                              "{error}", where=where, error=_describe(exc)),
                                          url=capture.url, stage="archive") from exc
        if size > MAX_PAGE_BYTES:
            raise UnsupportedContentError(Msg(
                "the archived page {where} is over {limit} MB after decoding", where=where,
                limit=MAX_PAGE_BYTES // (1024 * 1024)), url=capture.url, stage="archive")
        return b"".join(chunks), content_type

    def document(self, served: Served, origin: str) -> Document:
        """The archived response as a :class:`Document`, as a live fetch would give it."""
        from linker.net.fetch import charset_of

        capture = served.capture
        content, content_type = self._payload(capture)
        return Document(origin=origin, content=content, url=origin, final_url=capture.url,
                        status=capture.status, content_type=content_type,
                        charset=charset_of(content_type),
                        history=served.history)


def _describe(exc: BaseException) -> str:
    """A reader's failure in a few words (warcio's messages quote raw bytes at length)."""
    if isinstance(exc, (EOFError, AttributeError)):
        return str(Msg("the file ends inside a record (truncated)"))
    if "Unknown archive format" in str(exc):
        return str(Msg("not a WARC or ARC record"))
    text = " ".join(str(exc).split())
    return text[:120] or type(exc).__name__


class _Silent(str):
    """A warning template that formats to nothing."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:
        return ""


@functools.cache
def _iterator_class() -> type[Any]:
    from warcio.archiveiterator import ArchiveIterator

    class Records(ArchiveIterator):  # type: ignore[misc]
        # warcio writes a record whose length is wrong to sys.stderr; linker counts it
        # (err_count) and names it in its own line. Swapping sys.stderr instead would race
        # with every other thread's output.
        INC_RECORD = _Silent(ArchiveIterator.INC_RECORD)

    return Records


def _records(stream: Any) -> Any:
    """warcio's record iterator over ``stream``, quiet on stderr."""
    return _iterator_class()(stream, arc2warc=True)


def _scan(path: Path) -> tuple[list[Capture], list[str]]:
    """The response captures of one archive file, and what could not be read in it."""
    try:
        size = path.stat().st_size
        with path.open("rb") as head:
            gzipped = head.read(2) == b"\x1f\x8b"
    except OSError as exc:
        return [], [f"{path.name}: {exc.strerror or exc}"]
    captures: list[Capture] = []
    problems: list[str] = []
    base = 0
    with path.open("rb") as stream:
        while base < size:
            if len(problems) >= MAX_PROBLEMS:
                problems.append(str(Msg("{file}: too many broken records, the rest of the file "
                                        "is skipped", file=path.name)))
                break
            records = _records(_From(stream, base))
            offset = base
            resume = None
            first = True
            try:
                for record in records:
                    warned = records.err_count
                    offset = base + records.get_record_offset()
                    first = False
                    length = record.rec_headers.get_header("Content-Length")
                    problem = _length_problem(length, offset, size, gzipped)
                    if problem is None and records.err_count > warned:
                        problem = str(Msg("the record's length does not match its content"))
                    if problem is not None:
                        problems.append(f"{path.name}@{offset}: {problem}")
                        resume = _next_record(stream, offset + 1, gzipped)
                        break
                    capture = _capture(record, path, offset)
                    if capture is not None:
                        captures.append(capture)
            except Exception as exc:  # warcio raises anything on broken input
                # The record that failed begins where the last one read ended.
                failed = base if first else max(offset, base + (records.offset or 0))
                problems.append(f"{path.name}@{failed}: {_describe(exc)}")
                resume = _next_record(stream, failed + 1, gzipped)
            else:
                # warcio stops quietly at a record cut short: a truncated file is found by
                # what lies after the last record it gave.
                cut = None if resume is not None else _cut_short(
                    stream, base if first else offset, size, gzipped)
                if cut is not None:
                    problems.append(f"{path.name}@{cut}: {_describe(EOFError())}")
            if resume is None or resume <= base:
                break
            base = resume
    return captures, problems


class _From:
    """A stream read from ``base`` on, telling positions from there: warcio counts offsets
    from where its stream began."""

    def __init__(self, stream: io.BufferedReader, base: int) -> None:
        self._stream, self._base = stream, base
        stream.seek(base)

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self._stream.readline(size)

    def tell(self) -> int:
        return self._stream.tell() - self._base


def _cut_short(stream: io.BufferedReader, offset: int, size: int, gzipped: bool) -> int | None:
    """Where the file is cut short after the record at ``offset`` (its last one read), or
    None: a gzip member without its end, or a WARC header warcio never reached."""
    if not gzipped:
        later = _next_record(stream, offset + 1, gzipped)
        return later if later is not None and later < size else None
    import zlib

    stream.seek(offset)
    position = member = offset  # where ``data`` begins; where the current member began
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    started = False
    data = b""
    while True:
        if not data:
            data = stream.read(1024 * 1024)
            if not data:
                return member if started else None
        try:
            # Inflated bytes are thrown away, a bounded amount at a time.
            inflate.decompress(data, 64 * 1024)
        except zlib.error:
            return member
        if inflate.eof:
            position += len(data) - len(inflate.unused_data)
            data, member = inflate.unused_data, position
            inflate, started = zlib.decompressobj(16 + zlib.MAX_WBITS), False
        else:
            position += len(data) - len(inflate.unconsumed_tail)
            data, started = inflate.unconsumed_tail, True


def _length_problem(length: str | None, offset: int, size: int, gzipped: bool) -> str | None:
    """What is wrong with a record's declared length, or None."""
    if length is None:
        return None
    try:
        declared = int(length)
    except ValueError:
        return str(Msg("Content-Length {value} is not a number", value=repr(length[:20])))
    if declared < 0:
        return str(Msg("Content-Length {value} is negative", value=declared))
    # Uncompressed, a record cannot be longer than what is left of the file; gzipped, no
    # member inflates more than about 1,000 times.
    room = (size - offset) * (1032 if gzipped else 1)
    if declared > room:
        return str(Msg("Content-Length {value} is more than the file holds", value=declared))
    return None


def _capture(record: object, path: Path, offset: int) -> Capture | None:
    rec_headers = record.rec_headers  # type: ignore[attr-defined]
    http = record.http_headers  # type: ignore[attr-defined]
    if record.rec_type != "response" or http is None:  # type: ignore[attr-defined]
        return None
    url = rec_headers.get_header("WARC-Target-URI")
    when = _parse_date(rec_headers.get_header("WARC-Date"))
    if not url or when is None:
        return None
    try:
        status = int(http.get_statuscode() or 0)
    except ValueError:
        status = 0
    location = http.get_header("Location")
    return Capture(url, when, status, path, offset,
                   urljoin(url, location) if location else None)


def _next_record(stream: io.BufferedReader, start: int, gzipped: bool) -> int | None:
    """Where the next record may begin at or after ``start``: the next gzip member, or the
    next ``WARC/1.x`` header line."""
    pattern = _GZIP_MEMBER if gzipped else _WARC_HEADER
    stream.seek(start)
    carry = b""
    position = start
    while chunk := stream.read(1024 * 1024):
        data = carry + chunk
        m = pattern.search(data)
        if m:
            found = position - len(carry) + m.start()
            return found + (1 if not gzipped and data[m.start():m.start() + 1] == b"\n" else 0)
        carry = data[-16:]
        position += len(chunk)
    return None


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
