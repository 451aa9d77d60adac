"""Full text of an entry: fetch its article page and extract the main content.

Input: the entry's link (joined with its base) and the source's options. Output: fields to merge
into the record (`body_html`, `full_text_url`) or `full_text_error`; never raises.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

from connectors.base import ConnectorError, Fetcher
from connectors.charset import decode_bytes
from connectors.extract import extract_main
from connectors.feed.options import FeedOptions

logger = logging.getLogger(__name__)

NO_LINK = "fulltext.no_link"
NO_CONTENT = "fulltext.no_content"
ERROR = "fulltext.error"


async def fetch_full_text(
    fetcher: Fetcher, link: str | None, base_url: str, options: FeedOptions, *, source_id: str
) -> dict[str, Any]:
    """Fields for the record: the extracted body and page URL, or the error code of the attempt."""
    if not link:
        return {"full_text_error": NO_LINK}
    page_url = urljoin(base_url, link)
    log = {"source_id": source_id, "url": page_url, "stage": "fulltext"}
    try:
        result = await fetcher.fetch(page_url, discovered=True)
        body = _extract(result.body, result.content_type, options)
    except ConnectorError as exc:
        logger.warning("article page not fetched: %s", exc.code, extra=log)
        return {"full_text_error": exc.code}
    except Exception:  # one article page must never fail the harvest
        logger.exception("article page failed", extra=log)
        return {"full_text_error": ERROR}
    if body is None:
        return {"full_text_error": NO_CONTENT, "full_text_url": result.url}
    return {"body_html": body, "full_text_url": result.url}


def _extract(body: bytes, content_type: str, options: FeedOptions) -> str | None:
    text = decode_bytes(body, content_type).text
    return extract_main(
        text, content_selector=options.content_selector, remove_selectors=options.remove_selectors
    )
