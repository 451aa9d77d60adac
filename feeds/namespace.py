"""The portalhub extension namespace: its URI and the elements that carry structured fields in Atom and RSS.

Every element below lives in `NS_URI` (prefix `ph`) inside an Atom `entry` or an RSS `item`:

- `ph:content_type` (`article|document|service`) and `ph:source_id` (the originating source);
- one element per structured field of a document or service, named as the field (`ph:number`,
  `ph:issued_on` ...); a list repeats the element (`ph:issuer` twice for a joint document) under the
  singular name in `LIST_ITEM_ELEMENTS` (`attachments` -> `ph:attachment`), and a mapping becomes an
  empty element whose attributes are its keys (`<ph:attachment url="..." name="..." kind="pdf"/>`);
- `ph:republication`, an empty element per other portal that carried the story, with the attributes
  `url`, `source_id`, `portal`, `agency`, `published`.

Dates are ISO 8601 (`2026-06-24`), times RFC 3339 in +07:00, booleans `true`/`false`. Fields outside the
vocabulary below are left out of Atom and RSS (JSON Feed's `_portalhub.fields` carries every field).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from feeds.values import scalar_text

NS_PREFIX = "ph"
NS_URI = "https://portalhub.gov.vn/ns/1.0"

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"

CONTENT_TYPE = "content_type"
REPUBLICATION = "republication"
SOURCE_ID = "source_id"

# Legal and gazette documents (DOMAIN.md §2.1, §7.1).
DOCUMENT_FIELDS = (
    "abstract",  # trích yếu
    "attachments",  # [{url, name, kind}]
    "doc_type",  # loại văn bản: Nghị định, Thông tư, Quyết định ...
    "effective_on",  # ngày có hiệu lực (date)
    "issued_on",  # ngày ban hành (date)
    "issuer",  # cơ quan ban hành; a list for joint documents
    "number",  # số ký hiệu as the source wrote it: 224/2026/NĐ-CP
    "number_key",  # the number normalised (Eth, spaces, aliases folded): links services to documents
    "signer",  # người ký: text, or [{name, title}]
    "validity_status",  # tình trạng hiệu lực
)
# Administrative procedures and online public services (DOMAIN.md §3.1, §7.1).
SERVICE_FIELDS = (
    "agency",  # cơ quan thực hiện
    "fees",  # phí, lệ phí: text, or [{amount, currency, description}]
    "field",  # lĩnh vực
    "legal_basis",  # căn cứ pháp lý: document numbers
    "legal_basis_keys",  # the same numbers normalised, to match documents' number_key
    "level",  # cấp thực hiện: Cấp Bộ / Cấp Tỉnh / Cấp Xã
    "online_level",  # toàn trình / một phần
    "procedure_code",  # mã thủ tục: 1.013395
    "processing_time",  # thời hạn giải quyết, as text
)
FIELD_ELEMENTS = tuple(sorted(DOCUMENT_FIELDS + SERVICE_FIELDS))

# The element one item of a list-valued field is written as.
LIST_ITEM_ELEMENTS = {
    "attachments": "attachment",
    "fees": "fee",
    "legal_basis_keys": "legal_basis_key",
}

_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")

FieldNode = tuple[str, dict[str, str], str]  # element local name, attributes, text


def field_nodes(fields: Mapping[str, Any]) -> Iterator[FieldNode]:
    """The vocabulary's fields of one entry as elements, in the vocabulary's order; empty values left out."""
    for name in FIELD_ELEMENTS:
        value = fields.get(name)
        values = value if isinstance(value, list | tuple) else (value,)
        element = LIST_ITEM_ELEMENTS.get(name, name)
        for one in values:
            node = _node(element, one)
            if node is not None:
                yield node


def _node(element: str, value: object) -> FieldNode | None:
    if value is None or value == "":
        return None
    if isinstance(value, Mapping):
        attributes = _attributes(value)
        return (element, attributes, "") if attributes else None
    return element, {}, scalar_text(value)


def _attributes(mapping: Mapping[Any, Any]) -> dict[str, str]:
    # Only scalar values of keys that are XML names can become attributes; nested values stay in JSON Feed.
    return {
        str(key): scalar_text(value)
        for key, value in sorted(mapping.items(), key=lambda kv: str(kv[0]))
        if _ATTRIBUTE_NAME.match(str(key))
        and value is not None
        and not isinstance(value, Mapping | list | tuple)
    }
