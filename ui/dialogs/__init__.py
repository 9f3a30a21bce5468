"""Dialogs the main window opens from its menus and buttons.

Each module is imported on demand (``from ui.dialogs.importing import open_import``), so
opening the main window does not load every dialog.
"""
