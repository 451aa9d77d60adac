"""Editor overrides: `portalhub stories split ITEM_ID`, `stories merge STORY_A STORY_B`, `stories show ID`.

A split or merge is recorded and sticks across re-harvests and reprocessing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from sqlmodel import Session

from hub.cli.console import EXIT_CONFIG, console, database, errors, local_time, print_table, settings_of
from hub.db import session_scope
from hub.models import Story
from hub.pipeline.overrides import StoryNotFound, live_story, merge_stories, split_item
from hub.storage.stories import members_of

app = typer.Typer(
    help="Show stories; split an item out of one, merge two (editor overrides).", no_args_is_help=True
)

ByOption = Annotated[str, typer.Option("--by", help="Who decided (kept with the decision).")]
NoteOption = Annotated[str, typer.Option("--note", help="Why (kept with the decision).")]


@app.command("split")
def split(ctx: typer.Context, item_id: int, by: ByOption = "editor", note: NoteOption = "") -> None:
    """Take ITEM_ID out of its story into a story of its own."""
    with _overriding(ctx) as session:
        story = split_item(item_id, session=session, by=by, note=note)
        console.print(f"item {item_id} is now in story {story.id}", markup=False)
        _show(story, session)


@app.command("merge")
def merge(
    ctx: typer.Context, story_a: int, story_b: int, by: ByOption = "editor", note: NoteOption = ""
) -> None:
    """Move every item of STORY_B into STORY_A; STORY_A keeps its id, STORY_B's id retires."""
    with _overriding(ctx) as session:
        story = merge_stories(story_a, story_b, session=session, by=by, note=note)
        console.print(f"story {story_b} merged into story {story.id}", markup=False)
        _show(story, session)


@app.command("show")
def show(ctx: typer.Context, story_id: int) -> None:
    """The story's items, canonical original first marked, with the rule that grouped each."""
    with _overriding(ctx) as session:
        _show(live_story(story_id, session=session), session)


@contextmanager
def _overriding(ctx: typer.Context) -> Iterator[Session]:
    """One transaction; an unknown item or story ends the command with exit code 2, changing nothing."""
    try:
        with database(settings_of(ctx)) as engine, session_scope(engine) as session:
            yield session
    except StoryNotFound as exc:
        errors.print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_CONFIG) from exc


def _show(story: Story, session: Session) -> None:
    table = Table(title=f"Story {story.id} (canonical elected by: {story.elected_by})", box=box.SIMPLE_HEAD)
    for header in ("", "item", "source", "published", "rule", "score", "reason", "title"):
        table.add_column(header, no_wrap=header in ("item", "source"))
    for member in members_of(story.id or 0, session=session):
        item, how = member.item, member.member
        table.add_row(
            "*" if item.id == story.canonical_item_id else "",
            str(item.id),
            item.source_id,
            local_time(item.published),
            how.rule,
            f"{how.score:.2f}" if how.score else "",
            how.reason,
            item.title,
        )
    print_table(table)
