"""助企行 (help_desk): the tab and its pages and dialogs."""
