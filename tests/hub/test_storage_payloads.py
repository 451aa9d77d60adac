"""Raw payloads: content-addressed, compressed, once; pruned when no validator or recent item needs them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session, select

from hub.models import HarvestTrigger, Payload, Source
from hub.storage.harvests import open_harvest
from hub.storage.items import store_items
from hub.storage.payloads import (
    get_payload,
    keep_payload,
    latest_payloads_for_source,
    payload_body,
    payload_hash,
    prune_payloads,
)
from hub.storage.validators import ValidatorUpdate, get_validator, set_validators
from tests.conftest import NOW, make_item

FEED_BYTES = '<rss version="2.0"><channel><title>Bộ Tài chính</title></channel></rss>'.encode()
OLD = NOW - timedelta(days=40)
CUTOFF = NOW - timedelta(days=30)


def _keep(session: Session, body: bytes, *, now=NOW, url: str = "https://mof.gov.vn/rss") -> str:
    digest = keep_payload(url, "application/rss+xml; charset=utf-8", body, session=session, now=now)
    session.commit()
    return digest


def test_payload_round_trips_compressed_under_its_sha256(session: Session) -> None:
    body = FEED_BYTES * 200

    digest = _keep(session, body)

    payload = get_payload(digest, session=session)
    assert payload is not None
    assert digest == payload_hash(body)
    assert payload_body(payload) == body
    assert (payload.size, payload.content_type) == (len(body), "application/rss+xml; charset=utf-8")
    assert len(payload.compressed) < len(body) // 10


def test_keeping_the_same_bytes_twice_stores_one_row(session: Session) -> None:
    first = _keep(session, FEED_BYTES)
    second = _keep(session, FEED_BYTES, now=NOW + timedelta(hours=1), url="https://mof.gov.vn/rss?page=1")

    rows = session.exec(select(Payload)).all()
    assert first == second
    assert [(row.url, row.stored_at) for row in rows] == [("https://mof.gov.vn/rss", NOW)]


def test_latest_payloads_follow_the_committed_validators(
    session: Session, add_source: Callable[..., Source]
) -> None:
    add_source("mof-tin-tuc", url="https://mof.gov.vn/rss")
    old, new = _keep(session, b"<rss>cu</rss>"), _keep(session, b"<rss>moi</rss>")
    set_validators(
        "mof-tin-tuc",
        [ValidatorUpdate("https://mof.gov.vn/rss", '"v1"', None, old)],
        session=session,
        now=NOW,
    )
    set_validators(
        "mof-tin-tuc",
        [ValidatorUpdate("https://mof.gov.vn/rss", '"v2"', None, new)],
        session=session,
        now=NOW,
    )
    session.commit()

    latest = latest_payloads_for_source("mof-tin-tuc", session=session)
    validator = get_validator("mof-tin-tuc", "https://mof.gov.vn/rss", session=session)

    assert {url: payload.hash for url, payload in latest.items()} == {"https://mof.gov.vn/rss": new}
    assert validator is not None
    assert (validator.etag, validator.payload_hash) == ('"v2"', new)


def test_prune_keeps_what_validators_and_recent_items_need(
    session: Session, add_source: Callable[..., Source]
) -> None:
    add_source("mof-tin-tuc", url="https://mof.gov.vn/rss")
    by_validator = _keep(session, b"<rss>validator</rss>", now=OLD)
    by_recent_item = _keep(session, b"<rss>item</rss>", now=OLD)
    orphan = _keep(session, b"<rss>orphan</rss>", now=OLD)
    recent_orphan = _keep(session, b"<rss>recent</rss>", now=NOW)
    set_validators(
        "mof-tin-tuc",
        [ValidatorUpdate("https://mof.gov.vn/rss", None, None, by_validator)],
        session=session,
        now=NOW,
    )
    harvest = open_harvest("mof-tin-tuc", session=session, trigger=HarvestTrigger.CLI, now=NOW)
    item = make_item(1, source_id="mof-tin-tuc", payload_hash=by_recent_item)
    store_items([item], session=session, harvest_id=harvest.id or 0, source_id="mof-tin-tuc", now=NOW)
    session.commit()

    deleted = prune_payloads(CUTOFF, session=session)
    session.commit()

    kept = {row.hash for row in session.exec(select(Payload)).all()}
    assert deleted == 1
    assert kept == {by_validator, by_recent_item, recent_orphan}
    assert orphan not in kept
