"""FeedConnector end to end: fixture feeds and article pages served on 127.0.0.1, fetched by PoliteClient."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from connectors import ConnectorDisabled, ConnectorError, HarvestContext, RawRecord, SourceSpec, get_connector
from connectors.base import FetchResult
from connectors.fetch import FetchPolicy, PoliteClient, Validators
from tests.support.http import LocalServer, Reply, RequestInfo, serve

FIXTURES = Path(__file__).parent.parent / "fixtures"
RSS = "application/rss+xml; charset=utf-8"
NO_PAGES = {"summary_min_chars": 0}  # for fixtures whose links point at real portals, not at loopback


@dataclass(slots=True)
class HubFetcher:
    """What the hub puts in front of the polite client: stored validators and the payload hash."""

    client: PoliteClient
    validators: dict[str, Validators] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)

    async def fetch(self, url: str, *, conditional: bool = False, discovered: bool = False) -> FetchResult:
        self.fetched.append(url)
        stored = self.validators.get(url) if conditional else None
        result = await self.client.fetch(
            url, conditional=conditional, discovered=discovered, validators=stored
        )
        if conditional and not result.not_modified:
            self.validators[url] = Validators.from_headers(result.headers)
        return replace(result, payload_hash=hashlib.sha256(result.body).hexdigest())


def _file(kind: str, name: str, content_type: str) -> Reply:
    return Reply((FIXTURES / kind / name).read_bytes(), 200, {"Content-Type": content_type})


def _etagged(reply: Reply, etag: str) -> Callable[[RequestInfo], Reply]:
    def answer(request: RequestInfo) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(b"", 304, {"ETag": etag})
        return replace(reply, headers={**reply.headers, "ETag": etag})

    return answer


ROUTES: dict[str, Any] = {
    "/rss/summary_only.xml": _file("feed", "summary_only.xml", RSS),
    "/rss/rdf10.xml": _file("feed", "rdf10.xml", "application/rdf+xml"),
    "/rss/atom.xml": _file("feed", "atom.xml", "application/atom+xml"),
    "/rss/windows1258.xml": _file("feed", "windows1258.xml", "text/xml"),
    "/rss/guid_reused.xml": _file("feed", "guid_reused.xml", RSS),
    "/rss/repeated_entry.xml": _file("feed", "repeated_entry.xml", RSS),
    "/rss/guid_missing.xml": lambda request: Reply(
        (FIXTURES / "feed" / "guid_missing.xml").read_bytes().replace(b"https://khanhhoa.gov.vn/", b"/"), 200
    ),
    "/rss/entity_bomb.xml": _file("feed", "entity_bomb.xml", RSS),
    "/rss/html_page.xml": _file("feed", "html_page.html", RSS),
    "/rss/conditional.xml": _etagged(_file("feed", "rdf10.xml", "application/rdf+xml"), '"rdf-1"'),
    "/pages/sharepoint_article.html": _file("pages", "sharepoint_article.html", "text/html; charset=utf-8"),
    "/pages/liferay_article.html": _file("pages", "liferay_article.html", "text/html"),
    "/pages/generic_article.html": _file("pages", "generic_article.html", "text/html; charset=utf-8"),
}


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serve(ROUTES) as local:
        yield local


@pytest.fixture
def policy(fast_policy: FetchPolicy) -> FetchPolicy:
    # Article links found in a feed are "discovered": loopback is allowed only as a configured source host.
    return replace(fast_policy, trusted_hosts=frozenset({"127.0.0.1"}))


def _spec(url: str, **options: Any) -> SourceSpec:
    return SourceSpec(
        id="khanhhoa-tin-tuc",
        name="Cổng TTĐT tỉnh Khánh Hòa - Tin tức",
        agency="UBND tỉnh Khánh Hòa",
        level="province",
        kind="feed",
        content_type="article",
        url=url,
        options=options,
    )


async def _harvest(
    policy: FetchPolicy,
    spec: SourceSpec,
    *,
    rounds: int = 1,
    is_unchanged: Callable[[str, str], bool] = lambda _hint, _digest: False,
) -> list[list[RawRecord]]:
    async with PoliteClient(policy) as client:
        fetcher = HubFetcher(client)
        ctx = HarvestContext(fetcher=fetcher, is_unchanged=is_unchanged)
        connector = get_connector("feed").from_source(spec, ctx)
        try:
            return [[record async for record in connector.harvest()] for _ in range(rounds)]
        finally:
            # Fixture feeds link to real portals: their pages must never be fetched from a test.
            assert all(url.startswith("http://127.0.0.1:") for url in fetcher.fetched), fetcher.fetched


async def test_summary_only_entries_get_their_article_body(server: LocalServer, policy: FetchPolicy) -> None:
    [records] = await _harvest(policy, _spec(server.url("/rss/summary_only.xml")))
    by_guid = {r.guid: r for r in records}
    sharepoint, liferay = by_guid["mae-tin-51873"].fields, by_guid["syt-tin-2291"].fields
    assert sharepoint["full_text_url"] == server.url("/pages/sharepoint_article.html")
    assert "12 cơn bão" in sharepoint["body_html"]
    assert sharepoint["body_html"].endswith(
        "Nguồn: Văn phòng Ban Chỉ đạo quốc gia về Phòng thủ dân sự</strong></p>"
    )
    assert "Tin liên quan" not in sharepoint["body_html"]
    assert "Lượt xem" not in sharepoint["body_html"]
    assert "Nguồn: Chi cục An toàn vệ sinh thực phẩm tỉnh Khánh Hòa" in liferay["body_html"]
    assert sharepoint["summary"].startswith("Sáng 5/5")


async def test_failed_article_page_keeps_the_summary(server: LocalServer, policy: FetchPolicy) -> None:
    [records] = await _harvest(policy, _spec(server.url("/rss/summary_only.xml")))
    gone = next(r for r in records if r.guid == "ubnd-tb-7702")
    assert gone.fields["full_text_error"] == "fetch.http_status"
    assert gone.fields["summary"] == "Lịch tiếp công dân định kỳ của Chủ tịch UBND tỉnh."
    assert gone.fields["body_html"] is None


async def test_long_summary_is_not_summary_only(server: LocalServer, policy: FetchPolicy) -> None:
    [records] = await _harvest(policy, _spec(server.url("/rss/summary_only.xml")))
    long_summary = next(r for r in records if r.guid == "ubnd-tin-7698")
    assert "full_text_url" not in long_summary.fields
    assert server.hits("/pages/chi-so-cai-cach-hanh-chinh.html") == 0


async def test_full_text_option_fetches_every_entry_with_the_configured_selector(
    server: LocalServer, policy: FetchPolicy
) -> None:
    spec = _spec(server.url("/rss/summary_only.xml"), full_text=True, content_selector="div.noi-dung-bai")
    [records] = await _harvest(policy, spec)
    fields = {r.guid: r.fields for r in records}
    assert "hơn 200 doanh nghiệp" in fields["ubnd-tin-7710"]["body_html"]
    assert fields["mae-tin-51873"]["full_text_error"] == "fulltext.no_content"
    assert fields["ubnd-tin-7698"]["full_text_error"] == "fetch.http_status"


async def test_unchanged_entry_is_identity_only_and_its_page_not_fetched(
    server: LocalServer, policy: FetchPolicy
) -> None:
    spec = _spec(server.url("/rss/summary_only.xml"))
    [records] = await _harvest(policy, spec, is_unchanged=lambda hint, _digest: hint == "mae-tin-51873")
    seen = next(r for r in records if r.guid == "mae-tin-51873")
    assert seen.unchanged
    assert seen.url == "/pages/sharepoint_article.html"
    assert len(seen.entry_digest) == 64
    assert dict(seen.fields) == {"base_url": server.url("/rss/summary_only.xml")}
    assert server.hits("/pages/sharepoint_article.html") == 0


async def test_not_modified_feed_yields_nothing(server: LocalServer, policy: FetchPolicy) -> None:
    first, second = await _harvest(policy, _spec(server.url("/rss/conditional.xml"), **NO_PAGES), rounds=2)
    assert len(first) == 2
    assert second == []


async def test_extra_urls_are_harvested_as_feeds_of_the_same_source(
    server: LocalServer, policy: FetchPolicy
) -> None:
    spec = _spec(server.url("/rss/rdf10.xml"), extra_urls=[server.url("/rss/atom.xml")], **NO_PAGES)
    [records] = await _harvest(policy, spec)
    assert [r.fields["feed_url"] for r in records] == [spec.url] * 2 + [server.url("/rss/atom.xml")] * 2
    assert all(r.source_id == "khanhhoa-tin-tuc" and r.content_type == "article" for r in records)


async def test_records_carry_the_payload_hash_and_verbatim_fields(
    server: LocalServer, policy: FetchPolicy
) -> None:
    [records] = await _harvest(policy, _spec(server.url("/rss/windows1258.xml"), **NO_PAGES))
    expected = hashlib.sha256((FIXTURES / "feed" / "windows1258.xml").read_bytes()).hexdigest()
    assert {r.payload_hash for r in records} == {expected}
    assert "Việt Nam" in records[0].fields["title"]
    assert records[0].fields["published"] == "Thứ Hai, 04/05/2026 14:30"
    assert records[0].fetched_at.tzinfo is not None


async def test_reused_guid_is_dropped_and_flagged(server: LocalServer, policy: FetchPolicy) -> None:
    [records] = await _harvest(policy, _spec(server.url("/rss/guid_reused.xml"), **NO_PAGES))
    assert [(r.guid, r.fields.get("guid_reused", False)) for r in records] == [
        (None, True),
        (None, True),
        ("stp-805", False),
    ]


async def test_repeated_entries_are_all_yielded(server: LocalServer, policy: FetchPolicy) -> None:
    [records] = await _harvest(policy, _spec(server.url("/rss/repeated_entry.xml"), **NO_PAGES))
    assert len(records) == 2
    assert records[0].entry_digest == records[1].entry_digest


async def test_entry_without_link_or_guid_is_yielded_without_full_text(
    server: LocalServer, policy: FetchPolicy
) -> None:
    asked: list[str] = []
    [records] = await _harvest(
        policy,
        _spec(server.url("/rss/guid_missing.xml")),
        is_unchanged=lambda hint, _d: bool(asked.append(hint)),
    )
    orphan = records[1]
    assert (orphan.url, orphan.guid, orphan.unchanged) == ("", None, False)
    assert orphan.fields["full_text_error"] == "fulltext.no_link"
    assert orphan.fields["title"] == "Chỉ thị về đẩy mạnh giải ngân vốn đầu tư công năm 2026"
    assert asked == ["/van-ban/cong-van-1520-ubnd-pccc.htm"]  # nothing to ask about the orphan
    assert records[0].fields["full_text_error"] == "fetch.http_status"


@pytest.mark.parametrize(
    ("path", "code"),
    [("/rss/html_page.xml", "parse.not_a_feed"), ("/rss/entity_bomb.xml", "parse.unsafe_xml")],
)
async def test_unusable_feed_fails_the_harvest(
    server: LocalServer, policy: FetchPolicy, path: str, code: str
) -> None:
    with pytest.raises(ConnectorError) as caught:
        await _harvest(policy, _spec(server.url(path)))
    assert caught.value.code == code
    assert caught.value.url == server.url(path)


@pytest.mark.parametrize(
    "options",
    [{"full_txt": True}, {"content_selector": "div..noi-dung"}, {"remove_selectors": ["//div["]}],
)
def test_bad_options_disable_the_source(options: dict[str, Any]) -> None:
    ctx = HarvestContext(fetcher=HubFetcher(PoliteClient(FetchPolicy())))
    with pytest.raises(ConnectorDisabled):
        get_connector("feed").from_source(_spec("https://khanhhoa.gov.vn/rss/tin-tuc.rss", **options), ctx)
