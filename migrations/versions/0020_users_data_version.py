"""users data version, form submissions

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 09:00:00.000000

users.data_version is the version the per-user figures cache keys on (tracker/figures/cache.py).
It lives in PostgreSQL, next to the rows it describes: a deferred trigger on every table the
user writes moves it on once per committed transaction, and a new time zone moves it too. The
cache's own version tokens, which an eviction, a restart or a second worker's cache lost or
never had, are gone.

form_submissions holds the one-time token of each create form with the row its first POST
made (tracker/form_tokens.py): unique per user, so a replayed POST finds that row instead of
saving a second one.

review_states is written while pages are read (the derived columns), so only what the
musician sets on an item moves the version: a snooze, "not now", an interval of their own.

The SQL below is a frozen copy of tracker/figures/data_version.sql at this revision.
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# Every table holding user_id that the user writes (see data_version.sql for those left out).
TABLES = (
    "attachments",
    "equipment",
    "focus_areas",
    "goal_pieces",
    "goal_sections",
    "goals",
    "instruments",
    "maintenance_logs",
    "notifications",
    "piece_sections",
    "pieces",
    "practice_sessions",
    "reminders",
    "resource_focus_areas",
    "resource_goals",
    "resource_pieces",
    "resource_sections",
    "resources",
    "session_equipment",
    "session_focus_areas",
    "session_goals",
    "session_pieces",
)

FUNCTIONS = """
CREATE OR REPLACE FUNCTION data_version_bump(p_user_id integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'tracker.data_version_' || p_user_id;
BEGIN
    IF current_setting(flag, true) IS DISTINCT FROM '1' THEN
        -- A user being deleted has no row left to bump: the UPDATE then touches nothing.
        UPDATE users SET data_version = data_version + 1 WHERE id = p_user_id;
        PERFORM set_config(flag, '1', true);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION data_version_on_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM data_version_bump(NEW.user_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM data_version_bump(OLD.user_id);
    ELSE
        PERFORM data_version_bump(OLD.user_id);
        IF NEW.user_id IS DISTINCT FROM OLD.user_id THEN
            PERFORM data_version_bump(NEW.user_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION data_version_on_timezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.timezone IS DISTINCT FROM OLD.timezone THEN
        NEW.data_version := OLD.data_version + 1;
    END IF;
    RETURN NEW;
END
$$;
"""


REVIEW_SETTINGS_TRIGGER = """
CREATE CONSTRAINT TRIGGER data_version_review_settings
AFTER UPDATE OF snoozed_until, not_now_on, interval_days ON review_states
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
WHEN ((OLD.snoozed_until, OLD.not_now_on, OLD.interval_days)
      IS DISTINCT FROM (NEW.snoozed_until, NEW.not_now_on, NEW.interval_days))
EXECUTE FUNCTION data_version_on_row()
"""


def upgrade():
    op.create_table(
        "form_submissions",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_form_submissions_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
        sa.UniqueConstraint("id", "user_id", name=op.f("uq_form_submissions_id_user_id")),
        sa.UniqueConstraint("user_id", "token", name=op.f("uq_form_submissions_user_id_token")),
    )
    op.create_index(op.f("ix_form_submissions_user_id"), "form_submissions", ["user_id"])
    op.add_column(
        "users", sa.Column("data_version", sa.BigInteger(), server_default="1", nullable=False)
    )
    op.execute(FUNCTIONS)
    for table in TABLES:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER data_version_{table} "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_on_row()"
        )
    op.execute(REVIEW_SETTINGS_TRIGGER)
    op.execute(
        "CREATE TRIGGER data_version_timezone BEFORE UPDATE OF timezone ON users "
        "FOR EACH ROW EXECUTE FUNCTION data_version_on_timezone()"
    )


def downgrade():
    op.execute("DROP TRIGGER data_version_review_settings ON review_states")
    op.execute("DROP TRIGGER data_version_timezone ON users")
    for table in TABLES:
        op.execute(f"DROP TRIGGER data_version_{table} ON {table}")
    for function in ("data_version_on_timezone()", "data_version_on_row()",
                     "data_version_bump(integer)"):
        op.execute(f"DROP FUNCTION {function}")
    op.drop_column("users", "data_version")
    op.drop_index(op.f("ix_form_submissions_user_id"), table_name="form_submissions")
    op.drop_table("form_submissions")
