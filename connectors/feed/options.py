"""Source options of the `feed` kind, validated from the sources file (bad options disable the source).

No `from __future__ import annotations` here: pydantic needs real annotations.
"""

from pydantic import BaseModel, ConfigDict, Field, field_validator

from connectors.extract import compile_selector


class FeedOptions(BaseModel):
    """What a `feed` source may configure beyond its URL."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    full_text: bool = False  # fetch every entry's article page, not only summary-only entries
    content_selector: str | None = None  # CSS (or XPath starting with "/") of the article body
    remove_selectors: list[str] = Field(default_factory=list)  # more furniture to drop from the body
    # An entry with no full content and a summary shorter than this is "summary-only": fetch its page.
    summary_min_chars: int = Field(default=400, ge=0)
    extra_urls: list[str] = Field(default_factory=list)  # more feeds of the same source (one per category)

    @field_validator("content_selector")
    @classmethod
    def _selector_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _check_selector(value)
        return value

    @field_validator("remove_selectors")
    @classmethod
    def _selectors_compile(cls, value: list[str]) -> list[str]:
        for selector in value:
            _check_selector(selector)
        return value


def _check_selector(selector: str) -> None:
    compile_selector(selector)  # raises ValueError, which pydantic reports as a bad option
