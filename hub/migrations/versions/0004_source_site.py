"""source site: a source's portal address, when its feed is served from another host

Credit lines name the portal ("Nguồn: mae.gov.vn"); a feed served from a CDN or mirror host cannot be
found by the host of its URL, so the source may name its portal's address as well. Nullable: sources
synced before this revision simply have none until the sources file gives one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('site')
