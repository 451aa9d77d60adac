"""/metrics: Prometheus text read from the database at scrape time, and requests counted by route."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session

from hub.models import HarvestStatus, HarvestTrigger, Source
from hub.settings import Settings
from hub.storage.harvests import HarvestTotals, close_harvest, open_harvest
from tests.conftest import make_item
from tests.support.api import api_client, store

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _samples(text: str) -> Samples:
    """{(name, sorted labels): value} of every sample; parsing fails loudly on bad exposition text."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _harvest(session: Session, status: HarvestStatus, started: datetime) -> None:
    harvest = open_harvest("moit-tin-tuc", session=session, trigger=HarvestTrigger.SCHEDULE, now=started)
    assert harvest.id is not None
    close_harvest(harvest.id, HarvestTotals(status=status), session=session, error_count=0, now=started)
    session.commit()


async def test_metrics_describe_sources_items_and_harvests(
    settings: Settings, session: Session, add_source: Callable[..., Source]
) -> None:
    now = datetime.now(UTC)
    add_source(last_success_at=now - timedelta(minutes=20))
    add_source("khanhhoa-tin-tuc", consecutive_failures=3)
    add_source("sotc-cu", enabled=False)
    documents = [make_item(n, content_type="document", identity=f"vb-{n}") for n in (1, 2)]
    store(session, [make_item(3), *documents], source_id="moit-tin-tuc", now=now)
    for status in (HarvestStatus.SUCCESS, HarvestStatus.SUCCESS, HarvestStatus.FAILED):
        _harvest(session, status, now - timedelta(hours=1))
    _harvest(session, HarvestStatus.FAILED, now - timedelta(days=2))

    async with api_client(settings) as client:
        reply = await client.get("/metrics")

    samples = _samples(reply.text)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain; version=")
    assert samples[("portalhub_database_up", ())] == 1
    assert samples[("portalhub_sources", (("enabled", "true"),))] == 2
    assert samples[("portalhub_sources", (("enabled", "false"),))] == 1
    assert samples[("portalhub_source_consecutive_failures", (("source_id", "khanhhoa-tin-tuc"),))] == 3
    assert samples[("portalhub_items", (("content_type", "article"),))] == 1
    assert samples[("portalhub_items", (("content_type", "document"),))] == 2
    # The harvest store() opened is still running; the one two days old is out of the window.
    assert samples[("portalhub_harvests_last_24h", (("status", "success"),))] == 2
    assert samples[("portalhub_harvests_last_24h", (("status", "failed"),))] == 1
    age = samples[("portalhub_source_last_success_age_seconds", (("source_id", "moit-tin-tuc"),))]
    assert 20 * 60 <= age < 60 * 60
    assert ("portalhub_source_last_success_age_seconds", (("source_id", "khanhhoa-tin-tuc"),)) not in samples


async def test_requests_are_counted_by_route_template(
    settings: Settings, add_source: Callable[..., Source]
) -> None:
    add_source()

    async with api_client(settings) as client:
        await client.get("/api/v1/sources/moit-tin-tuc")
        await client.get("/api/v1/sources/khong-co")
        await client.get("/api/v1/sources/khong-co-nua")
        samples = _samples((await client.get("/metrics")).text)

    route = "/api/v1/sources/{source_id}"
    assert (
        samples[("portalhub_http_requests_total", (("method", "GET"), ("route", route), ("status", "200")))]
        == 1
    )
    assert (
        samples[("portalhub_http_requests_total", (("method", "GET"), ("route", route), ("status", "404")))]
        == 2
    )


async def test_unreachable_database_is_reported_not_raised(tmp_path: Path, settings: Settings) -> None:
    broken = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'chua-khoi-tao.db'}"})

    async with api_client(broken) as client:
        reply = await client.get("/metrics")

    samples = _samples(reply.text)
    assert reply.status_code == 200
    assert samples[("portalhub_database_up", ())] == 0
    assert not any(name == "portalhub_sources" for name, _labels in samples)
