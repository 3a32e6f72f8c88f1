"""Rules for URLs linker may fetch: web schemes only, never the user's own network.

A PTT post is written by a stranger; its link must not turn linker against the machine it runs
on or the network around it (SSRF).  Every hop of every request is checked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from linker.messages import Msg

Resolver = Callable[[str], Sequence[str]]


def address_problem(address: str) -> str | None:
    """Why ``address`` must not be fetched (private, loopback…), or None when it is public.

    >>> address_problem("127.0.0.1")
    'loopback'
    >>> address_problem("93.184.216.34") is None
    True
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (("loopback", ip.is_loopback), ("unspecified", ip.is_unspecified),
              ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
              ("reserved", ip.is_reserved), ("private", ip.is_private),
              ("not globally routable", not ip.is_global))
    for name, hit in checks:
        if hit:
            return name
    return None


def system_resolver(host: str) -> list[str]:
    """Every address ``host`` resolves to (empty when it does not resolve)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def url_problem(url: str, *, allow_private: bool = False,
                resolver: Resolver = system_resolver) -> str | None:
    """Why ``url`` must not be fetched, or None.

    Only http and https are fetched.  Unless ``allow_private``, a host that is, or resolves to,
    a private, loopback, link-local, multicast or reserved address is refused.  A host that
    does not resolve passes: the request will fail on its own with a clear DNS error.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return Msg("malformed link")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return Msg("unsupported link scheme {scheme}: only http and https are fetched",
                   scheme=repr(scheme or "(none)"))
    if not host:
        return Msg("the link has no host")
    if allow_private:
        return None
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(
            ".localhost"):
        return Msg("{host} is this machine (loopback); use --allow-private to fetch it",
                   host=host)
    try:
        addresses: Sequence[str] = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolver(host)
    for address in addresses:
        problem = address_problem(address)
        if problem:
            return Msg("{host} resolves to a {kind} address ({address}); linker does not "
                       "fetch from private networks unless --allow-private is given", host=host,
                       kind=problem, address=address)
    return None
