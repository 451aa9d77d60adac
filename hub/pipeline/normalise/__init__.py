"""The normaliser: RawRecord -> Item (NFC text, sanitised HTML, absolute canonical URLs, UTC dates, identity).

`normalise_record` runs the numbered steps of its docstring; each step lives in a helper module here.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from connectors.base import RawRecord
from hub.errors import DropRecord
from hub.items import Item
from hub.pipeline.normalise.dates import resolve_dates
from hub.pipeline.normalise.documents import RAW_DOCUMENT_FIELDS, normalise_document_fields
from hub.pipeline.normalise.fields import ARTICLE_FIELDS, text_field
from hub.pipeline.normalise.identity import content_hash, item_identity
from hub.pipeline.normalise.services import RAW_SERVICE_FIELDS, normalise_service_fields
from hub.pipeline.normalise.steps import Content, read_content, read_metadata, resolve_links
from hub.pipeline.normalise.text import CONTROL_CHARS_REMOVED, control_char_names

__all__ = ["normalise_record"]

logger = logging.getLogger(__name__)
STAGE = "normalise"


def normalise_record(
    record: RawRecord, *, source_url: str, now: datetime, future_tolerance: timedelta = timedelta(minutes=10)
) -> Item:
    """Make one item of one raw record, in this order:

    1. links: the record's link made absolute (its base URL, then `source_url`) and canonical;
    2. content: characters XML cannot hold (C0 controls ...) taken out of title, summary and body, and
       flagged; body HTML repaired (mojibake, TCVN3), NFC, furniture dropped, sanitised with absolute
       links and images; its plain text; title; summary (else the body's opening words); "Nguồn:" line;
    3. refuse: no title and no content -> `DropRecord(code="normalise.empty")`;
    4. dates: published/updated parsed (day-first, Asia/Ho_Chi_Minh), future ones clamped to `now`,
       harvest time when the source gives none;
    5. metadata: author, topics, image URL;
    6. identity: guid -> canonical URL -> content hash (`Item.identity_rule` says which);
    7. structured fields of documents and services (number, dates, issuer ... / code, level, fees ...);
    8. content hash of the normalised fields (structured ones included), then the item with its flags.
    """
    links = resolve_links(record, source_url)
    content = read_content(record, links)
    if content.empty:
        raise DropRecord("record has no title and no content", "normalise.empty", stage=STAGE, url=links.link)
    dates = resolve_dates(
        record.fields.get("published"),
        record.fields.get("updated"),
        fetched_at=record.fetched_at,
        now=now,
        future_tolerance=future_tolerance,
    )
    if "date.future_clamped" in dates.flags:
        logger.info(
            "future date clamped", extra={"source_id": record.source_id, "url": links.link, "stage": STAGE}
        )
    if CONTROL_CHARS_REMOVED in content.flags:
        logger.info(
            "control characters removed: %s",
            _control_chars_found(record),
            extra={"source_id": record.source_id, "url": links.link, "stage": STAGE},
        )
    meta = read_metadata(record, links, content)
    identity, rule = item_identity(
        guid=record.guid,
        guid_reused=bool(record.fields.get("guid_reused")),
        url=links.own,
        title=content.title,
        body_text=content.body_text,
    )
    digest = content_hash(
        title=content.title,
        summary=content.summary,
        body_text=content.body_text,
        published=dates.published,
        precision=dates.precision,
        author=meta.author,
        topics=meta.topics,
        image_url=meta.image_url,
    )
    extra = {key: value for key, value in record.fields.items() if key not in ARTICLE_FIELDS}
    structured = _structured_fields(record, content, links.page)
    if structured:
        extra = {key: value for key, value in extra.items() if key not in _RAW_STRUCTURED_FIELDS} | structured
        digest = _with_fields(digest, structured)
    return Item(
        source_id=record.source_id,
        content_type=record.content_type,
        identity=identity,
        identity_rule=rule,
        url=links.canonical,
        guid=record.guid,
        title=content.title,
        summary=content.summary,
        body_html=content.body_html,
        body_text=content.body_text,
        published=dates.published,
        published_precision=dates.precision,
        updated=dates.updated,
        author=meta.author,
        topics=meta.topics,
        image_url=meta.image_url,
        content_hash=digest,
        fetched_at=record.fetched_at,
        credited_source=content.credited_source,
        flags=[*content.flags, *dates.flags],
        extra=extra,
        entry_digest=record.entry_digest,
        payload_hash=record.payload_hash,
    )


_RAW_STRUCTURED_FIELDS = RAW_DOCUMENT_FIELDS | RAW_SERVICE_FIELDS
_CONTROL_CHECKED = ("title", "summary", "body_html")  # the raw fields `read_content` checks


def _structured_fields(record: RawRecord, content: Content, page: str) -> dict[str, Any]:
    if record.content_type == "document":
        return normalise_document_fields(
            record.fields,
            title=content.title,
            summary=content.summary,
            body_html=content.body_html,
            base_url=page,
            body=content.body_tree,
        )
    if record.content_type == "service":
        return normalise_service_fields(record.fields)
    return {}


def _control_chars_found(record: RawRecord) -> str:
    # Which field held which characters ("body_html U+000C"): only for the log, so only when flagged.
    found = ((key, control_char_names(text_field(record.fields, key))) for key in _CONTROL_CHECKED)
    return "; ".join(f"{key} {' '.join(names)}" for key, names in found if names)


def _with_fields(digest: str, fields: Mapping[str, Any]) -> str:
    # A changed validity status or fee is an edit even when title and text stay the same.
    framed = json.dumps([digest, fields], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(framed.encode("utf-8")).hexdigest()
