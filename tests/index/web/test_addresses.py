"""The address guard: a table of addresses and links, allowed and refused."""

from __future__ import annotations

import ipaddress

import pytest

from index.errors import FetchError, FetchReason
from index.web.addresses import address_refusal, check_address, check_url, embedded_ipv4

PUBLIC = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",  # IPv4-mapped public address
    "2002:0808:0808::1",  # 6to4 of 8.8.8.8
]
REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("::1", "loopback"),
    ("10.0.0.1", "private"),
    ("10.255.255.255", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.1.1", "private"),
    ("100.64.0.1", "not public"),  # carrier-grade NAT
    ("169.254.169.254", "link-local"),  # cloud metadata
    ("169.254.0.1", "link-local"),
    ("fe80::1", "link-local"),
    ("fe80::1%2", "link-local"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("ff05::2", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("192.0.2.1", "private"),  # documentation
    ("198.18.0.1", "private"),  # benchmarking
    ("fc00::1", "private"),  # unique local
    ("fd12:3456::1", "private"),
    ("fec0::1", "site-local"),
    ("2001:db8::1", "private"),  # documentation
    ("::ffff:10.0.0.1", "private"),  # IPv4-mapped private
    ("::ffff:169.254.169.254", "link-local"),
    ("::ffff:127.0.0.1", "loopback"),  # mapped loopback: never, even when loopback is allowed
    ("2002:0a00:0001::1", "private"),  # 6to4 of 10.0.0.1
    ("2002:7f00:0001::1", "loopback"),  # 6to4 of 127.0.0.1
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),  # Teredo, client 10.0.0.1
    ("64:ff9b::a00:1", "reserved"),  # NAT64 of 10.0.0.1
    ("::a00:1", "reserved"),  # IPv4-compatible (deprecated)
    ("100::1", "reserved"),  # discard-only
]


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses_are_allowed(text: str) -> None:
    assert address_refusal(ipaddress.ip_address(text)) is None
    assert check_address(text) == ipaddress.ip_address(text)


@pytest.mark.parametrize(("text", "kind"), REFUSED)
def test_private_and_special_addresses_are_refused(text: str, kind: str) -> None:
    why = address_refusal(ipaddress.ip_address(text))
    assert why is not None and kind in why
    with pytest.raises(FetchError) as refused:
        check_address(text)
    assert refused.value.reason is FetchReason.PRIVATE_ADDRESS


@pytest.mark.parametrize("text", ["127.0.0.1", "127.1.2.3", "::1"])
def test_loopback_is_allowed_only_when_asked(text: str) -> None:
    assert check_address(text, allow_loopback=True)
    with pytest.raises(FetchError):
        check_address(text)


@pytest.mark.parametrize(
    "text",
    [
        "::ffff:127.0.0.1",
        "2002:7f00:1::1",
        "0.0.0.0",
        "::",
        "10.0.0.1",
        "169.254.169.254",
        "fe80::1",
        "192.168.0.1",
        "224.0.0.1",
    ],
)
def test_allowing_loopback_allows_nothing_else(text: str) -> None:
    with pytest.raises(FetchError):
        check_address(text, allow_loopback=True)


def test_embedded_ipv4_forms() -> None:
    def inner(text: str) -> str | None:
        found = embedded_ipv4(ipaddress.IPv6Address(text))
        return None if found is None else str(found)

    assert inner("::ffff:10.1.2.3") == "10.1.2.3"
    assert inner("2002:0a01:0203::") == "10.1.2.3"
    assert inner("2001:0:4136:e378:8000:63bf:f5fe:fdfc") == "10.1.2.3"
    assert inner("2606:4700::1") is None


@pytest.mark.parametrize(
    "url",
    ["https://example.org/news/1", "http://example.org:8080/a?b=c#d", "HTTPS://Example.org"],
)
def test_http_links_to_names_pass_the_link_check(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    ("url", "reason", "words"),
    [
        ("ftp://example.org/file", FetchReason.BAD_URL, "only http"),
        ("file:///etc/passwd", FetchReason.BAD_URL, "only http"),
        ("javascript:alert(1)", FetchReason.BAD_URL, "only http"),
        ("gopher://example.org", FetchReason.BAD_URL, "only http"),
        ("example.org/no-scheme", FetchReason.BAD_URL, "only http"),
        ("http:///path-only", FetchReason.BAD_URL, "no host"),
        ("http://user:secret@example.org/", FetchReason.BAD_URL, "password"),
        ("http://example.org:99999/", FetchReason.BAD_URL, "cannot read"),
        ("http://[::1/", FetchReason.BAD_URL, "cannot read"),
        ("http://example.org/" + "a" * 3000, FetchReason.BAD_URL, "characters"),
        ("http://10.0.0.1/admin", FetchReason.PRIVATE_ADDRESS, "private"),
        ("http://169.254.169.254/latest/meta-data", FetchReason.PRIVATE_ADDRESS, "link-local"),
        ("http://[::ffff:a9fe:a9fe]/", FetchReason.PRIVATE_ADDRESS, "link-local"),
        ("http://[fd00::1]:8080/", FetchReason.PRIVATE_ADDRESS, "private"),
        ("http://127.0.0.1:8000/", FetchReason.PRIVATE_ADDRESS, "loopback"),
        ("http://[::1]/", FetchReason.PRIVATE_ADDRESS, "loopback"),
        ("http://0.0.0.0:80/", FetchReason.PRIVATE_ADDRESS, "unspecified"),
    ],
)
def test_bad_links_are_refused_with_a_reason(url: str, reason: FetchReason, words: str) -> None:
    with pytest.raises(FetchError) as refused:
        check_url(url)
    assert refused.value.reason is reason
    assert words in str(refused.value)


def test_loopback_links_pass_only_when_allowed() -> None:
    assert check_url("http://127.0.0.1:8000/a", allow_loopback=True)
    assert check_url("http://[::1]:8000/a", allow_loopback=True)
    with pytest.raises(FetchError):
        check_url("http://10.0.0.1/", allow_loopback=True)
