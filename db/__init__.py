"""Data layer: SQLAlchemy models, engine, migrations, backup. Imports nothing of ours outside db."""
