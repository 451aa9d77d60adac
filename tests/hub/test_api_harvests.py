"""/api/v1/harvests: newest first, filtered by source and status, paged by id; one harvest with its issues."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlmodel import Session

from hub.models import HarvestStatus, HarvestTrigger, Source
from hub.settings import Settings
from hub.storage.harvests import HarvestTotals, Issue, close_harvest, open_harvest, record_issues
from tests.conftest import NOW
from tests.support.api import api_client

# (source, status) of each harvest, oldest first.
HISTORY = [
    ("moit-tin-tuc", HarvestStatus.SUCCESS),
    ("khanhhoa-tin-tuc", HarvestStatus.FAILED),
    ("moit-tin-tuc", HarvestStatus.NOT_MODIFIED),
    ("moit-tin-tuc", HarvestStatus.PARTIAL),
    ("khanhhoa-tin-tuc", HarvestStatus.SUCCESS),
]


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(settings) as client:
        yield client


@pytest.fixture
def harvest_ids(session: Session, add_source: Callable[..., Source]) -> list[int]:
    add_source()
    add_source("khanhhoa-tin-tuc", agency="UBND tỉnh Khánh Hòa", level="province")
    ids = []
    for source_id, status in HISTORY:
        harvest = open_harvest(source_id, session=session, trigger=HarvestTrigger.SCHEDULE, now=NOW)
        assert harvest.id is not None
        issues = [
            Issue(
                "normalise",
                "date.unparseable",
                "Ngày đăng không đọc được: 'hôm qua'",
                url="https://moit.gov.vn/a",
            )
        ]
        record_issues(harvest.id, issues if status == HarvestStatus.PARTIAL else [], session=session)
        close_harvest(harvest.id, HarvestTotals(status=status), session=session, error_count=0, now=NOW)
        ids.append(harvest.id)
    session.commit()
    return ids


@pytest.mark.parametrize(
    ("query", "positions"),
    [
        ("", [4, 3, 2, 1, 0]),
        ("source=moit-tin-tuc", [3, 2, 0]),
        ("status=success", [4, 0]),
        ("source=khanhhoa-tin-tuc&status=failed", [1]),
        ("limit=2", [4, 3]),
    ],
)
async def test_harvests_newest_first_filtered(
    client: httpx.AsyncClient, harvest_ids: list[int], query: str, positions: list[int]
) -> None:
    reply = await client.get(f"/api/v1/harvests?{query}")

    assert reply.status_code == 200
    assert [harvest["id"] for harvest in reply.json()["harvests"]] == [harvest_ids[n] for n in positions]


async def test_paging_by_next_before_reaches_the_oldest(
    client: httpx.AsyncClient, harvest_ids: list[int]
) -> None:
    first = (await client.get("/api/v1/harvests?limit=3")).json()
    second = (await client.get(f"/api/v1/harvests?limit=3&before={first['next_before']}")).json()

    assert [h["id"] for h in first["harvests"] + second["harvests"]] == list(reversed(harvest_ids))
    assert second["next_before"] is None


async def test_one_harvest_comes_with_its_issues(client: httpx.AsyncClient, harvest_ids: list[int]) -> None:
    reply = await client.get(f"/api/v1/harvests/{harvest_ids[3]}")

    body = reply.json()
    assert (body["status"], body["trigger"], body["source_id"]) == ("partial", "schedule", "moit-tin-tuc")
    assert body["issues"] == [
        {
            "harvest_id": harvest_ids[3],
            "stage": "normalise",
            "code": "date.unparseable",
            "message": "Ngày đăng không đọc được: 'hôm qua'",
            "url": "https://moit.gov.vn/a",
            "item_key": None,
        }
    ]


async def test_unknown_harvest_is_a_404_json_error(client: httpx.AsyncClient) -> None:
    reply = await client.get("/api/v1/harvests/31337")

    assert reply.status_code == 404
    assert reply.json()["error"] == {"code": "api.not_found", "message": "no harvest 31337"}


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=xong", "status"), ("limit=0", "limit"), ("before=abc", "before"), ("nguon=moit", "nguon")],
)
async def test_bad_parameter_is_a_422_naming_it(client: httpx.AsyncClient, query: str, field: str) -> None:
    reply = await client.get(f"/api/v1/harvests?{query}")

    assert reply.status_code == 422
    assert [error["loc"] for error in reply.json()["detail"]] == [["query", field]]
