"""/api/v1/items: the feeds' filters, cursor paging with Link headers, full records, precise 422s and 404s."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session

from hub.models import Source, StoredItem
from hub.settings import Settings
from tests.conftest import NOW, make_item
from tests.support.api import api_client, store


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(settings) as client:
        yield client


@pytest.fixture
def khanh_hoa(session: Session, add_source: Callable[..., Source]) -> int:
    """Two sources; the province spells "Hòa" and "Hoà" (old and new tone placement). The harvest id."""
    add_source()
    add_source(
        "khanhhoa-tin-tuc",
        name="Cổng TTĐT tỉnh Khánh Hòa",
        agency="UBND tỉnh Khánh Hòa",
        level="province",
        url="https://khanhhoa.gov.vn/rss",
    )
    province = [
        make_item(
            1,
            source_id="khanhhoa-tin-tuc",
            title="Khánh Hòa đón 1,2 triệu lượt khách quốc tế",
            identity="kh-1",
            topics=["Du lịch"],
        ),
        make_item(
            2,
            source_id="khanhhoa-tin-tuc",
            title="Tỉnh Khánh Hoà khởi công cao tốc Vân Phong - Nha Trang",
            identity="kh-2",
            topics=["Giao thông"],
        ),
    ]
    harvest_id = store(session, province, source_id="khanhhoa-tin-tuc", now=NOW)
    store(session, [make_item(3), make_item(4), make_item(5)], source_id="moit-tin-tuc", now=NOW)
    return harvest_id


def _titles(reply: dict) -> list[str]:
    return [item["title"] for item in reply["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "q=khanh hoa",
            [
                "Khánh Hòa đón 1,2 triệu lượt khách quốc tế",
                "Tỉnh Khánh Hoà khởi công cao tốc Vân Phong - Nha Trang",
            ],
        ),
        ("q=KHÁNH HOÀ cao tốc", ["Tỉnh Khánh Hoà khởi công cao tốc Vân Phong - Nha Trang"]),
        ("topic=du lich", ["Khánh Hòa đón 1,2 triệu lượt khách quốc tế"]),
        ("level=province&limit=1", ["Khánh Hòa đón 1,2 triệu lượt khách quốc tế"]),
        ("agency=Bộ Công Thương&limit=1", ["Bộ Công Thương họp báo thường kỳ quý 3"]),
        ("source=moit-tin-tuc&since=2025-03-14T06:00:00", ["Bộ Công Thương họp báo thường kỳ quý 3"]),
        ("content_type=document", []),
    ],
)
async def test_filters_are_the_feeds_filters(
    client: httpx.AsyncClient, khanh_hoa: int, query: str, expected: list[str]
) -> None:
    reply = await client.get(f"/api/v1/items?{query}")

    assert reply.status_code == 200
    assert _titles(reply.json()) == expected


async def test_an_item_is_the_full_record_with_provenance(client: httpx.AsyncClient, khanh_hoa: int) -> None:
    first = (await client.get("/api/v1/items?q=khanh hoa&limit=1")).json()["items"][0]

    assert first["source"] == {
        "id": "khanhhoa-tin-tuc",
        "name": "Cổng TTĐT tỉnh Khánh Hòa",
        "agency": "UBND tỉnh Khánh Hòa",
        "level": "province",
        "url": "https://khanhhoa.gov.vn/rss",
    }
    assert first["provenance"] | {"first_seen_at": None, "last_changed_at": None} == {
        "harvest_id": khanh_hoa,
        "harvest_url": f"/api/v1/harvests/{khanh_hoa}",
        "payload_hash": None,
        "identity": "kh-1",
        "identity_rule": "url",
        "entry_digest": "digest-1",
        "flags": [],
        "credited_source": None,
        "first_seen_at": None,
        "last_changed_at": None,
    }
    assert (first["topics"], first["versions"], first["republications"]) == (["Du lịch"], [], [])
    assert first["feed_id"] == f"tag:portalhub.invalid,2026:story/{first['id']}"
    assert "search_text" not in first
    assert "topic_keys" not in first


async def test_paging_with_cursors_reads_every_item_once(client: httpx.AsyncClient, khanh_hoa: int) -> None:
    seen: list[str] = []
    url: str | None = "/api/v1/items?limit=2&level=ministry"
    pages = 0
    while url is not None:
        reply = await client.get(url)
        body = reply.json()
        seen.extend(_titles(body))
        pages += 1
        url = (
            f"/api/v1/items?limit=2&level=ministry&cursor={body['next_cursor']}"
            if body["next_cursor"]
            else None
        )
        if url is not None:
            assert 'rel="next"' in reply.headers["link"]
            assert "level=ministry" in reply.headers["link"]

    assert pages == 2
    assert seen == [f"Bộ Công Thương họp báo thường kỳ quý {n}" for n in (3, 4, 5)]


async def test_previous_cursor_goes_back_to_the_newer_page(client: httpx.AsyncClient, khanh_hoa: int) -> None:
    first = (await client.get("/api/v1/items?limit=2")).json()
    second = (await client.get(f"/api/v1/items?limit=2&cursor={first['next_cursor']}")).json()
    back = (await client.get(f"/api/v1/items?limit=2&cursor={second['prev_cursor']}")).json()

    assert first["prev_cursor"] is None
    assert _titles(back) == _titles(first)


async def test_versions_and_republications_are_listed(
    client: httpx.AsyncClient, khanh_hoa: int, session: Session
) -> None:
    edited = make_item(3, title="Bộ Công Thương họp báo thường kỳ quý 3 (cập nhật)", content_hash="hash-3b")
    store(session, [edited], source_id="moit-tin-tuc", now=NOW + timedelta(hours=1))
    session.execute(
        update(StoredItem).where(StoredItem.identity.in_(["kh-1", edited.identity])).values(story_id=7)
    )
    session.commit()
    ministry = (await client.get("/api/v1/items?source=moit-tin-tuc&limit=1")).json()["items"][0]

    record = (await client.get(f"/api/v1/items/{ministry['id']}")).json()

    assert record["version"] == 2
    assert [(v["version"], v["title"]) for v in record["versions"]] == [
        (1, "Bộ Công Thương họp báo thường kỳ quý 3")
    ]
    assert [(r["source_id"], r["agency"], r["title"]) for r in record["republications"]] == [
        ("khanhhoa-tin-tuc", "UBND tỉnh Khánh Hòa", "Khánh Hòa đón 1,2 triệu lượt khách quốc tế")
    ]
    assert record["feed_id"].endswith(":story/7")


async def test_unknown_item_is_a_404_json_error(client: httpx.AsyncClient, khanh_hoa: int) -> None:
    reply = await client.get("/api/v1/items/987654")

    assert reply.status_code == 404
    assert reply.json() == {"error": {"code": "api.not_found", "message": "no item 987654"}}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("level=planet", "level"),
        ("since=hôm qua", "since"),
        ("content_type=video", "content_type"),
        ("cursor=not-a-cursor", "cursor"),
        ("sort=title", "sort"),
    ],
)
async def test_bad_parameter_is_a_422_naming_it(client: httpx.AsyncClient, query: str, field: str) -> None:
    reply = await client.get(f"/api/v1/items?{query}")

    assert reply.status_code == 422
    assert [error["loc"] for error in reply.json()["detail"]] == [["query", field]]
