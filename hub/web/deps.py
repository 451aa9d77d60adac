"""What routes depend on: the process-wide web state, a database session per request, the admin check."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

from hub.errors import HubError
from hub.settings import Settings
from hub.web.fastpath import ChangeMarker
from hub.web.feedcache import FeedCache


class Unauthorized(HubError):
    code = "auth.unauthorized"


@dataclass(slots=True)
class WebState:
    """Built once by `create_app`, shared by every request of the process."""

    settings: Settings
    engine: Engine
    cache: FeedCache
    marker: ChangeMarker

    @property
    def base_url(self) -> str:
        return self.settings.public_base_url.rstrip("/")

    @property
    def id_authority(self) -> str:
        return self.settings.id_authority


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def get_session(state: Annotated[WebState, Depends(get_state)]) -> Iterator[Session]:
    with Session(state.engine, expire_on_commit=False) as session:
        yield session


def require_admin(request: Request, state: Annotated[WebState, Depends(get_state)]) -> None:
    """Writes need `Authorization: Bearer <PORTALHUB_ADMIN_TOKEN>`; no token configured means no writes."""
    token = state.settings.admin_token
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer" or not secrets.compare_digest(given.strip(), token):
        raise Unauthorized("a valid 'Authorization: Bearer <token>' header is required for this request")


WebStateDep = Annotated[WebState, Depends(get_state)]
SessionDep = Annotated[Session, Depends(get_session)]
AdminDep = Depends(require_admin)
