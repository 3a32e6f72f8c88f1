"""What linker knows of outlets beyond their pages: where they are based, and which portals
only reprint other outlets' articles (``linker/data/origins.toml``, ``aggregators.toml``).

Board rules use both: Gossiping buckets news from media based in mainland China, Hong Kong or
Macau, and asks for the outlet's own link rather than a portal's reprint.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

from linker.messages import Msg
from linker.source.pagemeta import json_ld_of

REGIONS = {"CN": Msg("mainland China"), "HK": Msg("Hong Kong"), "MO": Msg("Macau")}


@dataclass(frozen=True)
class Origin:
    """Where an outlet is based, and why linker says so."""

    region: str
    """``CN``, ``HK`` or ``MO`` (see :data:`REGIONS`)."""
    name: str
    basis: str


@dataclass(frozen=True)
class Aggregator:
    """A portal that reprints other outlets' articles."""

    name: str
    domains: tuple[str, ...]
    provider_xpaths: tuple[str, ...] = ()


def _data(name: str) -> dict[str, Any]:
    text = resources.files("linker").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _origins() -> tuple[dict[str, str], tuple[tuple[str, Origin], ...]]:
    data = _data("origins.toml")
    outlets = tuple((str(o["domain"]).lower(), Origin(str(o["region"]), str(o["name"]),
                                                      str(o["basis"])))
                    for o in data.get("outlet", []))
    return {str(k): str(v) for k, v in data.get("country-domains", {}).items()}, outlets


@cache
def _aggregators() -> tuple[tuple[str, ...], tuple[Aggregator, ...]]:
    data = _data("aggregators.toml")
    portals = tuple(Aggregator(str(a["name"]), tuple(str(d).lower() for d in a["domains"]),
                               tuple(str(x) for x in a.get("provider-xpaths", [])))
                    for a in data.get("aggregator", []))
    return tuple(str(t) for t in data.get("link-texts", [])), portals


def host_of(url_or_host: str) -> str:
    """The lower-case host of a URL (or of a bare host name), without ``www.``."""
    text = url_or_host.strip()
    host = (urlsplit(text).hostname if "//" in text else text.split("/")[0]) or ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def origin_of(url_or_host: str) -> Origin | None:
    """Where the outlet at ``url_or_host`` is based, when linker knows: a listed outlet, or a
    country-code domain (``.cn``, ``.hk``, ``.mo``)."""
    host = host_of(url_or_host)
    if not host:
        return None
    tlds, outlets = _origins()
    for domain, origin in outlets:
        if _under(host, domain):
            return origin
    region = tlds.get(host.rsplit(".", 1)[-1])
    if region is not None:
        return Origin(region, host, Msg("the .{tld} country-code domain",
                                        tld=host.rsplit(".", 1)[-1]))
    return None


def aggregator_of(url_or_host: str) -> Aggregator | None:
    """The reprint portal ``url_or_host`` belongs to, if it is one."""
    host = host_of(url_or_host)
    _texts, portals = _aggregators()
    return next((a for a in portals if any(_under(host, d) for d in a.domains)), None)


def _elsewhere(href: object, base: str, portal: Aggregator) -> str | None:
    if not isinstance(href, str) or not href.strip():
        return None
    url = urljoin(base, href.strip())
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    host = host_of(url)
    if not host or any(_under(host, d) for d in portal.domains):
        return None
    return url


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = next((v.get("name") if isinstance(v, dict) else v for v in value), None)
    return " ".join(value.split())[:60] if isinstance(value, str) and value.strip() else None


def reprint_origin(root: Any, url: str | None) -> tuple[str | None, str | None] | None:
    """On a reprint portal's page: the original article's address and the outlet's name, as
    far as the page says (see ``aggregators.toml`` for the order of the places looked at);
    None when ``url`` is no portal's."""
    portal = aggregator_of(url or "")
    if portal is None or url is None:
        return None
    link_texts, _portals = _aggregators()
    original: str | None = None
    outlet: str | None = None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            original = original or _elsewhere(link.get("href"), url, portal)
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:url":
            original = original or _elsewhere(meta.get("content"), url, portal)
    for item in json_ld_of(root):
        for key in ("isBasedOn", "sameAs", "url"):
            value = item.get(key)
            for candidate in value if isinstance(value, list) else [value]:
                original = original or _elsewhere(
                    candidate.get("url") if isinstance(candidate, dict) else candidate, url,
                    portal)
        for key in ("provider", "sourceOrganization", "publisher"):
            name = _name(item.get(key))
            if name and not any(part.lower() in name.lower()
                                for part in (portal.name, *portal.domains)):
                outlet = outlet or name
    if original is None:
        wanted = [t.lower() for t in link_texts]
        for anchor in root.iter("a"):
            text = " ".join(anchor.text_content().split()).lower()
            if text and any(w in text for w in wanted) and len(text) <= 40:
                original = _elsewhere(anchor.get("href"), url, portal)
                if original:
                    break
    from lxml import etree

    for xpath in portal.provider_xpaths:
        if outlet:
            break
        try:
            found = root.xpath(xpath)
        except etree.XPathError:  # a moderator's XPath may be malformed
            continue
        for node in found if isinstance(found, list) else [found]:
            text = node if isinstance(node, str) else getattr(node, "text_content", lambda: "")()
            text = " ".join(str(text).split())
            if 0 < len(text) <= 40:
                outlet = text
                break
    return original, outlet
