"""Which links and addresses a fetch may reach: public http(s) hosts only.

Every address a connection would use is checked, not just the first one a
resolver returns. Addresses that carry an IPv4 address inside an IPv6 one
(IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, Teredo ``2001::/32``) are
judged by the IPv4 address they lead to. Loopback (127.0.0.0/8 and ``::1``, and
nothing else) is allowed only when the caller says so explicitly: tests and a
self-hosted bot reading its own machine's pages use it; a public bot never should.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from index.errors import FetchError, FetchReason

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
SCHEMES = frozenset({"http", "https"})
MAX_URL_CHARS = 2048
_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.IPv6Address("::1")
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_TEREDO = ipaddress.IPv6Network("2001::/32")


def address_refusal(address: IPAddress, allow_loopback: bool = False) -> str | None:
    """Why ``address`` may not be connected to, or ``None`` when it may."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            why = _kind(inner, allow_loopback=False)
            return f"{why} (as {address})" if why else None
    return _kind(address, allow_loopback)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    if address in _TEREDO and address.teredo is not None:
        return address.teredo[1]
    return None


def _kind(address: IPAddress, allow_loopback: bool) -> str | None:
    if address.is_unspecified:
        return f"{address} is the unspecified address"
    if _is_loopback(address):
        return None if allow_loopback else f"{address} is a loopback address"
    for flag, kind in (
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (getattr(address, "is_site_local", False), "site-local"),
        (not address.is_global, "not public"),
    ):
        if flag:
            return f"{address} is a {kind} address"
    return None


def _is_loopback(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv4Address):
        return address in _LOOPBACK_V4
    return address == _LOOPBACK_V6


def check_address(text: str, allow_loopback: bool = False) -> IPAddress:
    """``text`` as an address that may be connected to; raises ``FetchError`` otherwise."""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        raise FetchError(FetchReason.PRIVATE_ADDRESS, f"{text!r} is not an IP address") from None
    why = address_refusal(address, allow_loopback)
    if why is not None:
        raise FetchError(FetchReason.PRIVATE_ADDRESS, why)
    return address


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host names literally (``10.0.0.1``, ``[::1]``), else ``None``."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str, allow_loopback: bool = False) -> str:
    """``url`` when it is an http(s) link to a host that may be reached; raises otherwise.

    Host names are checked when they are resolved (see :mod:`index.web.resolver`);
    a literal address is checked here, before any connection.
    """
    if len(url) > MAX_URL_CHARS:
        raise FetchError(FetchReason.BAD_URL, f"the link is over {MAX_URL_CHARS:,} characters")
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
    except ValueError as error:
        raise FetchError(FetchReason.BAD_URL, f"cannot read the link ({error})") from None
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(FetchReason.BAD_URL, "only http:// and https:// links can be added")
    if not host:
        raise FetchError(FetchReason.BAD_URL, "the link has no host name")
    if parts.username is not None or parts.password is not None:
        raise FetchError(FetchReason.BAD_URL, "links with a user name or password are refused")
    literal = literal_address(host)
    if literal is not None:
        check_address(str(literal), allow_loopback)
    return url.strip()
