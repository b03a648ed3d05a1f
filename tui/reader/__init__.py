"""The reader's main screen, its panes, and the parts the screen hands its work to.

- `screen`: `ReaderScreen`, which owns the reading state (reactives), the bindings and
  the panes, and routes messages and actions to its parts;
- the panes: `article_list`, `passage_view` (with `passage_block`), `related_pane`,
  `filter_bar`, `index_status`;
- the parts, each the owner of one concern: `navigation` (the article shown, going
  places, the way back with `history`), `jumps` (search hits and mentions), `listing`
  (what the list shows, in what order), `search_filter` (the search and its matches),
  `related` (the related pane's lookups and cache), `entities` (the entities and the
  entity panel), `bookmarking`, `comparing`, `session` (the place kept between runs),
  `wire` (wire copy counts);
- `host`: the protocols the parts see the screen and the navigation through;
- `commands`: the command palette's providers.
"""
