"""The reader's dialogs, each a modal screen.

- `search`, `entities`, `bookmarks`, `help`: the search, entity panel, bookmarks and help;
- `entity_list`: what the entity panel lists, by type, as the reader types;
- `note`, `text_prompt`, `choice`: small prompts;
- `list_dialog`: the base of the dialogs around one option list (`move(n)`, its focus);
- `markdown_export`, `notes_export`: writing an export to a file the reader names.
"""
