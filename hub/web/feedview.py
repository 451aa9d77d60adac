"""Stored rows -> the renderers' FeedEntry / FeedPage: ids, attribution, paging links."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from feeds.model import Attribution, FeedEntry, FeedPage, Republication
from hub.models import Source, StoredItem
from hub.storage.feeds import Cursor, FeedRows

STREAM_TITLES = {
    "all": "Tất cả nội dung",
    "articles": "Tin bài",
    "documents": "Văn bản",
    "services": "Thủ tục hành chính, dịch vụ công",
}
# Keys of Item.extra that say how the hub harvested an item (shown by the API), not what the item says.
HARVEST_BOOKKEEPING = frozenset(["feed_title", "feed_url", "full_text_error", "full_text_url"])
EPOCH_FALLBACK = datetime.fromisoformat("2026-01-01T00:00:00+00:00")  # updated of a page with no entry


def entry_id(authority: str, item: StoredItem) -> str:
    """Stable for the life of the story: its first item's id, never the URL or the title."""
    return f"tag:{authority}:story/{item.story_id or item.id}"


def item_updated(item: StoredItem) -> datetime:
    """The source's own edit time, or the last time the hub saw the content change."""
    candidates = [item.published, item.updated or item.published]
    if item.version > 1:
        candidates.append(item.last_changed_at)
    return max(candidates)


def feed_entry(
    item: StoredItem,
    source: Source,
    *,
    authority: str,
    others: Sequence[tuple[StoredItem, Source]] = (),
) -> FeedEntry:
    """One entry per story: the item (its canonical original) with the other portals' copies."""
    return FeedEntry(
        id=entry_id(authority, item),
        title=item.title,
        link=item.url,
        published=item.published,
        updated=item_updated(item),
        content_type=item.content_type,
        summary=item.summary,
        content_html=item.body_html,
        author=source.agency,
        categories=tuple(item.topics),
        image_url=item.image_url,
        attribution=attribution(source),
        republications=tuple(republication(other, where) for other, where in others if other.id != item.id),
        fields={key: value for key, value in item.extra.items() if key not in HARVEST_BOOKKEEPING},
    )


def republication(item: StoredItem, source: Source) -> Republication:
    return Republication(
        url=item.url,
        source_id=source.id,
        portal_name=source.name,
        agency=source.agency,
        published=item.published,
    )


def attribution(source: Source) -> Attribution:
    parts = urlsplit(source.url)
    return Attribution(
        source_id=source.id,
        portal_name=source.name,
        agency=source.agency,
        portal_url=f"{parts.scheme}://{parts.netloc}/",
        feed_url=source.url,
    )


def feed_page(
    rows: FeedRows, *, title_key: str, feed_path: str, base_url: str, params: dict[str, str], authority: str
) -> FeedPage:
    """Paging links keep every filter and replace only the cursor."""
    entries = tuple(
        feed_entry(item, source, authority=authority, others=rows.republications.get(item.story_id or 0, ()))
        for item, source in rows.rows
    )
    first_url = _url(base_url, feed_path, params, None)
    next_url = prev_url = None
    if rows.rows and rows.has_older:
        last = rows.rows[-1][0]
        next_url = _url(base_url, feed_path, params, Cursor(last.published, last.id or 0, before=True))
    if rows.rows and rows.has_newer:
        first = rows.rows[0][0]
        prev_url = _url(base_url, feed_path, params, Cursor(first.published, first.id or 0, before=False))
    return FeedPage(
        id=f"tag:{authority}:{feed_path.rsplit('.', 1)[0]}",
        title=f"portalhub — {STREAM_TITLES.get(title_key, title_key)}",
        subtitle="Tin bài, văn bản và thủ tục hành chính tổng hợp từ các cổng thông tin điện tử",
        self_url=_url(base_url, feed_path, params, params.get("cursor")),
        home_url=base_url + "/",
        updated=max((entry.updated for entry in entries), default=EPOCH_FALLBACK),
        entries=entries,
        first_url=first_url,
        next_url=next_url,
        prev_url=prev_url,
    )


def _url(base_url: str, path: str, params: dict[str, str], cursor: Cursor | str | None) -> str:
    query = {key: value for key, value in sorted(params.items()) if key != "cursor"}
    if cursor is not None:
        query["cursor"] = cursor if isinstance(cursor, str) else cursor.encode()
    return base_url + path + ("?" + urlencode(query) if query else "")
