"""JsonConnector ("json"): a JSON endpoint -> one RawRecord per object of a configured list.

Steps: 1. fetch the source URL conditionally (not modified -> nothing to yield); 2. decode the JSON;
3. walk `items_path` to the list; 4. per object: identity (`id_field`), URL (`url_template`), digest;
unchanged -> identity-only record; else map `fields` (target -> source path) verbatim for the normaliser.

A source path is dotted keys and list indexes (`procedureProposal.decisionDate`, `cases.0.code`);
`name[]` fans out over a list (`categoriesDetails[].name` -> every category name, flattened).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import quote, urljoin

from pydantic import BaseModel, ConfigDict, Field, field_validator

from connectors.base import Connector, ConnectorError, FetchResult, RawRecord

logger = logging.getLogger(__name__)

_PATH = re.compile(r"[^.\[\]\s]+(?:\[\])?(?:\.[^.\[\]\s]+(?:\[\])?)*")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class JsonOptions(BaseModel):
    """What a `json` source configures: where the list is, which values become which fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    items_path: str = ""  # dotted path to the list of records; "" when the document is the list
    fields: dict[str, str] = Field(min_length=1)  # RawRecord field -> source path
    id_field: str | None = None  # source path of the record's own id (the guid)
    # The record's page: "/thu-tuc?ma={code}" with source paths in braces, resolved against the source URL.
    url_template: str | None = None

    @field_validator("items_path")
    @classmethod
    def _items_path(cls, value: str) -> str:
        return value if value == "" else _checked_path(value)

    @field_validator("fields")
    @classmethod
    def _field_paths(cls, value: dict[str, str]) -> dict[str, str]:
        return {target: _checked_path(path) for target, path in value.items()}

    @field_validator("id_field")
    @classmethod
    def _id_path(cls, value: str | None) -> str | None:
        return None if value is None else _checked_path(value)

    @field_validator("url_template")
    @classmethod
    def _template_paths(cls, value: str | None) -> str | None:
        for path in _PLACEHOLDER.findall(value or ""):
            _checked_path(path)
        return value


class JsonConnector(Connector):
    """Harvests one JSON listing; values stay verbatim (epoch numbers, nested objects) for the normaliser."""

    kind: ClassVar[str] = "json"
    Options: ClassVar[type[JsonOptions]] = JsonOptions
    options: JsonOptions

    async def harvest(self) -> AsyncIterator[RawRecord]:
        result = await self.ctx.fetcher.fetch(self.spec.url, conditional=True)
        fetched_at = datetime.now(UTC)
        log = {"source_id": self.spec.id, "url": result.url, "stage": "parse"}
        if result.not_modified:
            logger.info("listing not modified", extra=log)
            return
        objects = _items(_decode(result), self.options.items_path, result.url)
        logger.info("listing parsed: %d records", len(objects), extra=log)
        for one in objects:
            yield self._record(one, result, fetched_at)

    def _record(self, one: Mapping[str, Any], result: FetchResult, fetched_at: datetime) -> RawRecord:
        guid = _scalar(walk(one, self.options.id_field)) if self.options.id_field else None
        url = self._url(one, result.url)
        digest = hashlib.sha256(
            json.dumps(one, ensure_ascii=False, sort_keys=True).encode("utf-8")
        ).hexdigest()
        unchanged = self.ctx.is_unchanged(guid or url, digest)
        fields: dict[str, Any] = {"base_url": result.url}
        if not unchanged:
            mapped = {target: walk(one, path) for target, path in self.options.fields.items()}
            fields |= {target: value for target, value in mapped.items() if value not in (None, "", [])}
        return RawRecord(
            source_id=self.spec.id,
            content_type=self.spec.content_type,
            url=url,
            guid=guid,
            fields=fields,
            fetched_at=fetched_at,
            entry_digest=digest,
            payload_hash=result.payload_hash,
            unchanged=unchanged,
        )

    def _url(self, one: Mapping[str, Any], listing_url: str) -> str:
        if self.options.url_template is None:
            return listing_url

        def value(found: re.Match[str]) -> str:
            return quote(_scalar(walk(one, found[1])) or "", safe="")

        return urljoin(listing_url, _PLACEHOLDER.sub(value, self.options.url_template))


def walk(value: Any, path: str | None) -> Any:
    """The value at `path` (None when missing); a list when the path fans out with `[]`."""
    if not path:
        return value
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        found = walk(value, head[:-2])
        children = [walk(child, rest) for child in found] if isinstance(found, list) else []
        leaves = (leaf for child in children for leaf in (child if isinstance(child, list) else [child]))
        return [leaf for leaf in leaves if leaf is not None]  # an element without the key adds nothing
    if isinstance(value, Mapping):
        return walk(value.get(head), rest) if head in value else None
    if isinstance(value, list) and head.isdigit() and int(head) < len(value):
        return walk(value[int(head)], rest)
    return None


def _decode(result: FetchResult) -> Any:
    try:
        return json.loads(result.body)  # bytes: UTF-8/16/32 and a UTF-8 BOM are detected
    except (UnicodeDecodeError, ValueError) as exc:
        raise ConnectorError(f"not JSON: {exc}", code="parse.not_json", url=result.url) from exc


def _items(document: Any, items_path: str, url: str) -> list[Mapping[str, Any]]:
    found = walk(document, items_path)
    if not isinstance(found, list):
        raise ConnectorError(f"no list at {items_path!r}", code="parse.no_items", url=url)
    # Anything but an object in the list (a null, a count) names no record.
    return [one for one in found if isinstance(one, Mapping)]


def _scalar(value: Any) -> str | None:
    return None if value is None or isinstance(value, Mapping | list) else str(value)


def _checked_path(path: str) -> str:
    if not _PATH.fullmatch(path):
        raise ValueError(f"bad source path {path!r} (dotted keys, list indexes, `name[]` to fan out)")
    return path
