"""indexes for what read the whole archive: a harvest's items, items without a story, recent items

The story stage takes the items a harvest stored or changed and the source's items still without a
story. Without an index for either, it read every item of the source at each harvest: tens of thousands
of rows on a big portal, most of the stage's time. `harvest_id` gets a plain index; items without a story
a partial one, which holds only them (nearly every item has a story). The sources' health counts the
items each source first saw in the last week: without an index on that time it read every item (6-43 s
at a million items on SQLite).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNASSIGNED = sa.text('story_id IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('stored_item', schema=None) as batch_op:
        batch_op.create_index('ix_stored_item_harvest', ['harvest_id'], unique=False)
        batch_op.create_index('ix_stored_item_source_first_seen', ['source_id', 'first_seen_at'], unique=False)
        batch_op.create_index(
            'ix_stored_item_unassigned',
            ['source_id'],
            unique=False,
            sqlite_where=_UNASSIGNED,
            postgresql_where=_UNASSIGNED,
        )


def downgrade() -> None:
    with op.batch_alter_table('stored_item', schema=None) as batch_op:
        batch_op.drop_index('ix_stored_item_unassigned')
        batch_op.drop_index('ix_stored_item_source_first_seen')
        batch_op.drop_index('ix_stored_item_harvest')
