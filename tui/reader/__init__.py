"""The reader's main screen and its panes.

- `screen`: `ReaderScreen`, which owns the reading state and delegates to its parts;
- `article_list`, `passage_view`, `passage_block`, `related_pane`, `index_status`: the panes;
- `commands`: the command palette's providers.
"""
