"""Credit lines leave the body (HTML, text, summary), kept verbatim; credited names resolve to sources."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from hub.models import Source
from hub.pipeline.election import CreditResolver, resolver_of
from hub.pipeline.normalise.credit import take_credit
from hub.pipeline.normalise.html import html_to_text
from hub.sources import SourceConfig
from hub.storage.sources import credit_aliases, list_sources, sync_sources

LEAD = "Chiều 19/11, tại Đà Nẵng, Thủ tướng Chính phủ làm việc với Ban Thường vụ Thành ủy Đà Nẵng."
LAST = "Các địa phương chủ động tiêu nước, bảo vệ diện tích lúa đông xuân sớm và nuôi trồng thủy sản."


@pytest.mark.parametrize(
    ("body_html", "line", "kept_html"),
    [
        (
            f"<p>{LEAD}</p><p>{LAST}</p><p><strong>Nguồn: mae.gov.vn</strong></p>",
            "Nguồn: mae.gov.vn",
            f"<p>{LEAD}</p><p>{LAST}</p>",
        ),
        (
            f"<p><em>(Theo baochinhphu.vn)</em> {LEAD}</p><p>{LAST}</p>",
            "(Theo baochinhphu.vn)",
            f"<p> {LEAD}</p><p>{LAST}</p>",
        ),
        (
            f"<p>{LEAD}</p><p>{LAST} (Theo TTXVN)</p>",
            "(Theo TTXVN)",
            f"<p>{LEAD}</p><p>{LAST} (Theo TTXVN)</p>",  # woven into the prose: the HTML keeps it
        ),
    ],
)
def test_credit_line_leaves_the_body_and_is_kept(body_html: str, line: str, kept_html: str) -> None:
    taken = take_credit(body_html, html_to_text(body_html), LEAD)
    assert taken.line == line
    assert taken.body_html == kept_html
    assert line not in taken.body_text
    assert taken.body_text.endswith(LAST)


def test_summary_only_item_loses_its_closing_credit_sentence() -> None:
    summary = f"{LEAD} {LAST} Nguồn: mae.gov.vn"
    taken = take_credit("", "", summary)
    assert (taken.line, taken.summary) == ("Nguồn: mae.gov.vn", f"{LEAD} {LAST}")


@pytest.mark.parametrize(
    "body_html",
    [
        f"<p>Theo báo cáo của Sở Y tế, số ca mắc sốt xuất huyết giảm.</p><p>{LAST}</p>",
        f"<p>{LEAD}</p><p>{LAST}</p>",
    ],
)
def test_prose_opening_with_theo_is_not_a_credit(body_html: str) -> None:
    taken = take_credit(body_html, html_to_text(body_html), "")
    assert (taken.line, taken.body_html) == (None, body_html)


def _source(source_id: str, name: str, agency: str, url: str, priority: int = 0) -> Source:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    return Source(
        id=source_id, name=name, agency=agency, level="ministry", kind="feed", content_type="article",
        url=url, priority=priority, created_at=now, updated_at=now,
    )  # fmt: skip


SOURCES = [
    _source(
        "mae-tin-tuc", "Bộ NN&MT - Tin tức", "Bộ Nông nghiệp và Môi trường", "https://www.mae.gov.vn/rss", 80
    ),
    _source(
        "mae-thong-bao", "Bộ NN&MT - Thông báo", "Bộ Nông nghiệp và Môi trường", "https://mae.gov.vn/tb", 10
    ),
    _source("baochinhphu", "Báo Điện tử Chính phủ", "Văn phòng Chính phủ", "https://baochinhphu.vn/home.rss"),
]


@pytest.mark.parametrize(
    ("line", "source_id"),
    [
        ("Nguồn: mae.gov.vn", "mae-tin-tuc"),
        ("Nguồn: www.mae.gov.vn", "mae-tin-tuc"),
        ("(Theo baochinhphu.vn)", "baochinhphu"),
        ("Theo Báo điện tử Chính phủ", "baochinhphu"),
        ("Nguồn tin: Bộ Nông nghiệp và Môi trường", "mae-tin-tuc"),  # an agency: its main feed
        ("Nguồn: TTXVN", None),
        (None, None),
    ],
)
def test_credited_names_and_hosts_resolve_to_known_sources(line: str | None, source_id: str | None) -> None:
    assert CreditResolver(SOURCES).resolve(line) == source_id


# Feeds served away from their portals: a ministry's from a CDN, a province's from a mirror.
MIRRORED = [
    {
        "id": "mae-tin-tuc",
        "name": "Bộ NN&MT - Tin tức",
        "agency": "Bộ Nông nghiệp và Môi trường",
        "url": "https://rss.cdn-xyz.vn/mae/tin-tuc.rss",
        "site": "https://www.mae.gov.vn",
    },
    {
        "id": "khanhhoa-tin-tuc",
        "name": "Cổng TTĐT tỉnh Khánh Hòa - Tin tức sự kiện",
        "agency": "UBND tỉnh Khánh Hòa",
        "url": "http://203.162.10.25:8080/rss/tin-tuc-su-kien.rss",
        "site": "https://khanhhoa.gov.vn",
    },
    {
        "id": "baochinhphu",
        "name": "Báo Điện tử Chính phủ",
        "agency": "Văn phòng Chính phủ",
        "url": "https://baochinhphu.vn/home.rss",
    },
]


@pytest.mark.parametrize(
    ("line", "source_id"),
    [
        ("Nguồn: mae.gov.vn", "mae-tin-tuc"),
        ("Nguồn: www.mae.gov.vn", "mae-tin-tuc"),
        ("(Theo rss.cdn-xyz.vn)", "mae-tin-tuc"),  # the feed's own host still counts
        ("Nguồn: khanhhoa.gov.vn", "khanhhoa-tin-tuc"),
        ("(Theo baochinhphu.vn)", "baochinhphu"),
        ("Nguồn: moh.gov.vn", None),
    ],
)
def test_credit_resolves_by_the_host_of_the_site_a_synced_source_names(
    session: Session, line: str, source_id: str | None
) -> None:
    shared = {"level": "ministry", "kind": "feed", "content_type": "article", "schedule": {"every": "15m"}}
    configs = [SourceConfig.model_validate({**shared, **source}) for source in MIRRORED]
    sync_sources(configs, session=session, now=datetime(2026, 11, 20, tzinfo=UTC))
    session.commit()

    assert CreditResolver(list_sources(session=session)).resolve(line) == source_id


def test_a_source_whose_site_moves_is_credited_by_its_new_host_at_once(session: Session) -> None:
    shared = {"level": "ministry", "kind": "feed", "content_type": "article", "schedule": {"every": "15m"}}

    def synced(sources: list[dict[str, str]]) -> CreditResolver:
        configs = [SourceConfig.model_validate({**shared, **source}) for source in sources]
        sync_sources(configs, session=session, now=datetime(2026, 11, 20, tzinfo=UTC))
        session.commit()
        return resolver_of(credit_aliases(session=session))

    before = synced(MIRRORED)
    moved = [
        {**source, "site": "https://www.khanhhoa.vn"} if source["id"] == "khanhhoa-tin-tuc" else source
        for source in MIRRORED
    ]
    after = synced(moved)

    assert before.resolve("Nguồn: khanhhoa.gov.vn") == "khanhhoa-tin-tuc"
    assert after.resolve("Nguồn: khanhhoa.vn") == "khanhhoa-tin-tuc"
    assert after.resolve("Nguồn: khanhhoa.gov.vn") is None
    assert synced(moved) is after  # unchanged sources: the resolver already built
