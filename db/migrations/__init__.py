"""Alembic migrations (script location ``db/migrations``, package-relative so it works frozen)."""
