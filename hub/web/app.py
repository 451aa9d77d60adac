"""The ASGI app: feeds, JSON API, /healthz, /metrics, /openapi.json; feed polls short-cut by the fast path."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from hub.db import make_engine
from hub.errors import HubError
from hub.settings import Settings
from hub.web import api, feeds
from hub.web.api.errors import Conflict, NotFound
from hub.web.deps import SessionDep, Unauthorized, WebState
from hub.web.fastpath import ASGIApp, ChangeMarker, FeedFastPath
from hub.web.feedcache import FeedCache
from hub.web.metrics import Metrics

# Domain errors -> HTTP status; any other HubError reaching a route is the client's doing (400).
HTTP_STATUS: tuple[tuple[type[HubError], int], ...] = ((Conflict, 409), (NotFound, 404), (Unauthorized, 401))


def create_app(settings: Settings) -> ASGIApp:
    """Build the FastAPI app and wrap it in the feed fast path (outermost, before routing)."""
    state = WebState(
        settings=settings,
        engine=make_engine(settings.database_url),
        cache=FeedCache(),
        marker=ChangeMarker(ttl=settings.feed_marker_ttl),
    )
    app = FastAPI(
        title="portalhub",
        summary="Syndication hub for Vietnam's government e-portals: feeds and JSON API",
        version="0.1.0",
    )
    app.state.web = state
    app.include_router(feeds.router)
    for router in api.ROUTERS:
        app.include_router(router)
    metrics = Metrics(state.engine)
    app.add_api_route("/healthz", healthz, methods=["GET"], tags=["operations"])
    app.add_api_route(
        "/metrics", metrics.endpoint, methods=["GET"], tags=["operations"], include_in_schema=False
    )
    app.add_exception_handler(HubError, _hub_error)
    # Counting sits inside the fast path: a feed poll answered from the cache is never counted.
    return FeedFastPath(metrics.middleware(app), cache=state.cache, marker=state.marker)


def app_from_env() -> ASGIApp:
    """Factory for `uvicorn --factory hub.web.app:app_from_env` (each worker builds its own)."""
    return create_app(Settings())


def healthz(session: SessionDep) -> dict[str, str]:
    """200 when the database answers."""
    session.execute(text("SELECT 1"))
    return {"status": "ok"}


async def _hub_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HubError)  # noqa: S101  (registered for HubError only)
    status = next((code for kind, code in HTTP_STATUS if isinstance(exc, kind)), 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        {"error": {"code": exc.code, "message": str(exc)}}, status_code=status, headers=headers
    )
