"""Small item fields from raw record values: title, summary, author, topics. Raw value -> display text.

Raw values come verbatim from connectors and may be None, text, HTML, or (topics) a list or a string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dedupe.text import tone_key
from hub.pipeline.normalise.fragment import html_to_text
from hub.pipeline.normalise.text import clean_text, shorten

SUMMARY_LIMIT = 300  # characters of body text taken as the summary when the source gives none
TITLE_LIMIT = 120  # characters of summary/body taken as the title when the source gives none
# Keys of `RawRecord.fields` the normaliser consumes; every other key travels on in `Item.extra`.
ARTICLE_FIELDS: frozenset[str] = frozenset(
    [
        "author",
        "base_url",
        "body_html",
        "full_text_url",
        "guid_reused",
        "image_url",
        "published",
        "summary",
        "title",
        "topics",
        "updated",
    ]
)


def text_field(fields: Mapping[str, Any], key: str) -> str:
    """The raw value of a text field, '' when absent or not text."""
    value = fields.get(key)
    return value if isinstance(value, str) else ""


def title_text(raw: str) -> str:
    """One line of title; feeds sometimes put markup (`<b>`, `<br>`) in titles."""
    if "<" in raw and ">" in raw:
        return " ".join(html_to_text(raw).split())
    return clean_text(raw)


def summary_text(text: str, body_text: str) -> str:
    """Plain one-paragraph summary of the summary's text (`html_to_text` of the source's summary HTML);
    the body's opening words when the source gives none."""
    summary = " ".join(text.split())
    return summary or shorten(" ".join(body_text.split()), SUMMARY_LIMIT)


def fallback_title(summary: str, body_text: str) -> str:
    """A title made from the first line of summary or body, for sources that send untitled entries."""
    first_line = next((line for line in (summary or body_text).splitlines() if line.strip()), "")
    return shorten(first_line.strip(), TITLE_LIMIT)


def author_text(raw: object) -> str | None:
    """The author as one clean line, None when empty."""
    return clean_text(raw) or None if isinstance(raw, str) else None


def topics_list(raw: object) -> list[str]:
    """Clean topics in source order; repeats dropped, "Thuỷ lợi" and "thủy lợi" being one topic."""
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
    seen: set[str] = set()
    topics = []
    for value in values:
        topic = clean_text(value) if isinstance(value, str) else ""
        key = tone_key(topic) if topic else None
        if key is not None and key not in seen:
            seen.add(key)
            topics.append(topic)
    return topics
