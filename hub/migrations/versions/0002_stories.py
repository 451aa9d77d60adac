"""stories: stories and their members, the dedupe index (bands, exact keys), editor decisions

Items stored before this revision each become a story of their own whose id is the item's id: the
feeds already published `story/{item id}` for them, and an entry id never changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:08:49.813958
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dedupe_band',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('band_no', sa.SmallInteger(), nullable=False),
    sa.Column('band_hash', sa.BigInteger(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('published', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dedupe_band', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dedupe_band_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_dedupe_band_lookup', ['band_no', 'band_hash', 'published'], unique=False)

    op.create_table('dedupe_key',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dedupe_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dedupe_key_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_dedupe_key_lookup', ['kind', 'key'], unique=False)

    op.create_table('editor_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.Column('other_story_id', sa.Integer(), nullable=True),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('editor_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_editor_decision_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_editor_decision_story_id'), ['story_id'], unique=False)

    op.create_table('story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('canonical_item_id', sa.Integer(), nullable=True),
    sa.Column('elected_by', sa.String(length=20), nullable=False),
    sa.Column('merged_into', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['canonical_item_id'], ['stored_item.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_canonical_item_id'), ['canonical_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_updated_at'), ['updated_at'], unique=False)

    op.create_table('story_member',
    sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=30), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('containment', sa.Float(), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('matched_item_id', sa.Integer(), nullable=True),
    sa.Column('credited_source_id', sa.String(length=100), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['stored_item.id'], ),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ),
    sa.PrimaryKeyConstraint('item_id')
    )
    with op.batch_alter_table('story_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_member_story_id'), ['story_id'], unique=False)

    with op.batch_alter_table('stored_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_canonical', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_index('ix_stored_item_canonical', ['is_canonical', 'published', 'id'], unique=False)

    _one_story_per_existing_item()


def _one_story_per_existing_item() -> None:
    op.execute(
        "INSERT INTO story (id, content_type, canonical_item_id, elected_by, created_at, updated_at)"
        " SELECT id, content_type, id, 'earliest', first_seen_at, first_seen_at FROM stored_item"
        " WHERE story_id IS NULL"
    )
    op.execute(
        "INSERT INTO story_member (item_id, story_id, rule, score, containment, reason, joined_at)"
        " SELECT id, id, 'first', 0, 0, 'stored before stories existed', first_seen_at FROM stored_item"
        " WHERE story_id IS NULL"
    )
    op.execute("UPDATE stored_item SET story_id = id WHERE story_id IS NULL")
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids do not move the sequence: start new stories after the ones just made.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('story', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM story"
        )



def downgrade() -> None:
    with op.batch_alter_table('stored_item', schema=None) as batch_op:
        batch_op.drop_index('ix_stored_item_canonical')
        batch_op.drop_column('is_canonical')

    with op.batch_alter_table('story_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_member_story_id'))

    op.drop_table('story_member')
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_updated_at'))
        batch_op.drop_index(batch_op.f('ix_story_canonical_item_id'))

    op.drop_table('story')
    with op.batch_alter_table('editor_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_editor_decision_story_id'))
        batch_op.drop_index(batch_op.f('ix_editor_decision_item_id'))

    op.drop_table('editor_decision')
    with op.batch_alter_table('dedupe_key', schema=None) as batch_op:
        batch_op.drop_index('ix_dedupe_key_lookup')
        batch_op.drop_index(batch_op.f('ix_dedupe_key_item_id'))

    op.drop_table('dedupe_key')
    with op.batch_alter_table('dedupe_band', schema=None) as batch_op:
        batch_op.drop_index('ix_dedupe_band_lookup')
        batch_op.drop_index(batch_op.f('ix_dedupe_band_item_id'))

    op.drop_table('dedupe_band')
