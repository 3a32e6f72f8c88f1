"""linker's exception tree and exit statuses.

Every error linker raises on purpose derives from :class:`LinkerError` and carries the context a
user needs to act on it: which input, which URL, which pipeline stage.  Every exit status is
decided here (:func:`exit_status_for` an error, :func:`exit_status_for_verdict` a check,
:func:`exit_status_for_run` a batch); the CLI only raises what they return::

    LinkerError
    ├── InputError            the input is not something linker can read (bad path, not a post URL)
    ├── FetchError            an HTTP exchange failed (carries ``url`` and ``status``)
    │   ├── NotFoundError     404/410: the post or article is gone
    │   ├── Over18Error       ptt.cc still shows its over-18 gate
    │   └── UnsupportedContentError   not an HTML page (PDF, image, too big)
    ├── ParseError            the page is not a PTT post linker can parse
    ├── ExtractionError       no article text could be extracted from the source page
    ├── StoreError            the result store is corrupt, read-only or in use
    └── ClusterError          a Dask cluster cannot be started, joined or used
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Process exit codes, shared by every command."""

    OK = 0
    #: ``linker check``: the repost differs from its source.
    EDITED = 1
    #: Could not do what was asked (bad input, network, parse or extraction failure).
    ERROR = 2
    INTERRUPTED = 130


class Failure(enum.StrEnum):
    """What kind of failure stopped a fetch or a read: decisions (the Wayback fallback, a board's
    link-dead rule) read this, never the message's words."""

    GONE = "gone"
    """HTTP 404 or 410: removed, or never there."""
    NO_HOST = "no-host"
    """The host name does not resolve."""
    REFUSED = "refused"
    """The host refused the connection."""
    UNREACHABLE = "unreachable"
    """Another connection error (no route, network down)."""
    TIMEOUT = "timeout"
    """No connection in time, stopped answering, or the deadline ran out."""
    BROKEN = "broken"
    """The connection broke off mid-answer."""
    TLS = "tls"
    """The TLS handshake or certificate failed."""
    HTTP = "http"
    """Another HTTP error status (403, 5xx…), retries spent."""
    REDIRECTS = "redirects"
    """A redirect loop, or too many redirects."""
    BLOCKED = "blocked"
    """linker refused the address (a private network, a scheme it does not fetch)."""
    UNSUPPORTED = "unsupported"
    """Not a web page, or too large."""
    NO_TEXT = "no-text"
    """The page was read, but no article text was found on it."""
    NOT_RECORDED = "not-recorded"
    """Replaying evidence: the request is not in the file."""


DEAD_LINK = frozenset({Failure.GONE, Failure.NO_HOST, Failure.REFUSED})
"""Failures that say the cited page is not there, whenever one tries."""
UNREACHED = DEAD_LINK | {Failure.UNREACHABLE, Failure.TIMEOUT, Failure.BROKEN, Failure.NO_TEXT}
"""Failures an archived copy of the page can stand in for (not a refusal, such as a PDF)."""


class LinkerError(Exception):
    """Base class: anything linker refuses or fails to do, with context.

    Args:
        message: one line a user can act on.
        input: what the user gave (path, URL, ``-``), when known.
        url: the URL being worked on, when any.
        stage: the pipeline stage (``input``, ``fetch``, ``parse``, ``extract``, ``align``...).
    """

    default_stage = "linker"
    default_failure: Failure | None = None

    def __init__(
        self,
        message: str,
        *,
        input: str | None = None,
        url: str | None = None,
        stage: str | None = None,
        failure: Failure | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.input = input
        self.url = url
        self.stage = stage or self.default_stage
        self.failure = failure or self.default_failure
        """What kind of failure it was, where it matters (fetches, extraction)."""

    def __str__(self) -> str:
        return str(self.text())

    def text(self) -> str:
        """The message with the input or URL it concerns; a :class:`~linker.messages.Msg`
        when the message is one, so a view can translate it."""
        where = self.url or self.input
        if not where or where in self.message:
            return self.message
        from linker.messages import Msg

        return Msg("{message} ({where})", message=self.message, where=where)


class InputError(LinkerError):
    """The input cannot be read as a PTT post: bad path, empty file, not a PTT URL."""

    default_stage = "input"


class FetchError(LinkerError):
    """An HTTP request failed: connection, timeout, HTTP error status, too many redirects."""

    default_stage = "fetch"

    def __init__(
        self,
        message: str,
        *,
        input: str | None = None,
        url: str | None = None,
        stage: str | None = None,
        status: int | None = None,
        failure: Failure | None = None,
    ) -> None:
        super().__init__(message, input=input, url=url, stage=stage, failure=failure)
        self.status = status


class NotFoundError(FetchError):
    """The server answered 404 or 410: the post was deleted or the article removed."""

    default_failure = Failure.GONE


class Over18Error(FetchError):
    """ptt.cc answered with its over-18 gate although the ``over18`` cookie was sent."""


class UnsupportedContentError(FetchError):
    """The response is not an HTML page linker can read (PDF, image, oversized body)."""

    default_failure = Failure.UNSUPPORTED


class ParseError(LinkerError):
    """The text or page is not a PTT post linker can parse."""

    default_stage = "parse"


class ExtractionError(LinkerError):
    """No article text could be extracted from the source page."""

    default_stage = "extract"
    default_failure = Failure.NO_TEXT


class StoreError(LinkerError):
    """The result store cannot be used: not a database, read-only, or in use by a batch."""

    default_stage = "store"


class ClusterError(LinkerError):
    """A Dask cluster cannot be started or joined, or its workers run another linker."""

    default_stage = "cluster"


def exit_status_for(error: BaseException) -> ExitStatus:
    """Map an exception to the process exit status."""
    if isinstance(error, KeyboardInterrupt):
        return ExitStatus.INTERRUPTED
    return ExitStatus.ERROR


def exit_status_for_verdict(verdict: str) -> ExitStatus:
    """``linker check``'s status: 0 faithful, 1 edited, 2 could not check."""
    return {"faithful": ExitStatus.OK, "edited": ExitStatus.EDITED}.get(verdict,
                                                                          ExitStatus.ERROR)


def exit_status_for_run(*, lost: bool, interrupted: bool) -> ExitStatus:
    """``linker batch``'s status: 2 when posts were lost (a rerun checks them), 130 when
    interrupted, else 0 (edited posts are data of a sweep, not a failure of it)."""
    if lost:
        return ExitStatus.ERROR
    return ExitStatus.INTERRUPTED if interrupted else ExitStatus.OK
