"""first tables: sources, harvests and issues, items and their versions, raw payloads, fetch validators

Revision ID: 0001
Revises: -
Create Date: 2026-11-22 05:48:00.046975
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('payload',
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('content_type', sa.String(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('compressed', sa.LargeBinary(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('hash')
    )
    with op.batch_alter_table('payload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payload_stored_at'), ['stored_at'], unique=False)

    op.create_table('source',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('agency', sa.String(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('schedule_every_seconds', sa.Integer(), nullable=True),
    sa.Column('schedule_cron', sa.String(length=120), nullable=True),
    sa.Column('topics', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('review', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_harvest_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.String(length=20), nullable=True),
    sa.Column('last_error_code', sa.String(length=80), nullable=True),
    sa.Column('last_error_message', sa.String(), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('next_harvest_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sa.String(length=200), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_next_harvest_at'), ['next_harvest_at'], unique=False)

    op.create_table('fetch_validator',
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('etag', sa.String(), nullable=True),
    sa.Column('last_modified', sa.String(), nullable=True),
    sa.Column('payload_hash', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('source_id', 'url')
    )
    op.create_table('harvest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('bytes_fetched', sa.Integer(), nullable=False),
    sa.Column('items_new', sa.Integer(), nullable=False),
    sa.Column('items_updated', sa.Integer(), nullable=False),
    sa.Column('items_unchanged', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('error_code', sa.String(length=80), nullable=True),
    sa.Column('error_message', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('harvest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_harvest_source_id'), ['source_id'], unique=False)

    op.create_table('harvest_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('harvest_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('message', sa.String(), nullable=False),
    sa.Column('url', sa.String(), nullable=True),
    sa.Column('item_key', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['harvest_id'], ['harvest.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('harvest_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_harvest_issue_harvest_id'), ['harvest_id'], unique=False)

    op.create_table('stored_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('identity', sa.String(), nullable=False),
    sa.Column('identity_rule', sa.String(length=20), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('guid', sa.String(), nullable=True),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('published', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_precision', sa.String(length=20), nullable=False),
    sa.Column('updated', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author', sa.String(), nullable=True),
    sa.Column('topics', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('image_url', sa.String(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('credited_source', sa.String(), nullable=True),
    sa.Column('flags', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('harvest_id', sa.Integer(), nullable=True),
    sa.Column('payload_hash', sa.String(length=64), nullable=True),
    sa.Column('entry_digest', sa.String(length=64), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('topic_keys', sa.Text(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['harvest_id'], ['harvest.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'identity', name='uq_stored_item_source_identity')
    )
    with op.batch_alter_table('stored_item', schema=None) as batch_op:
        batch_op.create_index('ix_stored_item_source_digest', ['source_id', 'entry_digest'], unique=False)
        batch_op.create_index('ix_stored_item_source_published', ['source_id', 'published'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_item_story_id'), ['story_id'], unique=False)
        batch_op.create_index('ix_stored_item_stream', ['content_type', 'published', 'id'], unique=False)

    op.create_table('item_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('published', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated', sa.DateTime(timezone=True), nullable=True),
    sa.Column('harvest_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['harvest_id'], ['harvest.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['stored_item.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'version', name='uq_item_version_item_version')
    )
    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_version_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_version_item_id'))

    op.drop_table('item_version')
    with op.batch_alter_table('stored_item', schema=None) as batch_op:
        batch_op.drop_index('ix_stored_item_stream')
        batch_op.drop_index(batch_op.f('ix_stored_item_story_id'))
        batch_op.drop_index('ix_stored_item_source_published')
        batch_op.drop_index('ix_stored_item_source_digest')

    op.drop_table('stored_item')
    with op.batch_alter_table('harvest_issue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_harvest_issue_harvest_id'))

    op.drop_table('harvest_issue')
    with op.batch_alter_table('harvest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_harvest_source_id'))

    op.drop_table('harvest')
    op.drop_table('fetch_validator')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_next_harvest_at'))

    op.drop_table('source')
    with op.batch_alter_table('payload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payload_stored_at'))

    op.drop_table('payload')
