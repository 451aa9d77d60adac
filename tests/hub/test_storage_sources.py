"""Sources in the database: syncing the file, and claims that never hand one source to two processes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from hub.db import session_scope
from hub.models import Source
from hub.sources import SourceConfig
from hub.storage.sources import SyncReport, claim_due_sources, get_source, list_sources, release, sync_sources
from tests.conftest import NOW

LEASE = 600


def _config(source_id: str, **changes: object) -> SourceConfig:
    values: dict[str, object] = {
        "id": source_id,
        "name": f"Cổng TTĐT {source_id}",
        "agency": "UBND tỉnh Khánh Hòa",
        "level": "province",
        "kind": "feed",
        "content_type": "article",
        "url": f"https://{source_id}.khanhhoa.gov.vn/rss",
        "schedule": {"every": "15m"},
        "topics": ["chỉ đạo điều hành"],
    }
    return SourceConfig.model_validate({**values, **changes})


def test_sync_adds_updates_disables_and_leaves_alone(session: Session) -> None:
    first = sync_sources([_config("khanhhoa"), _config("soyte"), _config("sotc")], session=session, now=NOW)
    session.commit()

    second = sync_sources(
        [_config("khanhhoa"), _config("soyte", schedule={"cron": "0 7 * * *"}), _config("sogd")],
        session=session,
        now=NOW + timedelta(days=1),
    )
    session.commit()

    by_id = {source.id: source for source in list_sources(session=session)}
    assert first == SyncReport(added=["khanhhoa", "soyte", "sotc"])
    assert second == SyncReport(added=["sogd"], updated=["soyte"], disabled=["sotc"], unchanged=["khanhhoa"])
    assert (by_id["soyte"].schedule_cron, by_id["soyte"].schedule_every_seconds) == ("0 7 * * *", None)
    assert by_id["sotc"].enabled is False
    assert by_id["khanhhoa"].schedule_every_seconds == 900
    assert by_id["khanhhoa"].topics == ["chỉ đạo điều hành"]
    assert [source.id for source in list_sources(session=session, enabled_only=True)] == [
        "khanhhoa",
        "sogd",
        "soyte",
    ]


def test_a_source_listed_again_is_enabled_again(session: Session) -> None:
    sync_sources([_config("khanhhoa")], session=session, now=NOW)
    sync_sources([], session=session, now=NOW)
    report = sync_sources([_config("khanhhoa")], session=session, now=NOW)

    source = get_source("khanhhoa", session=session)
    assert report.updated == ["khanhhoa"]
    assert source is not None
    assert source.enabled is True


def test_sync_stores_changes_and_removes_the_site(session: Session) -> None:
    cdn = {"agency": "Bộ Nông nghiệp và Môi trường", "url": "https://rss.cdn-xyz.vn/mae/tin-tuc.rss"}
    reports, stored = [], []
    for site in ("https://mae.gov.vn", "https://www.mae.gov.vn", None):
        reports.append(sync_sources([_config("mae", **cdn, site=site)], session=session, now=NOW))
        session.commit()
        session.expire_all()  # read the row back from the database, not the session's copy
        stored.extend((source.url, source.site) for source in list_sources(session=session))

    assert [(report.added, report.updated) for report in reports] == [
        (["mae"], []),
        ([], ["mae"]),
        ([], ["mae"]),
    ]
    assert stored == [
        ("https://rss.cdn-xyz.vn/mae/tin-tuc.rss", "https://mae.gov.vn"),
        ("https://rss.cdn-xyz.vn/mae/tin-tuc.rss", "https://www.mae.gov.vn"),
        ("https://rss.cdn-xyz.vn/mae/tin-tuc.rss", None),
    ]


def test_claim_takes_due_sources_by_priority_and_leases_them(
    session: Session, add_source: Callable[..., Source]
) -> None:
    add_source("a-thuong", priority=0)
    add_source("b-uu-tien", priority=5)
    add_source("c-chua-den-han", next_harvest_at=NOW + timedelta(minutes=5))
    add_source("d-tat", enabled=False)

    claimed = claim_due_sources(10, LEASE, "hub-1", NOW, session=session)
    session.commit()

    assert [source.id for source in claimed] == ["b-uu-tien", "a-thuong"]
    assert {(source.lease_owner, source.lease_until) for source in claimed} == {
        ("hub-1", NOW + timedelta(seconds=LEASE))
    }


def test_two_claimers_never_get_the_same_source(engine: Engine, add_source: Callable[..., Source]) -> None:
    for number in range(5):
        add_source(f"nguon-{number}")

    with session_scope(engine) as first:
        one = [source.id for source in claim_due_sources(3, LEASE, "hub-1", NOW, session=first)]
    with session_scope(engine) as second:
        two = [source.id for source in claim_due_sources(10, LEASE, "hub-2", NOW, session=second)]

    assert len(one) == 3
    assert sorted(one + two) == [f"nguon-{n}" for n in range(5)]


def test_concurrent_claimers_split_the_sources(engine: Engine, add_source: Callable[..., Source]) -> None:
    for number in range(12):
        add_source(f"nguon-{number:02d}")
    claimed: dict[str, list[str]] = {}

    def claimer(owner: str) -> None:
        mine: list[str] = []
        while True:
            with session_scope(engine) as session:
                got = claim_due_sources(1, LEASE, owner, NOW, session=session)
            if not got:
                break
            mine.extend(source.id for source in got)
        claimed[owner] = mine

    threads = [threading.Thread(target=claimer, args=(f"hub-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    every = [source_id for mine in claimed.values() for source_id in mine]
    assert sorted(every) == [f"nguon-{n:02d}" for n in range(12)]


@pytest.mark.parametrize(
    ("later", "owner", "expected"),
    [
        (timedelta(seconds=LEASE - 1), "hub-2", []),  # the lease still runs
        (timedelta(seconds=LEASE + 1), "hub-2", ["nguon-0"]),  # the owner died: taken over
    ],
)
def test_an_expired_lease_is_taken_over(
    session: Session, add_source: Callable[..., Source], later: timedelta, owner: str, expected: list[str]
) -> None:
    add_source("nguon-0")
    claim_due_sources(1, LEASE, "hub-1", NOW, session=session)
    session.commit()

    taken = claim_due_sources(1, LEASE, owner, NOW + later, session=session)

    assert [source.id for source in taken] == expected


def test_release_frees_the_source_only_for_its_owner(
    session: Session, add_source: Callable[..., Source]
) -> None:
    add_source("nguon-0")
    claim_due_sources(1, LEASE, "hub-1", NOW, session=session)

    by_stranger = release("nguon-0", "hub-2", session=session)
    by_owner = release("nguon-0", "hub-1", session=session)
    session.commit()

    assert (by_stranger, by_owner) == (False, True)
    assert [source.id for source in claim_due_sources(1, LEASE, "hub-2", NOW, session=session)] == ["nguon-0"]
