"""Fetching a link safely: checked addresses, hand-followed redirects, capped bodies.

One :class:`Fetcher` (an async context manager) owns an aiohttp session whose
connector resolves through :class:`~index.web.resolver.GuardedResolver`, so the
addresses checked are the addresses connected to. Redirects are followed here,
at most ``Limits.max_redirects``, each new link checked before it is requested;
a link seen twice is a loop. A whole fetch, redirects included, gets
``Limits.fetch_seconds``; at most ``Limits.max_concurrent_fetches`` run at once.
Only the content types asked for are read, and bodies are read under the page
cap while they stream (:mod:`index.web.body`). No cookies, no proxies from the
environment.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver

from index.errors import FetchError, FetchReason
from index.web.addresses import check_url
from index.web.body import BodyReader
from index.web.limits import Limits
from index.web.resolver import GuardedResolver, RefusedAddressError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml"}
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "qabot/0.1 (news reader; +https://github.com/qabot)"
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies its copy, for a conditional request next time."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The ``If-None-Match`` / ``If-Modified-Since`` request headers."""
        found = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in found.items() if value}


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched body (empty for 304 Not Modified) and where it finally came from."""

    url: str
    status: int
    media_type: str
    charset: str | None
    body: bytes
    validators: Validators

    @property
    def not_modified(self) -> bool:
        """Whether the server answered 304: the copy we have is current."""
        return self.status == 304


class Fetcher:
    """The safe HTTP client of the ingest layer; see the module docstring."""

    def __init__(
        self,
        limits: Limits,
        allow_loopback: bool = False,
        resolver: AbstractResolver | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
    ) -> None:
        self.limits = limits
        self.allow_loopback = allow_loopback
        self._resolver = GuardedResolver(allow_loopback, resolver)
        self._traces = list(trace_configs)
        self._slots = asyncio.Semaphore(limits.max_concurrent_fetches)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        connector = aiohttp.TCPConnector(
            resolver=self._resolver, use_dns_cache=False, limit=self.limits.max_concurrent_fetches
        )
        seconds = self.limits.fetch_seconds
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=seconds, sock_read=seconds),
            auto_decompress=False,
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            trace_configs=self._traces or None,
        )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self, url: str, accept: frozenset[str], validators: Validators | None = None
    ) -> Fetched:
        """``url`` fetched under the limits; raises ``FetchError`` saying why it was refused."""
        async with self._slots:
            try:
                async with asyncio.timeout(self.limits.fetch_seconds):
                    return await self._follow(url, accept, validators or Validators())
            except TimeoutError:
                raise FetchError(
                    FetchReason.TIMEOUT,
                    f"no complete answer within {self.limits.fetch_seconds:g} s",
                ) from None
            except aiohttp.ClientError as error:
                raise _client_failure(error) from None

    async def _follow(self, url: str, accept: frozenset[str], validators: Validators) -> Fetched:
        current = check_url(url, self.allow_loopback)
        seen = {current}
        for _ in range(self.limits.max_redirects + 1):
            async with self._get(current, validators) as response:
                if response.status not in REDIRECTS:
                    return await self._read(current, response, accept)
                current = self._next_hop(current, response, seen)
        raise FetchError(
            FetchReason.REDIRECTS, f"more than {self.limits.max_redirects} redirects from {url}"
        )

    def _get(self, url: str, validators: Validators) -> aiohttp.client._RequestContextManager:
        if self._session is None:
            raise RuntimeError("use the Fetcher as 'async with Fetcher(...) as fetcher'")
        return self._session.get(url, allow_redirects=False, headers=validators.headers())

    def _next_hop(self, current: str, response: aiohttp.ClientResponse, seen: set[str]) -> str:
        location = response.headers.get("Location")
        if not location:
            raise FetchError(
                FetchReason.REDIRECTS, f"a {response.status} redirect without a Location"
            )
        target = urljoin(current, location.strip())
        if target in seen:
            raise FetchError(FetchReason.REDIRECTS, f"a redirect loop back to {target}")
        seen.add(target)
        return check_url(target, self.allow_loopback)

    async def _read(
        self, url: str, response: aiohttp.ClientResponse, accept: frozenset[str]
    ) -> Fetched:
        validators = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
        if response.status == 304:
            return Fetched(url, 304, "", None, b"", validators)
        if response.status != 200:
            raise FetchError(
                FetchReason.HTTP_STATUS, f"{response.status} {response.reason or ''}".strip()
            )
        media_type = _media_type(response)
        if media_type not in accept:
            raise FetchError(FetchReason.CONTENT_TYPE, f"{media_type or 'none given'}")
        body = await self._body(response)
        return Fetched(url, 200, media_type, response.charset, body, validators)

    async def _body(self, response: aiohttp.ClientResponse) -> bytes:
        cap = self.limits.max_page_bytes
        if response.content_length is not None and response.content_length > cap:
            raise FetchError(
                FetchReason.TOO_LARGE,
                f"{response.content_length:,} bytes is over the {cap:,}-byte cap",
            )
        encoding = response.headers.get("Content-Encoding", "")
        reader = BodyReader(encoding, cap, self.limits.max_compression_ratio)
        async for chunk in response.content.iter_chunked(_CHUNK):
            reader.feed(chunk)
        return reader.finish()


def _media_type(response: aiohttp.ClientResponse) -> str:
    # aiohttp reports a missing Content-Type as application/octet-stream; say "none".
    if "Content-Type" not in response.headers:
        return ""
    return response.content_type.lower()


def _client_failure(error: aiohttp.ClientError) -> FetchError:
    if isinstance(error, aiohttp.ClientConnectorError):
        refused = error.os_error
        if isinstance(refused, RefusedAddressError):
            return refused.as_fetch_error()
        return FetchError(
            FetchReason.CONNECTION, f"{error.host}:{error.port} ({refused.strerror or refused})"
        )
    if isinstance(error, aiohttp.InvalidURL):
        return FetchError(FetchReason.BAD_URL, f"cannot read the link {error.url}")
    if isinstance(error, aiohttp.ServerTimeoutError):
        return FetchError(FetchReason.TIMEOUT, str(error) or "the server stopped answering")
    return FetchError(FetchReason.CONNECTION, str(error) or type(error).__name__)
