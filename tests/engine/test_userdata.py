"""The reader's own files: bookmarks and notes, search history, last position."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from index.errors import StorageError
from index.storage.userdata import (
    BOOKMARKS_FILE,
    HISTORY_FILE,
    HISTORY_LIMIT,
    STATE_FILE,
    Bookmark,
    ReaderState,
    UserData,
    notes_markdown,
    write_json,
)


def test_bookmarks_persist_and_replace_by_passage(tmp_path: Path) -> None:
    data = UserData(tmp_path)
    assert data.bookmarks() == []
    first = data.set_bookmark(
        Bookmark("000_a", 3, note="le veto", title="Un titre", text="Du texte")
    )
    assert first.created.endswith("Z")
    data.set_bookmark(Bookmark("001_b", 0))
    again = UserData(tmp_path)
    assert [b.key for b in again.bookmarks()] == [("000_a", 3), ("001_b", 0)]
    assert again.bookmark("000_a", 3) == first
    edited = again.set_bookmark(Bookmark("000_a", 3, note="autre note"))
    assert edited.created == first.created
    assert [b.note for b in UserData(tmp_path).bookmarks()] == ["autre note", ""]


def test_removing_a_bookmark(tmp_path: Path) -> None:
    data = UserData(tmp_path)
    data.set_bookmark(Bookmark("000_a", 1))
    assert data.remove_bookmark("000_a", 2) is None
    removed = data.remove_bookmark("000_a", 1)
    assert removed is not None and removed.key == ("000_a", 1)
    assert UserData(tmp_path).bookmarks() == []


def test_history_keeps_the_last_queries_once_each(tmp_path: Path) -> None:
    data = UserData(tmp_path)
    for query in ("veto", "Poutine", "veto", "  ", "munitions "):
        data.add_query(query)
    assert UserData(tmp_path).history() == ["Poutine", "veto", "munitions"]
    for n in range(HISTORY_LIMIT + 20):
        data.add_query(f"q{n}")
    history = UserData(tmp_path).history()
    assert len(history) == HISTORY_LIMIT
    assert history[-1] == f"q{HISTORY_LIMIT + 19}"


def test_state_round_trip(tmp_path: Path) -> None:
    data = UserData(tmp_path)
    assert data.state() == ReaderState()
    state = ReaderState(
        article="002_c", passage=7, query="veto", entity="kim-jong-un", sort="date", related=False
    )
    data.save_state(state)
    assert UserData(tmp_path).state() == state


@pytest.mark.parametrize(
    "content",
    ["", "{", "[]", '{"version": 99, "state": {}}', '{"version": 1, "state": {"passage": -3}}'],
)
def test_damaged_files_read_as_empty(tmp_path: Path, content: str) -> None:
    for name in (BOOKMARKS_FILE, HISTORY_FILE, STATE_FILE):
        (tmp_path / name).write_text(content, encoding="utf-8")
    data = UserData(tmp_path)
    assert data.bookmarks() == []
    assert data.history() == []
    assert data.state() == ReaderState()


def test_bad_entries_are_dropped_good_ones_kept(tmp_path: Path) -> None:
    (tmp_path / BOOKMARKS_FILE).write_text(
        json.dumps(
            {
                "version": 1,
                "bookmarks": [
                    {"article": "000_a", "passage": 2, "note": "ok"},
                    {"article": 3, "passage": 1},
                    {"article": "000_a", "passage": "x"},
                    "junk",
                ],
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / STATE_FILE).write_text(
        json.dumps({"version": 1, "state": {"article": "000_a", "sort": "nonsense"}}),
        encoding="utf-8",
    )
    data = UserData(tmp_path)
    assert data.bookmarks() == [Bookmark("000_a", 2, note="ok")]
    assert data.state() == ReaderState(article="000_a")


def test_writes_are_atomic_and_leave_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.json"
    write_json(path, {"a": "é"})
    write_json(path, {"a": "b"})
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": "b"}
    assert [p.name for p in path.parent.iterdir()] == ["x.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_a_storage_error(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="cannot write"):
            UserData(tmp_path).add_query("veto")
    finally:
        tmp_path.chmod(0o700)


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = UserData(tmp_path)
    data.add_query("veto")

    def failing(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(StorageError, match=r"(?i)no space left"):
        data.add_query("Poutine")
    assert UserData(tmp_path).history() == ["veto"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [HISTORY_FILE]


def test_notes_markdown() -> None:
    bookmarks = [
        Bookmark(
            "001_b",
            4,
            note="Même phrase que l'AFP.",
            created="2024-06-19T10:00:00Z",
            title="Poutine à Pyongyang",
            text="La Russie a opposé son veto.\nEn mars.",
        ),
        Bookmark("000_a", 0, title="Premier  article", text="Titre"),
        Bookmark("001_b", 1, text="Un passage", created="2024-06-19T09:00:00Z"),
    ]
    markdown = notes_markdown(bookmarks, "corpus")
    assert markdown == (
        "# Notes on corpus\n"
        "\n"
        "## Poutine à Pyongyang\n"
        "\n"
        "`001_b`\n"
        "\n"
        "### ¶2\n"
        "\n"
        "> Un passage\n"
        "\n"
        "*Bookmarked 2024-06-19T09:00:00Z*\n"
        "\n"
        "### ¶5\n"
        "\n"
        "> La Russie a opposé son veto.\n"
        "> En mars.\n"
        "\n"
        "Même phrase que l'AFP.\n"
        "\n"
        "*Bookmarked 2024-06-19T10:00:00Z*\n"
        "\n"
        "## Premier article\n"
        "\n"
        "`000_a`\n"
        "\n"
        "### ¶1\n"
        "\n"
        "> Titre\n"
    )
    assert "No bookmarks yet." in notes_markdown([], "corpus")
