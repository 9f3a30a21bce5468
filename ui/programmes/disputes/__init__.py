"""劳动争议 (disputes): the tab and its pages and dialogs."""
