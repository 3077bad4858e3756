"""The guarded resolver hands aiohttp checked addresses only."""

from __future__ import annotations

import asyncio

import pytest

from index.errors import FetchReason
from index.web.resolver import GuardedResolver, RefusedAddressError
from tests.web_site import FakeResolver

TABLE = {
    "public.test": ["93.184.216.34", "2606:2800:220:1::1"],
    "local.test": ["127.0.0.1"],
    "rebind.test": ["93.184.216.34", "192.168.0.10"],
    "metadata.test": ["169.254.169.254"],
    "mapped.test": ["::ffff:10.0.0.1"],
    "empty.test": [],
}


def resolve(host: str, allow_loopback: bool = False) -> list[str]:
    async def run() -> list[str]:
        resolver = GuardedResolver(allow_loopback, FakeResolver(TABLE))
        try:
            return [result["host"] for result in await resolver.resolve(host, 80)]
        finally:
            await resolver.close()

    return asyncio.run(run())


def test_public_names_resolve_to_all_their_addresses() -> None:
    assert resolve("public.test") == TABLE["public.test"]


@pytest.mark.parametrize(
    ("host", "words"),
    [
        ("rebind.test", "192.168.0.10 is a private address"),
        ("metadata.test", "169.254.169.254 is a link-local address"),
        ("mapped.test", "10.0.0.1 is a private address"),
        ("local.test", "127.0.0.1 is a loopback address"),
    ],
)
def test_a_name_with_any_refused_address_is_refused(host: str, words: str) -> None:
    with pytest.raises(RefusedAddressError) as refused:
        resolve(host)
    assert words in str(refused.value)
    assert refused.value.as_fetch_error().reason is FetchReason.PRIVATE_ADDRESS


def test_loopback_names_resolve_when_allowed() -> None:
    assert resolve("local.test", allow_loopback=True) == ["127.0.0.1"]
    with pytest.raises(RefusedAddressError):
        resolve("metadata.test", allow_loopback=True)


def test_a_name_without_addresses_is_an_error() -> None:
    with pytest.raises(OSError, match="no address"):
        resolve("empty.test")
