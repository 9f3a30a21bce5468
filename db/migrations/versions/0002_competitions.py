"""competitions: competitions, events, entries, team members, scores

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_NOW = sa.text("CURRENT_TIMESTAMP")


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(), server_default=_NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=_NOW, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "competitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("organiser", sa.String(length=120), nullable=True),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), server_default="individual", nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("publicity_days", sa.Integer(), server_default="5", nullable=False),
        sa.Column("objection_phone", sa.String(length=20), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competitions")),
    )
    with op.batch_alter_table("competitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competitions_title"), ["title"], unique=False)

    op.create_table(
        "competition_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("trade", sa.String(length=60), nullable=False),
        sa.Column("judges", sa.Integer(), server_default="3", nullable=False),
        sa.Column("theory_weight", sa.Integer(), server_default="30", nullable=False),
        sa.Column("practical_weight", sa.Integer(), server_default="70", nullable=False),
        sa.Column("drop_extremes", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("prize_mode", sa.String(length=16), server_default="count", nullable=False),
        sa.Column("first_count", sa.Integer(), server_default="1", nullable=False),
        sa.Column("second_count", sa.Integer(), server_default="2", nullable=False),
        sa.Column("third_count", sa.Integer(), server_default="3", nullable=False),
        sa.Column("merit_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_share", sa.Integer(), server_default="10", nullable=False),
        sa.Column("second_share", sa.Integer(), server_default="20", nullable=False),
        sa.Column("third_share", sa.Integer(), server_default="30", nullable=False),
        sa.Column("merit_share", sa.Integer(), server_default="0", nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"],
                                name=op.f("fk_competition_events_competition_id_competitions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_events")),
    )
    with op.batch_alter_table("competition_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competition_events_competition_id"), ["competition_id"], unique=False)

    op.create_table(
        "competition_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("team_name", sa.String(length=100), nullable=True),
        sa.Column("employer", sa.String(length=100), nullable=True),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("prize", sa.String(length=32), nullable=True),
        sa.Column("recommended_for_medal", sa.Boolean(), server_default=sa.false(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["event_id"], ["competition_events.id"],
                                name=op.f("fk_competition_entries_event_id_competition_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], name=op.f("fk_competition_entries_worker_id_workers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_entries")),
    )
    with op.batch_alter_table("competition_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competition_entries_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_competition_entries_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "competition_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("judge", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["competition_entries.id"],
                                name=op.f("fk_competition_scores_entry_id_competition_entries"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_scores")),
        sa.UniqueConstraint("entry_id", "part", "judge", name="uq_competition_scores_entry_part_judge"),
    )
    with op.batch_alter_table("competition_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competition_scores_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "competition_team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["competition_entries.id"],
                                name=op.f("fk_competition_team_members_entry_id_competition_entries"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], name=op.f("fk_competition_team_members_worker_id_workers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_team_members")),
        sa.UniqueConstraint("entry_id", "worker_id", name="uq_competition_team_members_entry_worker"),
    )
    with op.batch_alter_table("competition_team_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competition_team_members_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_competition_team_members_worker_id"), ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("competition_team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competition_team_members_worker_id"))
        batch_op.drop_index(batch_op.f("ix_competition_team_members_entry_id"))
    op.drop_table("competition_team_members")
    with op.batch_alter_table("competition_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competition_scores_entry_id"))
    op.drop_table("competition_scores")
    with op.batch_alter_table("competition_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competition_entries_worker_id"))
        batch_op.drop_index(batch_op.f("ix_competition_entries_event_id"))
    op.drop_table("competition_entries")
    with op.batch_alter_table("competition_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competition_events_competition_id"))
    op.drop_table("competition_events")
    with op.batch_alter_table("competitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competitions_title"))
    op.drop_table("competitions")
