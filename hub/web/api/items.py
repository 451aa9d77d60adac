"""/api/v1/items: the feeds' filters and cursors, answered with full records; /api/v1/items/{id}."""

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response

from hub.models import ItemVersion, Source, StoredItem
from hub.storage.api_items import ItemRow, get_item, republications_by_item, versions_by_item
from hub.storage.feeds import Cursor, CursorError, FeedFilters, FeedRows, query_stream
from hub.web.api.errors import NotFound
from hub.web.api.schemas import (
    API_PREFIX,
    ErrorReply,
    ItemPage,
    ItemRecord,
    Provenance,
    Republication,
    SourceRef,
    VersionRecord,
)
from hub.web.api.stories import Grouping, grouping_of
from hub.web.deps import SessionDep, WebStateDep
from hub.web.feeds import FeedQuery
from hub.web.feedview import entry_id

router = APIRouter(prefix=f"{API_PREFIX}/items", tags=["items"])

# Columns of the stored item shown as they are; the rest is grouped (provenance) or internal (search keys).
_ITEM_COLUMNS = set(ItemRecord.model_fields) & set(StoredItem.model_fields)
_REPUBLICATION_COLUMNS = set(Republication.model_fields) & set(StoredItem.model_fields)


class ItemQuery(FeedQuery):
    """The feeds' filters, plus the content type a feed gets from its stream name."""

    content_type: Literal["article", "document", "service"] | None = None


@router.get("", response_model=ItemPage)
def list_items(
    query: Annotated[ItemQuery, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    state: WebStateDep,
) -> ItemPage:
    """Items newest first, filtered as the feeds are; follow `next_cursor` (or the Link header) for more."""
    rows = query_stream(_filters(query), session=session)
    page = ItemPage(
        items=records(rows.rows, session=session, authority=state.id_authority),
        next_cursor=_next_cursor(rows),
        prev_cursor=_prev_cursor(rows),
    )
    links = _links(state.base_url + request.url.path, request, page)
    if links:
        response.headers["Link"] = links
    return page


class ItemDetail(ItemRecord):
    """One item's full record, with why it is grouped in its story (rule, score, reason)."""

    grouping: Grouping | None


@router.get("/{item_id}", response_model=ItemDetail, responses={404: {"model": ErrorReply}})
def get_one_item(item_id: int, session: SessionDep, state: WebStateDep) -> ItemDetail:
    row = get_item(item_id, session=session)
    if row is None:
        raise NotFound(f"no item {item_id}")
    [record] = records([row], session=session, authority=state.id_authority)
    return ItemDetail(**record.model_dump(), grouping=grouping_of(item_id, session))


def records(rows: list[ItemRow], *, session: SessionDep, authority: str) -> list[ItemRecord]:
    """Full records of a page of items: versions and republications in one query each."""
    items = [item for item, _source in rows]
    versions = versions_by_item([item.id or 0 for item in items], session=session)
    republications = republications_by_item(items, session=session)
    return [
        _record(item, source, versions.get(item.id or 0, []), republications.get(item.id or 0, []), authority)
        for item, source in rows
    ]


def _record(
    item: StoredItem,
    source: Source,
    versions: list[ItemVersion],
    republications: list[ItemRow],
    authority: str,
) -> ItemRecord:
    return ItemRecord.model_validate(
        {
            **item.model_dump(include=_ITEM_COLUMNS),
            "feed_id": entry_id(authority, item),
            "source": SourceRef.model_validate(source),
            "provenance": Provenance.model_validate(item),
            "versions": [VersionRecord.model_validate(version) for version in versions],
            "republications": [
                Republication(**other.model_dump(include=_REPUBLICATION_COLUMNS), agency=other_source.agency)
                for other, other_source in republications
            ],
        }
    )


def _filters(query: ItemQuery) -> FeedFilters:
    try:
        cursor = Cursor.decode(query.cursor) if query.cursor else None
    except CursorError as exc:
        raise HTTPException(status_code=422, detail=[{"loc": ["query", "cursor"], "msg": str(exc)}]) from exc
    return FeedFilters(
        **query.model_dump(exclude={"cursor", "source"}), source_id=query.source, cursor=cursor
    )


def _next_cursor(rows: FeedRows) -> str | None:
    if not (rows.rows and rows.has_older):
        return None
    last = rows.rows[-1][0]
    return Cursor(last.published, last.id or 0, before=True).encode()


def _prev_cursor(rows: FeedRows) -> str | None:
    if not (rows.rows and rows.has_newer):
        return None
    first = rows.rows[0][0]
    return Cursor(first.published, first.id or 0, before=False).encode()


def _links(url: str, request: Request, page: ItemPage) -> str:
    """RFC 8288 `Link` with every filter kept and only the cursor replaced."""
    kept = [(key, value) for key, value in request.query_params.multi_items() if key != "cursor"]
    links = []
    for rel, cursor in (("next", page.next_cursor), ("prev", page.prev_cursor)):
        if cursor is not None:
            links.append(f'<{url}?{urlencode([*kept, ("cursor", cursor)])}>; rel="{rel}"')
    return ", ".join(links)
