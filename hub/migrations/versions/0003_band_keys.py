"""band keys: band keys name their band and are found by key alone; the index is rebuilt

The fingerprint scheme changed (shingles, signature and band keys are computed as arrays, and a band key
mixes in its band's number), so the band table is made anew and every row recomputed; items stored before
0002, which had no index rows, are indexed too. Both lookup indexes lead with the key, so a whole batch is
one IN query; band rows keep the publication time as epoch seconds. Each item's MinHash signature is kept
(`dedupe_sketch`) to screen band candidates before their text is read. The rows themselves are computed
by 0005, which changed their layout again (it calls `reindex_stories`, whose code writes the layout of
the latest revision, so an earlier revision cannot call it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 08:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dedupe_band', schema=None) as batch_op:
        batch_op.drop_index('ix_dedupe_band_lookup')
        batch_op.drop_index(batch_op.f('ix_dedupe_band_item_id'))
    op.drop_table('dedupe_band')
    _band_table(sa.Column('published_epoch', sa.BigInteger(), nullable=False))
    with op.batch_alter_table('dedupe_band', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dedupe_band_item_id'), ['item_id'], unique=False)
        batch_op.create_index(
            'ix_dedupe_band_lookup', ['band_hash', 'published_epoch', 'band_no', 'item_id'], unique=False
        )
    _key_lookup(['key', 'kind', 'item_id'])
    op.create_table('dedupe_sketch',
    sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('shingle_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('item_id')
    )


def downgrade() -> None:
    # 0002's band table comes back empty: its rows were of the earlier fingerprint scheme anyway.
    op.drop_table('dedupe_sketch')
    with op.batch_alter_table('dedupe_band', schema=None) as batch_op:
        batch_op.drop_index('ix_dedupe_band_lookup')
        batch_op.drop_index(batch_op.f('ix_dedupe_band_item_id'))
    op.drop_table('dedupe_band')
    _band_table(sa.Column('published', sa.DateTime(timezone=True), nullable=False))
    with op.batch_alter_table('dedupe_band', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dedupe_band_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_dedupe_band_lookup', ['band_no', 'band_hash', 'published'], unique=False)
    _key_lookup(['kind', 'key'])


def _band_table(published: sa.Column[Any]) -> None:
    op.create_table('dedupe_band',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('band_no', sa.SmallInteger(), nullable=False),
    sa.Column('band_hash', sa.BigInteger(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    published,
    sa.PrimaryKeyConstraint('id')
    )


def _key_lookup(columns: list[str]) -> None:
    with op.batch_alter_table('dedupe_key', schema=None) as batch_op:
        batch_op.drop_index('ix_dedupe_key_lookup')
        batch_op.create_index('ix_dedupe_key_lookup', columns, unique=False)
