"""The safe fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from index.errors import FetchError, FetchReason
from index.web.fetcher import FEED_TYPES, HTML_TYPES, Fetched, Fetcher, Validators
from index.web.limits import Limits
from tests.web_pages import HARBOUR
from tests.web_site import BIG, PRIVATE_HOST, FakeResolver, NewsSite, site_resolver

PAGES = HTML_TYPES | FEED_TYPES


def fetch(
    url: str,
    limits: Limits = Limits(),
    validators: Validators | None = None,
    resolver: FakeResolver | None = None,
    started: list[str] | None = None,
) -> Fetched:
    """Fetch ``url`` with loopback allowed (the site is on 127.0.0.1)."""
    traces = _request_log(started) if started is not None else []

    async def run() -> Fetched:
        fetcher = Fetcher(limits, True, resolver or site_resolver(), traces)
        async with fetcher:
            return await fetcher.fetch(url, PAGES, validators)

    return asyncio.run(run())


def _request_log(started: list[str]) -> list[aiohttp.TraceConfig]:
    async def on_start(
        session: aiohttp.ClientSession, context: object, params: aiohttp.TraceRequestStartParams
    ) -> None:
        started.append(str(params.url))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    return [trace]


def refusal(url: str, **options: object) -> FetchError:
    with pytest.raises(FetchError) as refused:
        fetch(url, **options)  # type: ignore[arg-type]
    return refused.value


def test_a_page_is_fetched_with_its_type_and_charset(site: NewsSite) -> None:
    page = fetch(site.url(f"/news/{HARBOUR.slug}"))
    assert (page.status, page.media_type, page.charset) == (200, "text/html", "utf-8")
    assert HARBOUR.paragraphs[0].encode() in page.body
    assert page.url == site.url(f"/news/{HARBOUR.slug}")


def test_a_redirect_chain_is_followed_to_the_end(site: NewsSite) -> None:
    page = fetch(site.url("/redirect/5"))
    assert page.url == site.url(f"/news/{HARBOUR.slug}")
    assert site.requests[:6] == [f"/redirect/{n}" for n in (5, 4, 3, 2, 1)] + [
        f"/news/{HARBOUR.slug}"
    ]


def test_more_than_five_redirects_are_refused(site: NewsSite) -> None:
    error = refusal(site.url("/redirect/6"))
    assert error.reason is FetchReason.REDIRECTS and "more than 5 redirects" in str(error)
    assert len(site.requests) == 6


def test_a_redirect_loop_is_refused(site: NewsSite) -> None:
    error = refusal(site.url("/loop-a"))
    assert error.reason is FetchReason.REDIRECTS and "loop" in str(error)
    assert site.requests == ["/loop-a", "/loop-b"]


def test_a_redirect_to_a_private_address_is_refused_before_any_connection(
    site: NewsSite,
) -> None:
    started: list[str] = []
    error = refusal(site.url("/to-private"), started=started)
    assert error.reason is FetchReason.PRIVATE_ADDRESS and "10.0.0.1 is a private address" in str(
        error
    )
    assert started == [site.url("/to-private")]  # the private link was never requested


def test_a_redirect_to_a_name_of_a_private_address_is_refused_at_resolution(
    site: NewsSite,
) -> None:
    resolver = site_resolver()
    error = refusal(site.url("/to-metadata"), resolver=resolver)
    assert error.reason is FetchReason.PRIVATE_ADDRESS
    assert "169.254.169.254 is a link-local address" in str(error)
    assert resolver.asked == ["news.test", PRIVATE_HOST]


def test_a_redirect_to_a_mapped_private_address_or_a_file_is_refused(site: NewsSite) -> None:
    assert refusal(site.url("/to-mapped")).reason is FetchReason.PRIVATE_ADDRESS
    assert refusal(site.url("/to-file")).reason is FetchReason.BAD_URL


def test_a_name_with_one_private_address_among_public_ones_is_refused(site: NewsSite) -> None:
    # DNS rebinding with rotating answers: every address must pass, not just the first.
    mixed = FakeResolver({"news.test": ["127.0.0.1", "10.0.0.7"]})
    error = refusal(site.url(f"/news/{HARBOUR.slug}"), resolver=mixed)
    assert error.reason is FetchReason.PRIVATE_ADDRESS and "10.0.0.7" in str(error)
    assert site.requests == []


def test_loopback_needs_the_explicit_allowance(site: NewsSite) -> None:
    async def run() -> None:
        async with Fetcher(Limits(), False, site_resolver()) as fetcher:
            await fetcher.fetch(site.url(f"/news/{HARBOUR.slug}"), PAGES)

    with pytest.raises(FetchError) as refused:
        asyncio.run(run())
    assert refused.value.reason is FetchReason.PRIVATE_ADDRESS and "loopback" in str(refused.value)
    assert site.requests == []


def test_an_oversized_page_is_refused_from_its_length(site: NewsSite) -> None:
    error = refusal(site.url("/big"), limits=Limits(max_page_bytes=BIG // 2))
    assert error.reason is FetchReason.TOO_LARGE and "over the 1,048,576-byte cap" in str(error)


def test_a_page_without_a_length_is_cut_off_while_it_streams(site: NewsSite) -> None:
    error = refusal(site.url("/big-stream"), limits=Limits(max_page_bytes=256 * 1024))
    assert error.reason is FetchReason.TOO_LARGE


def test_a_gzip_bomb_is_refused_without_inflating_it(site: NewsSite) -> None:
    error = refusal(site.url("/bomb"))
    assert error.reason is FetchReason.BOMB and "inflate" in str(error)


def test_a_page_that_never_answers_times_out(site: NewsSite) -> None:
    # The page answers only once the site stops, so the timeout is the only way out,
    # however busy the machine.
    error = refusal(site.url("/slow"), limits=Limits(fetch_seconds=0.5))
    assert error.reason is FetchReason.TIMEOUT and "0.5 s" in str(error)


def test_a_file_of_another_type_is_refused_unread(site: NewsSite) -> None:
    error = refusal(site.url("/report.pdf"))
    assert error.reason is FetchReason.CONTENT_TYPE and "application/pdf" in str(error)


def test_an_error_status_is_reported(site: NewsSite) -> None:
    error = refusal(site.url("/news/no-such-article"))
    assert error.reason is FetchReason.HTTP_STATUS and "404 Not Found" in str(error)


def test_an_unknown_host_cannot_be_reached(site: NewsSite) -> None:
    error = refusal(f"http://nowhere.test:{site.port}/")
    assert error.reason is FetchReason.CONNECTION


def test_a_conditional_request_gets_not_modified(site: NewsSite) -> None:
    first = fetch(site.url("/feed.rss"))
    assert first.media_type == "application/rss+xml" and first.validators.etag == '"v1"'
    second = fetch(site.url("/feed.rss"), validators=first.validators)
    assert second.not_modified and second.body == b""
    assert site.conditional == ["/feed.rss"]


def test_concurrent_fetches_are_capped(site: NewsSite) -> None:
    async def run() -> int:
        fetcher = Fetcher(Limits(max_concurrent_fetches=2), True, site_resolver())
        async with fetcher:
            url = site.url("/busy")
            pages = await asyncio.gather(*(fetcher.fetch(url, PAGES) for _ in range(6)))
        return len(pages)

    assert asyncio.run(run()) == 6
    assert 1 <= site.most_in_flight <= 2


def test_validators_become_conditional_headers() -> None:
    assert Validators('"x"', "Tue, 05 Mar 2024 09:30:00 GMT").headers() == {
        "If-None-Match": '"x"',
        "If-Modified-Since": "Tue, 05 Mar 2024 09:30:00 GMT",
    }
    assert Validators().headers() == {}
