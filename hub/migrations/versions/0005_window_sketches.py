"""window sketches: articles' bands ride in their appended sketch row; the index is rebuilt

A band index in the database took 32 rows per article at random places of one B-tree: a harvest of 50
articles dirtied some 1,800 pages. Articles are candidates of each other only inside the window, so each
process now keeps the window's band buckets in memory, loaded from `dedupe_sketch` and brought up to date
by the rows appended since (`seq`). A sketch row carries an article's band keys and publication time;
`dedupe_band` keeps the bands of documents and services, found at any time. `dedupe_generation` holds
the token that tells processes to reload. Every index row is recomputed from the stored items.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

from hub.pipeline.reindex import reindex_stories

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.drop_table('dedupe_sketch')
    op.create_table('dedupe_sketch',
    sa.Column('seq', _SEQ, nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('published_epoch', sa.BigInteger(), nullable=True),
    sa.Column('bands', sa.LargeBinary(), nullable=True),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('shingle_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('item_id'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('dedupe_sketch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dedupe_sketch_published_epoch'), ['published_epoch'], unique=False)
    op.create_table('dedupe_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with Session(bind=op.get_bind()) as session:
        reindex_stories(session)
        session.flush()


def downgrade() -> None:
    # 0004's sketch layout comes back empty and articles' bands are not restored: the index is derived
    # data, and only 0005's code (which writes it) can recompute it. Stories and members are kept.
    op.drop_table('dedupe_generation')
    op.drop_table('dedupe_sketch')
    op.create_table('dedupe_sketch',
    sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('shingle_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('item_id')
    )
