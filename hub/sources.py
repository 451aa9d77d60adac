"""The sources file: `SourceConfig`/`Schedule` schema, loading with precise problems, `-> SourceSpec`.

Input: a YAML file with a top-level `sources:` list. Output: validated `SourceConfig`s, or a
`SourcesFileError` listing every problem as `file:line: source "id": field "name": what is wrong`.
"""

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from connectors.base import SourceSpec
from connectors.registry import get_connector, known_kinds
from dedupe.text import nfc
from hub.errors import SourcesFileError
from hub.schedule import cron_trigger, parse_duration

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Located = tuple[int, str]  # (line, problem text): problems are reported in file order
DURATION_HINT = "is not a duration like 15m, 1h, 30s"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(nfc)]


class Schedule(BaseModel):
    """`every: 15m` or `cron: "*/15 * * * *"` (Asia/Ho_Chi_Minh), exactly one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: timedelta | None = None
    cron: str | None = None

    @field_validator("every", mode="before")
    @classmethod
    def _parse_every(cls, value: Any) -> Any:
        if value is None or isinstance(value, timedelta):
            return value
        if not isinstance(value, str):
            raise PydanticCustomError("duration", DURATION_HINT)
        try:
            return parse_duration(value)
        except ValueError:
            raise PydanticCustomError("duration", DURATION_HINT) from None

    @field_validator("cron")
    @classmethod
    def _check_cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            cron_trigger(value)
        except ValueError as exc:
            raise PydanticCustomError(
                "cron", "is not a 5-field cron line: {reason}", {"reason": str(exc)}
            ) from None
        return " ".join(value.split())

    @model_validator(mode="after")
    def _exactly_one(self) -> "Schedule":
        if (self.every is None) == (self.cron is None):
            raise PydanticCustomError("schedule", 'needs exactly one of "every" or "cron"')
        return self

    @property
    def every_seconds(self) -> int | None:
        return None if self.every is None else int(self.every.total_seconds())


class SourceConfig(BaseModel):
    """One entry of the sources file. Extra top-level keys are the kind's options (see `_fold_options`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
    name: Text
    agency: Text
    level: Literal["central", "ministry", "province", "department", "district"]
    kind: str
    content_type: Literal["article", "document", "service"]
    url: str
    # The portal's public address, when it differs from the host of `url` (a feed on a CDN or mirror):
    # copies credit the portal ("Nguồn: mae.gov.vn"), not the host its feed happens to be served from.
    site: str | None = None
    schedule: Schedule
    topics: list[Text] = []
    priority: int = 0
    review: bool = False
    enabled: bool = True
    options: dict[str, Any] = {}

    @model_validator(mode="before")
    @classmethod
    def _fold_options(cls, data: Any) -> Any:
        """Kind options may sit at top level (`full_text: true`): move them under `options`."""
        if not isinstance(data, dict) or not isinstance(data.get("options", {}), dict):
            return data
        extras = {key: value for key, value in data.items() if key not in cls.model_fields}
        if not extras:
            return data
        options = dict(data.get("options") or {})
        twice = sorted(extras.keys() & options.keys())
        if twice:
            message = 'option "{key}" is given both at top level and under options'
            raise PydanticCustomError("option_twice", message, {"key": twice[0]})
        kept = {key: value for key, value in data.items() if key not in extras}
        return {**kept, "options": {**options, **extras}}

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        kinds = sorted(known_kinds())
        if value not in kinds:
            raise PydanticCustomError("kind", "is not a known kind ({kinds})", {"kinds": ", ".join(kinds)})
        return value

    @field_validator("url", "site")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PydanticCustomError("url", "is not an http(s) URL")
        return value.strip()

    @field_validator("options")
    @classmethod
    def _valid_options(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        # The connector's own Options model judges them, so a typo is refused here, not at harvest time.
        # pydantic nests its errors under ("options", name), which the file loader reports per option.
        kind = info.data.get("kind")
        if kind is not None:
            get_connector(kind).Options.model_validate(value)
        return value

    def to_spec(self) -> SourceSpec:
        """What the connector is told about this source."""
        return SourceSpec(
            id=self.id,
            name=self.name,
            agency=self.agency,
            level=self.level,
            kind=self.kind,
            content_type=self.content_type,
            url=self.url,
            topics=tuple(self.topics),
            options=dict(self.options),
        )


def load_sources_file(path: str | Path) -> list[SourceConfig]:
    """Read and validate a sources file; raise `SourcesFileError` with every problem found.

    1. Parse the YAML keeping node marks (line numbers), then build plain data from the same nodes.
    2. Check the top level: a mapping whose `sources` is a list (`x-` keys may hold YAML anchors).
    3. Validate each entry; spread pydantic errors (and the connector's option errors) into problems.
    4. Report duplicate ids at the later entry, with the line of the first.
    """
    name = str(path)
    root, data = _parse(Path(path), name)
    located = _top_level_problems(root, name)
    configs: list[SourceConfig] = []
    seen: dict[str, int] = {}
    entries = _sources_nodes(root)
    for index, (node, entry) in enumerate(zip(entries, data["sources"] if entries else [], strict=True), 1):
        config, entry_problems = _validate_entry(name, index, node, entry, seen)
        located.extend(entry_problems)
        if config is not None:
            configs.append(config)
    if located:
        raise SourcesFileError([text for _line, text in sorted(located, key=lambda pair: pair[0])])
    return configs


def _parse(path: Path, name: str) -> tuple[yaml.Node | None, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SourcesFileError([f"{name}: cannot read the sources file: {reason}"]) from exc
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise SourcesFileError([f"{where}: YAML syntax error: {exc.problem or exc.context}"]) from exc
    finally:
        loader.dispose()


def _top_level_problems(root: yaml.Node | None, name: str) -> list[Located]:
    missing = 'the top level must be a mapping with a "sources:" list'
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1 if root is not None else 1
        return [(line, f"{name}:{line}: {missing}")]
    problems: list[Located] = []
    for key, _value in root.value:
        if key.value != "sources" and not str(key.value).startswith("x-"):
            line = key.start_mark.line + 1
            problems.append(
                (line, f'{name}:{line}: unknown top-level key "{key.value}" (only "sources" is read)')
            )
    sources = _child(root, "sources")
    if sources is None:
        return [*problems, (1, f"{name}:1: {missing}")]
    if not isinstance(sources[1], yaml.SequenceNode):
        line = sources[0].start_mark.line + 1
        shape = _shape(sources[1])
        problems.append((line, f'{name}:{line}: "sources" must be a list of sources, got {shape}'))
    return problems


def _sources_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    found = _child(root, "sources")
    return list(found[1].value) if found is not None and isinstance(found[1], yaml.SequenceNode) else []


def _validate_entry(
    name: str, index: int, node: yaml.Node, entry: Any, seen: dict[str, int]
) -> tuple[SourceConfig | None, list[Located]]:
    line = node.start_mark.line + 1
    source_id = entry.get("id") if isinstance(entry, dict) else None
    who = f'source "{source_id}"' if isinstance(source_id, str) else f"source #{index}"
    if not isinstance(node, yaml.MappingNode):
        return None, [(line, f"{name}:{line}: {who}: must be a mapping of fields, got {_shape(node)}")]
    problems = [(at, f"{name}:{at}: {who}: {text}") for at, text in _duplicate_keys(node)]
    if isinstance(source_id, str):
        if source_id in seen:
            problems.append(
                (line, f"{name}:{line}: {who}: duplicate id, first defined at line {seen[source_id]}")
            )
        seen.setdefault(source_id, line)
    try:
        config = SourceConfig.model_validate(entry)
    except ValidationError as exc:
        kind = entry.get("kind") if isinstance(entry.get("kind"), str) else None
        for at, text in _error_problems(node, exc, kind):
            problems.append((at, f"{name}:{at}: {who}: {text}"))
        return None, problems
    return (None if problems else config), problems


def _error_problems(node: yaml.MappingNode, exc: ValidationError, kind: str | None) -> list[Located]:
    problems: list[Located] = []
    for error in exc.errors():
        loc = error["loc"]
        if len(loc) > 1 and loc[0] == "options":  # the connector's Options refused an option
            problems.append(_option_problem(node, loc[1:], error, kind))
        else:
            problems.append(_field_problem(node, loc, error))
    return problems


def _option_problem(
    node: yaml.MappingNode, option_loc: tuple[Any, ...], error: Any, kind: str | None
) -> Located:
    """Report an option where it was written: at the entry's top level or under `options:`."""
    key = str(option_loc[0])
    top_level = _child(node, key) is not None
    loc = option_loc if top_level else ("options", *option_loc)
    if error["type"] == "extra_forbidden" and len(option_loc) == 1:
        known = ", ".join(options_of_kind(kind)) if kind else ""
        listed = f"options: {known}" if known else "it takes no options"
        where = "is neither a source field nor an option" if top_level else f'"{key}" is not an option'
        return _line(node, loc), f'field "{loc[0]}": {where} of kind "{kind}" ({listed})'
    return _field_problem(node, loc, error)


def _field_problem(node: yaml.MappingNode, loc: tuple[Any, ...], error: Any) -> Located:
    field, rest = (f"{loc[0]}", loc[1:]) if loc else ("", ())
    if rest and isinstance(rest[0], int):  # a list item: `topics[1]`
        field, rest = f"{field}[{rest[0]}]", rest[1:]
    sub = ".".join(str(part) for part in rest)
    reason = _reason(error, sub)
    value = error.get("input")
    if error["type"] not in ("missing", "extra_forbidden") and isinstance(value, str | int | float):
        reason = f'"{sub}: {value}" {reason}' if sub else f'"{value}" {reason}'
    elif sub and error["type"] != "extra_forbidden":
        reason = f'"{sub}" {reason}'
    text = f'field "{field}": {reason}' if field else reason
    return _line(node, loc), text


_REASONS = {
    "bool_parsing": "is not true or false",
    "bool_type": "is not true or false",
    "dict_type": "must be a mapping",
    "int_parsing": "is not a whole number",
    "int_type": "is not a whole number",
    "list_type": "must be a list",
    "missing": "is required",
    "model_attributes_type": "must be a mapping",
    "model_type": "must be a mapping",
    "string_pattern_mismatch": "is not an id: lower-case letters, digits, - and _, not starting with - or _",
    "string_too_long": "is too long",
    "string_too_short": "is empty",
    "string_type": "is not text",
}


def _reason(error: Any, sub: str) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f'"{sub}" is not a known field' if sub else "is not a known field"
    if kind == "literal_error":
        return f"is not one of {error['ctx']['expected']}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return _REASONS.get(kind, str(error["msg"]))


def _child(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The last (key node, value node) pair for `key`: the one YAML keeps when a key is repeated."""
    if not isinstance(node, yaml.MappingNode):
        return None
    pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    return pairs[-1] if pairs else None


def _line(node: yaml.Node, loc: tuple[Any, ...]) -> int:
    """Line of the deepest node on `loc` that exists; a key's own line rather than its value's."""
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
            continue
        pair = _child(node, str(part))
        if pair is None:
            break
        line, node = pair[0].start_mark.line + 1, pair[1]
    return line


def _duplicate_keys(node: yaml.MappingNode) -> list[Located]:
    # Keys merged from an anchor (`<<: *defaults`) lie outside this entry's span: overriding them is fine.
    first: dict[str, int] = {}
    problems: list[Located] = []
    for key, _value in node.value:
        if not node.start_mark.index <= key.start_mark.index <= node.end_mark.index:
            continue
        line = key.start_mark.line + 1
        if key.value in first:
            problems.append((line, f'field "{key.value}": given twice (first at line {first[key.value]})'))
        first.setdefault(key.value, line)
    return problems


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "nothing" if node.tag.endswith(":null") else f'"{node.value}"'


def options_of_kind(kind: str) -> list[str]:
    """Names of the options a kind accepts (for error messages)."""
    return sorted(get_connector(kind).Options.model_fields)
