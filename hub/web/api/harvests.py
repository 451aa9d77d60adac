"""/api/v1/harvests: harvest runs newest first, filtered by source and status; one run with its issues."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from hub.models import Harvest, HarvestIssueBase, HarvestPublic, HarvestStatus
from hub.storage.api_harvests import find_harvests
from hub.storage.harvests import list_issues
from hub.web.api.errors import NotFound
from hub.web.api.schemas import API_PREFIX, ErrorReply, HarvestDetail, HarvestList
from hub.web.deps import SessionDep

router = APIRouter(prefix=f"{API_PREFIX}/harvests", tags=["harvests"])
MAX_PAGE_SIZE = 200


class HarvestQuery(BaseModel):
    """An unknown parameter is refused (422 naming it), as everywhere in the API."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(default=None, max_length=100, description="source id")
    status: HarvestStatus | None = None
    before: int | None = Field(default=None, ge=1, description="harvest id from `next_before`")
    limit: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


@router.get("", response_model=HarvestList)
def list_runs(query: Annotated[HarvestQuery, Query()], session: SessionDep) -> HarvestList:
    harvests = find_harvests(
        session=session,
        source_id=query.source,
        status=query.status,
        before_id=query.before,
        limit=query.limit,
    )
    full_page = len(harvests) == query.limit
    return HarvestList(
        harvests=[HarvestPublic.model_validate(harvest) for harvest in harvests],
        next_before=harvests[-1].id if harvests and full_page else None,
    )


@router.get("/{harvest_id}", response_model=HarvestDetail, responses={404: {"model": ErrorReply}})
def get_run(harvest_id: int, session: SessionDep) -> HarvestDetail:
    harvest = session.get(Harvest, harvest_id)
    if harvest is None:
        raise NotFound(f"no harvest {harvest_id}")
    issues = [HarvestIssueBase.model_validate(issue) for issue in list_issues(harvest_id, session=session)]
    return HarvestDetail.model_validate(harvest, update={"issues": issues})
