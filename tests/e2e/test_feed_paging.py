"""Keyset paging seen by a reader: harvests landing between two page requests neither skip nor repeat an
entry, and the prev/first links lead back to the pages already read."""

from __future__ import annotations

import calendar
import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import feedparser
import httpx
import pytest

from tests.e2e.conftest import SERVICES_SOURCE_ID, HubWorld, entry_id

PAGE_SIZE = 6
# Procedures the services portal publishes while the reader pages: (slug, name, field).
NEW_PROCEDURES = (
    ("1-000893-dang-ky-ket-hon", "Đăng ký kết hôn", "Hộ tịch"),
    ("1-001612-thanh-lap-ho-kinh-doanh", "Đăng ký thành lập hộ kinh doanh", "Hộ kinh doanh"),
    ("2-000488-trich-luc-ho-tich", "Cấp bản sao trích lục hộ tịch", "Hộ tịch"),
    ("1-010029-dang-ky-thuong-tru", "Đăng ký thường trú", "Đăng ký, quản lý cư trú"),
    (
        "1-003005-giay-phep-xay-dung",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "Hoạt động xây dựng",
    ),
    ("1-012081-cap-doi-the-can-cuoc", "Cấp đổi thẻ căn cước", "Căn cước"),
)
FORMATS = ("atom", "json", "rss")


@dataclass(frozen=True, slots=True)
class Page:
    ids: list[str]
    oldest: datetime  # published time of the page's last entry
    next_url: str | None
    prev_url: str | None
    first_url: str | None


async def _page(client: httpx.AsyncClient, url: str, fmt: str) -> Page:
    reply = await client.get(url)
    assert reply.status_code == 200, reply.text
    if fmt == "json":
        document = json.loads(reply.content)
        paging = document["_portalhub"]
        return Page(
            ids=[item["id"] for item in document["items"]],
            oldest=datetime.fromisoformat(document["items"][-1]["date_published"]),
            next_url=document.get("next_url"),
            prev_url=paging.get("prev_url"),
            first_url=paging.get("first_url"),
        )
    parsed = feedparser.parse(reply.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    links = {link.rel: link.href for link in parsed.feed.links}
    oldest = parsed.entries[-1].published_parsed
    return Page(
        ids=[entry.id for entry in parsed.entries],
        oldest=datetime.fromtimestamp(calendar.timegm(oldest), tz=UTC),
        next_url=links.get("next"),
        prev_url=links.get("previous"),
        first_url=links.get("first"),
    )


async def _publish_and_harvest(world: HubWorld, procedure: tuple[str, str, str], when: datetime) -> str:
    """The services portal publishes one procedure; the hub harvests it; its entry id comes back."""
    slug, name, topic = procedure
    world.publish_service(slug, name, topic, when)
    [outcome] = await world.harvest(SERVICES_SOURCE_ID)
    assert outcome.items_new == 1, outcome
    [item] = [item for item, _ in world.stored() if item.url.endswith(f"/{slug}.html")]
    return entry_id(item)


@pytest.mark.parametrize("fmt", FORMATS)
async def test_paging_while_harvests_add_items_neither_skips_nor_repeats(
    fresh_world: HubWorld, fmt: str
) -> None:
    world = fresh_world
    before = {entry_id(item) for item, _ in world.stored(canonical=True)}
    newest = max(item.published for item, _ in world.stored())
    behind: list[str] = []
    ahead: list[str] = []
    seen: list[str] = []
    url: str | None = f"/feeds/all.{fmt}?limit={PAGE_SIZE}"
    async with world.client() as client:
        while url is not None:
            page = await _page(client, url, fmt)
            seen.extend(page.ids)
            if len(ahead) < len(NEW_PROCEDURES) // 2:
                # One item older than where the reader stands (it must come on a later page) and one newer
                # than anything (it belongs before page one: paging on must not show it, nor shift a row).
                step = len(ahead)
                behind.append(
                    await _publish_and_harvest(
                        world, NEW_PROCEDURES[2 * step], page.oldest - timedelta(hours=1)
                    )
                )
                ahead.append(
                    await _publish_and_harvest(
                        world, NEW_PROCEDURES[2 * step + 1], newest + timedelta(seconds=step + 1)
                    )
                )
            url = page.next_url
        top = await _page(client, f"/feeds/all.{fmt}?limit={PAGE_SIZE}", fmt)
    assert len(seen) == len(set(seen)), "an entry was repeated"
    assert before | set(behind) <= set(seen), "an entry was skipped"
    assert not set(ahead) & set(seen)
    assert top.ids[: len(ahead)] == list(reversed(ahead))


@pytest.mark.parametrize("fmt", FORMATS)
async def test_prev_and_first_links_lead_back_to_pages_already_read(world: HubWorld, fmt: str) -> None:
    async with world.client() as client:
        pages = [await _page(client, f"/feeds/all.{fmt}?limit={PAGE_SIZE}", fmt)]
        while pages[-1].next_url is not None:
            pages.append(await _page(client, pages[-1].next_url or "", fmt))
        assert pages[0].prev_url is None
        assert pages[-1].next_url is None
        for newer, older in itertools.pairwise(pages):
            assert older.prev_url is not None
            assert (await _page(client, older.prev_url, fmt)).ids == newer.ids
            assert older.first_url is not None
            assert (await _page(client, older.first_url, fmt)).ids == pages[0].ids
    assert sum(len(page.ids) for page in pages) == len(world.stored(canonical=True))
