"""A resolver for aiohttp that hands the connector checked addresses only.

aiohttp connects to exactly the addresses its resolver returns, so checking them
here (every one of them, not the first) closes the gap DNS rebinding lives in: a
name that resolved to a public address when a link was checked cannot resolve
to a private one when the connection is made. A name with any refused address
is refused whole, since a resolver may rotate its answers.
"""

from __future__ import annotations

import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from index.errors import FetchError, FetchReason
from index.web.addresses import address_refusal, literal_address


class RefusedAddressError(OSError):
    """Raised from :meth:`GuardedResolver.resolve`; aiohttp wraps it as a DNS error."""

    def __init__(self, host: str, why: str) -> None:
        super().__init__(f"{host} resolves to a refused address: {why}")
        self.why = why

    def as_fetch_error(self) -> FetchError:
        """The refusal as the ingest layer reports it."""
        return FetchError(FetchReason.PRIVATE_ADDRESS, str(self))


class GuardedResolver(AbstractResolver):
    """Resolve with ``inner`` (the system resolver by default), refusing blocked addresses."""

    def __init__(self, allow_loopback: bool = False, inner: AbstractResolver | None = None) -> None:
        self.allow_loopback = allow_loopback
        self._inner = inner

    def _lookup(self) -> AbstractResolver:
        # The system resolver binds the running loop, so it is made on first use.
        if self._inner is None:
            self._inner = ThreadedResolver()
        return self._inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._lookup().resolve(host, port, family)
        if not results:
            raise OSError(f"{host} has no address")
        for result in results:
            address = literal_address(result["host"])
            why = (
                address_refusal(address, self.allow_loopback)
                if address is not None
                else f"{result['host']!r} is not an address"
            )
            if why is not None:
                raise RefusedAddressError(host.rstrip("."), why)
        return results

    async def close(self) -> None:
        if self._inner is not None:
            await self._inner.close()
