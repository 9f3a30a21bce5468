"""Packaged data files: icons, fonts, demo vocabulary."""
