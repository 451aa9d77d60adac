"""/feeds/{stream}.{fmt} and /feeds/sources/{source_id}.{fmt}: filters -> storage -> renderer -> cache.

The answer is built by `feedcache.answer`, the same function the ASGI fast path uses, so a page
served from the cache and a page rendered now carry identical headers.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.responses import Response

from feeds import MEDIA_TYPES, render
from hub.storage.feeds import Cursor, CursorError, FeedFilters, query_stream, stream_marker
from hub.storage.sources import get_source
from hub.web.deps import SessionDep, WebStateDep
from hub.web.feedcache import CachedPage, answer, cache_key
from hub.web.feedview import feed_page

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_PAGE_SIZE = 200

router = APIRouter(tags=["feeds"])


class Stream(StrEnum):
    ALL = "all"
    ARTICLES = "articles"
    DOCUMENTS = "documents"
    SERVICES = "services"


STREAM_CONTENT_TYPE = {"all": None, "articles": "article", "documents": "document", "services": "service"}
Format = Literal["atom", "rss", "json"]


class FeedQuery(BaseModel):
    """Filters of every feed; an unknown parameter is refused (422 naming it), never ignored."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(default=None, max_length=100, description="source id")
    agency: str | None = Field(
        default=None, max_length=300, description="agency, exactly as in the sources file"
    )
    level: Literal["central", "ministry", "province", "department", "district"] | None = None
    topic: str | None = Field(default=None, max_length=200, description="topic; case and tone marks ignored")
    since: datetime | None = Field(
        default=None, description="ISO 8601 time; without offset: Asia/Ho_Chi_Minh"
    )
    q: str | None = Field(default=None, max_length=200, description="words of the title or summary")
    limit: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE, description="entries per page")
    cursor: str | None = Field(default=None, max_length=200, description="from a next/prev link")

    @field_validator("since")
    @classmethod
    def _local_when_naive(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=LOCAL_TIME)
        return value


FeedQueryDep = Annotated[FeedQuery, Query()]


@router.api_route("/feeds/{stream}.{fmt}", methods=["GET", "HEAD"], response_class=Response)
def stream_feed(
    stream: Stream,
    fmt: Format,
    query: FeedQueryDep,
    request: Request,
    session: SessionDep,
    state: WebStateDep,
) -> Response:
    """An aggregated stream: all content, or articles, documents or services only."""
    return _serve(request, session, state, query, fmt, STREAM_CONTENT_TYPE[stream.value], stream.value)


@router.api_route("/feeds/sources/{source_id}.{fmt}", methods=["GET", "HEAD"], response_class=Response)
def source_feed(
    source_id: str,
    fmt: Format,
    query: FeedQueryDep,
    request: Request,
    session: SessionDep,
    state: WebStateDep,
) -> Response:
    """Everything one source published; 404 for an unknown source (a typo is not an empty feed)."""
    if get_source(source_id, session=session) is None:
        raise HTTPException(status_code=404, detail=f"no source {source_id!r}")
    query = query.model_copy(update={"source": source_id})
    return _serve(request, session, state, query, fmt, None, "all")


def _serve(
    request: Request,
    session: SessionDep,
    state: WebStateDep,
    query: FeedQuery,
    fmt: str,
    content_type: str | None,
    title_key: str,
) -> Response:
    marker = stream_marker(session=session)
    state.marker.set(marker)
    key = cache_key(request.url.path, request.url.query.encode("latin-1"))
    page = state.cache.get(key, marker)
    if page is None:
        page = _render(request, session, state, query, fmt, content_type, title_key, marker)
        state.cache.put(key, page)
    headers = {name.encode("latin-1"): value.encode("latin-1") for name, value in request.headers.items()}
    status, raw_headers, body = answer(page, headers, head=request.method == "HEAD")
    response = Response(content=body, status_code=status)
    response.raw_headers = raw_headers
    return response


def _render(
    request: Request,
    session: SessionDep,
    state: WebStateDep,
    query: FeedQuery,
    fmt: str,
    content_type: str | None,
    title_key: str,
    marker: str,
) -> CachedPage:
    try:
        cursor = Cursor.decode(query.cursor) if query.cursor else None
    except CursorError as exc:
        raise HTTPException(status_code=422, detail=[{"loc": ["query", "cursor"], "msg": str(exc)}]) from exc
    filters = FeedFilters(
        content_type=content_type,
        source_id=query.source,
        agency=query.agency,
        level=query.level,
        topic=query.topic,
        since=query.since,
        q=query.q,
        limit=query.limit,
        cursor=cursor,
    )
    rows = query_stream(filters, session=session)
    params = dict(request.query_params.items())
    page = feed_page(
        rows,
        title_key=title_key,
        feed_path=request.url.path,
        base_url=state.base_url,
        params=params,
        authority=state.id_authority,
    )
    body = render(page, fmt)
    return CachedPage.build(marker=marker, media_type=MEDIA_TYPES[fmt], body=body, updated=page.updated)
