"""/metrics in Prometheus text format: hub figures read from the database at scrape time, request counts.

The figures come from the database, not from process memory, so every hub process answers the same
and a scrape of any one of them describes the whole hub. Requests are counted per process only for
those reaching the framework: feed polls answered by the fast path cost nothing here.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

from fastapi import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from hub.storage.health import HubFigures, hub_figures
from hub.web.fastpath import ASGIApp, Message, Receive, Scope, Send

PREFIX = "portalhub"


class HubCollector(Collector):
    """Reads sources, items and harvests at each scrape; reports the database down rather than failing."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(f"{PREFIX}_database_up", "1 when the database answered this scrape")
        now = datetime.now(UTC)
        try:
            with Session(self.engine) as session:
                figures = hub_figures(now, session=session)
        except SQLAlchemyError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from _figures(figures, now)


def _figures(figures: HubFigures, now: datetime) -> Iterator[Metric]:
    sources = GaugeMetricFamily(f"{PREFIX}_sources", "Configured sources", labels=["enabled"])
    for enabled in (True, False):
        count = sum(1 for source in figures.sources if source.enabled is enabled)
        sources.add_metric([str(enabled).lower()], count)
    failures = GaugeMetricFamily(
        f"{PREFIX}_source_consecutive_failures", "Failed harvests in a row", labels=["source_id"]
    )
    age = GaugeMetricFamily(
        f"{PREFIX}_source_last_success_age_seconds",
        "Seconds since the last successful harvest (sources that never had one are absent)",
        labels=["source_id"],
    )
    for source in figures.sources:
        failures.add_metric([source.source_id], source.consecutive_failures)
        if source.last_success_at is not None:
            age.add_metric([source.source_id], (now - source.last_success_at).total_seconds())
    items = GaugeMetricFamily(f"{PREFIX}_items", "Stored items", labels=["content_type"])
    for content_type, count in sorted(figures.items_by_content_type.items()):
        items.add_metric([content_type], count)
    harvests = GaugeMetricFamily(
        f"{PREFIX}_harvests_last_24h", "Harvests started in the last 24 hours", labels=["status"]
    )
    for status, count in sorted(figures.harvests_by_status_24h.items()):
        harvests.add_metric([status], count)
    yield from (sources, failures, age, items, harvests)


class Metrics:
    """The registry of one app: the database collector and the request counter."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(HubCollector(engine))
        self.requests = Counter(
            f"{PREFIX}_http_requests",
            "HTTP requests answered by the framework (feed polls served from the page cache excluded)",
            ["method", "route", "status"],
            registry=self.registry,
        )

    def endpoint(self) -> Response:
        """GET /metrics."""
        return Response(content=generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """Count each answered request by its route template (never the raw path: bounded labels)."""

        async def counted(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            status = [500]

            async def send_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status[0] = message["status"]
                await send(message)

            try:
                await app(scope, receive, send_status)
            finally:
                route = getattr(scope.get("route"), "path", "unmatched")
                self.requests.labels(scope["method"], route, str(status[0])).inc()

        return counted
