"""A news site on 127.0.0.1 for the web tests, and a resolver that knows its names.

Each test starts its own :class:`NewsSite` (its own port, its own thread and event
loop) and stops it when done. Nothing here ever sends traffic anywhere but
127.0.0.1: links to private addresses are only ever *named* in redirects, and the
tests assert they are refused before any connection.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from tests.web_pages import HARBOUR, OBSERVATORY, PageArticle, atom_feed, news_page, rss_feed

SITE_HOST = "news.test"
PRIVATE_HOST = "metadata.test"
PRIVATE_ADDRESS = "169.254.169.254"
BIG = 2 * 1024 * 1024
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@cache
def gzip_bomb() -> bytes:
    """About 40 KB of gzip that inflates to 40 MB of zeros."""
    return gzip.compress(bytes(40 * 1024 * 1024), compresslevel=9)


class FakeResolver(AbstractResolver):
    """Name lookup from a table; records every name it was asked about."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        name = host.rstrip(".")
        self.asked.append(name)
        if name not in self.table:
            raise OSError(f"unknown host {name}")
        return [
            ResolveResult(
                hostname=name, host=ip, port=port, family=socket.AF_INET, proto=0, flags=0
            )
            for ip in self.table[name]
        ]

    async def close(self) -> None:
        return None


def site_resolver() -> FakeResolver:
    """The test site's name on 127.0.0.1, and a name that resolves to a private address."""
    return FakeResolver({SITE_HOST: ["127.0.0.1"], PRIVATE_HOST: [PRIVATE_ADDRESS]})


@dataclass
class NewsSite:
    """The site's state: which articles its feeds list, and the requests it got."""

    port: int = 0
    feed_articles: list[PageArticle] = field(default_factory=lambda: [HARBOUR, OBSERVATORY])
    feed_version: int = 1
    requests: list[str] = field(default_factory=list)
    conditional: list[str] = field(default_factory=list)
    pages: dict[str, PageArticle] = field(default_factory=dict)
    gate: asyncio.Event | None = None
    in_flight: int = 0
    most_in_flight: int = 0

    @property
    def base(self) -> str:
        """The site's root as tests link to it (a name the fake resolver knows)."""
        return f"http://{SITE_HOST}:{self.port}"

    @property
    def loopback(self) -> str:
        """The site's root by address, for the system resolver (the CLI tests)."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/news/{slug}", self.article)
        app.router.add_get("/feed.rss", self.rss)
        app.router.add_get("/feed.atom", self.atom)
        app.router.add_get("/redirect/{hops}", self.redirect)
        app.router.add_get("/loop-{side}", self.loop)
        app.router.add_get("/slow", self.slow)
        app.router.add_get("/busy", self.busy)
        app.router.add_get("/big", self.big)
        app.router.add_get("/big-stream", self.big_stream)
        app.router.add_get("/bomb", self.bomb)
        app.router.add_get("/report.pdf", self.pdf)
        app.router.add_get("/empty", self.empty)
        app.router.add_get("/claims-elsewhere", self.claims_elsewhere)
        app.router.add_get("/to-private", self.to(f"http://10.0.0.1:{80}/admin"))
        app.router.add_get("/to-metadata", self.to(f"http://{PRIVATE_HOST}/latest/meta-data"))
        app.router.add_get("/to-mapped", self.to("http://[::ffff:a9fe:a9fe]/latest"))
        app.router.add_get("/to-file", self.to("file:///etc/passwd"))
        app.middlewares.append(self.record)
        return app

    @web.middleware
    async def record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.requests.append(request.path)
        if request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since"):
            self.conditional.append(request.path)
        return await handler(request)

    async def article(self, request: web.Request) -> web.Response:
        slug = request.match_info["slug"]
        found = self.pages.get(slug) or next(
            (a for a in (*self.feed_articles, HARBOUR, OBSERVATORY) if a.slug == slug), None
        )
        if found is None:
            raise web.HTTPNotFound()
        return web.Response(text=news_page(found, _root(request)), content_type="text/html")

    async def rss(self, request: web.Request) -> web.Response:
        body = rss_feed(self.feed_articles, _root(request))
        return self._feed(request, body, "application/rss+xml")

    async def atom(self, request: web.Request) -> web.Response:
        body = atom_feed(self.feed_articles, _root(request))
        return self._feed(request, body, "application/atom+xml")

    def _feed(self, request: web.Request, body: str, kind: str) -> web.Response:
        etag = f'"v{self.feed_version}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(text=body, content_type=kind, headers={"ETag": etag})

    async def redirect(self, request: web.Request) -> web.Response:
        hops = int(request.match_info["hops"])
        target = f"/redirect/{hops - 1}" if hops > 1 else f"/news/{HARBOUR.slug}"
        raise web.HTTPFound(target)

    async def loop(self, request: web.Request) -> web.Response:
        side = request.match_info["side"]
        raise web.HTTPFound("/loop-b" if side == "a" else "/loop-a")

    def to(self, location: str) -> Handler:
        async def handler(request: web.Request) -> web.Response:
            raise web.HTTPFound(location)

        return handler

    async def slow(self, request: web.Request) -> web.Response:
        # Answers only when the site stops: a fetch of it can only end by timing out.
        assert self.gate is not None
        await self.gate.wait()
        return web.Response(text="<p>too late</p>", content_type="text/html")

    async def busy(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.05)  # overlap, if the client lets requests overlap
        self.in_flight -= 1
        return web.Response(text="<p>busy</p>", content_type="text/html")

    async def big(self, request: web.Request) -> web.Response:
        return web.Response(body=b"<p>" + b"a" * BIG + b"</p>", content_type="text/html")

    async def big_stream(self, request: web.Request) -> web.StreamResponse:
        # No Content-Length: the cap must trip while the body streams.
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(64):
            await response.write(b"<p>" + b"b" * 64 * 1024 + b"</p>")
        await response.write_eof()
        return response

    async def bomb(self, request: web.Request) -> web.Response:
        headers = {"Content-Encoding": "gzip", "Content-Type": "text/html"}
        return web.Response(body=gzip_bomb(), headers=headers)

    async def pdf(self, request: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.4 not html", content_type="application/pdf")

    async def claims_elsewhere(self, request: web.Request) -> web.Response:
        # A page whose canonical link names another site's article.
        page = news_page(HARBOUR, "https://bigpaper.example")
        return web.Response(text=page, content_type="text/html")

    async def empty(self, request: web.Request) -> web.Response:
        page = "<html><body><nav><a href='/'>Home</a></nav><p>Menu</p></body></html>"
        return web.Response(text=page, content_type="text/html")


def _root(request: web.Request) -> str:
    """The site's root as the client named it (a name, or 127.0.0.1 for the CLI tests)."""
    return f"http://{request.host}"


@contextmanager
def running_site(site: NewsSite | None = None) -> Iterator[NewsSite]:
    """Serve ``site`` on 127.0.0.1 (a free port) in a thread until the block ends."""
    site = site or NewsSite()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    runner = web.AppRunner(site.app(), shutdown_timeout=1.0)

    async def start() -> None:
        site.gate = asyncio.Event()
        await runner.setup()
        tcp = web.TCPSite(runner, "127.0.0.1", 0)
        await tcp.start()
        site.port = runner.addresses[0][1]

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="news-site", daemon=True)
    thread.start()
    started.wait()
    try:
        yield site
    finally:
        assert site.gate is not None
        loop.call_soon_threadsafe(site.gate.set)
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
