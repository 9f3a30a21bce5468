"""UnionDesk (工会工作台): the application: start-up, settings, registry, programmes' rules."""

__version__ = "0.1.0"
APP_NAME = "UnionDesk"
APP_TITLE = "工会工作台"
