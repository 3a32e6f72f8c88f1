"""PTT article addresses: ptt.cc URLs, the ``/b/{Board}/{AID}`` short form and mirror sites.

Mirrors re-render posts in their own markup, so linker maps them back to the ptt.cc URL and
parses the original page instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from linker.errors import InputError
from linker.messages import Msg

PTT_BASE = "https://www.ptt.cc"

_AID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_AID_VALUE = {c: i for i, c in enumerate(_AID_ALPHABET)}
_BOARD = r"[A-Za-z0-9_\-]+"
_FILE = r"[MG]\.\d+\.A(?:\.[0-9A-Fa-f]{3})?"
_ARTICLE_PATH = re.compile(rf"^/bbs/(?P<board>{_BOARD})/(?P<file>{_FILE})\.html$")
_AID_PATH = re.compile(rf"^/b/(?P<board>{_BOARD})/(?P<aid>[0-9A-Za-z\-_]{{8}})/?$")


@dataclass(frozen=True)
class ArticleRef:
    """A PTT article: its board and file name (``M.1737507516.A.88B``)."""

    board: str
    file: str

    @property
    def url(self) -> str:
        """The canonical www.ptt.cc URL of the article."""
        return f"{PTT_BASE}/bbs/{self.board}/{self.file}.html"

    @property
    def created(self) -> int:
        """The unix time encoded in the file name (the post's creation time)."""
        return int(self.file.split(".")[1])


def decode_aid(aid: str) -> str:
    """Turn an 8-character AID into the article file name.

    >>> decode_aid("1ZO92zHD")
    'M.1667272893.A.44D'
    """
    if len(aid) != 8 or any(c not in _AID_VALUE for c in aid):
        raise InputError(Msg("not a PTT article id: {aid}", aid=repr(aid)), input=aid)
    value = 0
    for c in aid:
        value = (value << 6) | _AID_VALUE[c]
    kind = "M" if (value >> 44) & 0xF == 0 else "G"
    timestamp = (value >> 12) & 0xFFFFFFFF
    return f"{kind}.{timestamp}.A.{value & 0xFFF:03X}"


def encode_aid(file: str) -> str:
    """The 8-character AID of an article file name (the inverse of :func:`decode_aid`)."""
    match = re.fullmatch(r"([MG])\.(\d+)\.A\.([0-9A-Fa-f]{3})", file)
    if not match:
        raise InputError(Msg("not a PTT article file name: {file}", file=repr(file)), input=file)
    kind = 0 if match.group(1) == "M" else 1
    value = (kind << 44) | (int(match.group(2)) << 12) | int(match.group(3), 16)
    return "".join(_AID_ALPHABET[(value >> shift) & 0x3F] for shift in range(42, -1, -6))


def _mirror_ref(host: str, path: str, query: str) -> ArticleRef | None:
    parts = [p for p in path.split("/") if p]
    if host.endswith("pttweb.cc") and len(parts) == 3 and parts[0] == "bbs":
        file = parts[2].removesuffix(".html")
        if re.fullmatch(_FILE, file):
            return ArticleRef(parts[1], file)
    if host.endswith(("pttcareers.com", "pttdigits.com")) and len(parts) == 2:
        return ArticleRef(parts[0], decode_aid(parts[1]))
    if host.endswith("webptt.com"):
        target = parse_qs(query).get("n", [""])[0]
        match = re.fullmatch(rf"bbs/({_BOARD})/({_FILE})\.html", unquote(target))
        if match:
            return ArticleRef(match.group(1), match.group(2))
    if (host.endswith("ucptt.com") and len(parts) == 4 and parts[0] == "article"
            and parts[2].isdigit() and re.fullmatch(r"[0-9A-Fa-f]{3}", parts[3])):
        return ArticleRef(parts[1], f"M.{parts[2]}.A.{parts[3].upper()}")
    if host.endswith("ptt.best") and len(parts) == 3 and parts[0] == "bbs":
        file = parts[2].removesuffix(".html")
        if re.fullmatch(_FILE, file):
            return ArticleRef(parts[1], file)
    return None


def is_url(text: str) -> bool:
    """Whether ``text`` looks like a URL rather than a path."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", text.strip()))


def looks_like_address(text: str) -> bool:
    """Whether ``text`` is a web address without its scheme (``www.ptt.cc/bbs/…``): a host
    name with a dot and a top-level domain, then a path. A file name alone (``post.html``)
    is not one."""
    return bool(re.match(r"^(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}(?::\d{1,5})?/\S*$", text.strip()))


def article_ref(url: str) -> ArticleRef:
    """Map any URL users paste for a PTT post to the article it names.

    Raises:
        InputError: the URL is not a PTT article (a board page, another site, a bad scheme).
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - validates the port and IPv6 brackets
    except ValueError as exc:
        raise InputError(Msg("malformed URL: {error}", error=str(exc)), input=url) from exc
    if parts.scheme not in ("http", "https"):
        raise InputError(Msg("unsupported URL scheme {scheme}: give an http(s) PTT URL",
                             scheme=repr(parts.scheme)),
                         input=url, stage="input")
    host = (parts.hostname or "").lower()
    if host in ("www.ptt.cc", "ptt.cc"):
        match = _ARTICLE_PATH.match(parts.path)
        if match:
            return ArticleRef(match.group("board"), match.group("file"))
        match = _AID_PATH.match(parts.path)
        if match:
            return ArticleRef(match.group("board"), decode_aid(match.group("aid")))
        if re.match(rf"^/bbs/{_BOARD}(/(index\d*\.html|search)?)?/?$", parts.path):
            raise InputError(Msg("this is a PTT board page, not a post: give an article URL"),
                             input=url)
        raise InputError(Msg("not a PTT article URL"), input=url)
    ref = _mirror_ref(host, parts.path, parts.query)
    if ref is None:
        raise InputError(
            Msg("not a PTT post URL (www.ptt.cc articles and the pttweb, webptt, ucptt, "
                "ptt.best, pttcareers and pttdigits mirrors are understood)"),
            input=url,
        )
    return ref
