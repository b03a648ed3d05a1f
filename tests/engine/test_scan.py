"""scan_corpus: what is listed, what is skipped and why, and that nothing is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.errors import CorpusError
from index.ingest.scan import MAX_FILE_BYTES, FileEntry, doc_id_for, scan_corpus
from index.model import Skipped


def _write(path: Path, text: str = "Un article.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _rels(files: list[FileEntry]) -> list[str]:
    return [entry.rel for entry in files]


def test_nested_folders_sorted(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.md", "a/b/c.html", "a/b/d.htm", "0.jsonl", "A.txt", "a/a.TXT"]:
        _write(tmp_path / rel)
    result = scan_corpus(tmp_path)
    assert _rels(result.files) == sorted(
        ["0.jsonl", "A.txt", "a/a.TXT", "a/b/c.html", "a/b/d.htm", "a/z.md", "b.txt"]
    )
    assert result.skipped == []


def test_entry_fields(tmp_path: Path) -> None:
    path = _write(tmp_path / "sub" / "article.txt", "12345")
    (entry,) = scan_corpus(tmp_path).files
    assert entry.rel == "sub/article.txt"
    assert entry.path == path and entry.path.is_absolute()
    assert entry.size == 5
    assert entry.mtime_ns == path.stat().st_mtime_ns


def test_relative_root_gives_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "corpus" / "a.txt")
    monkeypatch.chdir(tmp_path)
    (entry,) = scan_corpus(Path("corpus")).files
    assert entry.path == tmp_path / "corpus" / "a.txt"


def test_unsupported_and_hidden_are_ignored_silently(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt")
    _write(tmp_path / "README.pdf")
    _write(tmp_path / "photo.jpg")
    _write(tmp_path / "noext")
    _write(tmp_path / ".hidden.txt")
    _write(tmp_path / ".git" / "x.txt")
    _write(tmp_path / "sub" / ".cache" / "y.md")
    result = scan_corpus(tmp_path)
    assert _rels(result.files) == ["a.txt"]
    assert result.skipped == []


def test_hidden_root_is_still_scanned(tmp_path: Path) -> None:
    _write(tmp_path / ".corpus" / "a.txt")
    assert _rels(scan_corpus(tmp_path / ".corpus").files) == ["a.txt"]


def test_too_large_file_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "ok.txt")
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: no real disk use
    result = scan_corpus(tmp_path)
    assert _rels(result.files) == ["ok.txt"]
    assert result.skipped == [Skipped("huge.txt", "too large: 21.0 MB, the limit is 20 MB")]


def test_file_at_the_limit_is_kept(tmp_path: Path) -> None:
    with open(tmp_path / "edge.txt", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES)
    assert _rels(scan_corpus(tmp_path).files) == ["edge.txt"]


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "ok.txt")
    secret = _write(tmp_path / "secret.txt")
    real_open = os.open

    def fake_open(path: str, flags: int, *args: int) -> int:
        if Path(path) == secret:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args)

    # Root ignores file permissions, so the denial is simulated (os is the module scan uses).
    monkeypatch.setattr(os, "open", fake_open)
    result = scan_corpus(tmp_path)
    assert _rels(result.files) == ["ok.txt"]
    assert result.skipped == [Skipped("secret.txt", "permission denied")]


def test_unreadable_folder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "ok.txt")
    locked = tmp_path / "locked"
    _write(locked / "inside.txt")
    real_scandir = os.scandir

    def fake_scandir(path: str) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)
    result = scan_corpus(tmp_path)
    assert _rels(result.files) == ["ok.txt"]
    assert result.skipped == [Skipped("locked", "permission denied")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_file_is_skipped(tmp_path: Path) -> None:
    secret = _write(tmp_path / "secret.txt")
    secret.chmod(0)
    try:
        result = scan_corpus(tmp_path)
    finally:
        secret.chmod(0o644)
    assert result.skipped == [Skipped("secret.txt", "permission denied")]


def test_symlink_loop_terminates_and_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "dir"
    _write(folder / "a.txt")
    os.symlink(folder, folder / "loop")
    os.symlink(tmp_path, folder / "up")
    result = scan_corpus(tmp_path)
    assert _rels(result.files) == ["dir/a.txt"]
    assert result.skipped == [
        Skipped("dir/loop", "symlink loop"),
        Skipped("dir/up", "symlink loop"),
    ]


def test_self_referencing_symlink(tmp_path: Path) -> None:
    os.symlink(tmp_path / "self.txt", tmp_path / "self.txt")
    assert scan_corpus(tmp_path).skipped == [Skipped("self.txt", "symlink loop")]


def test_symlinked_folder_is_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _write(outside / "far.txt")
    corpus = tmp_path / "corpus"
    _write(corpus / "near.txt")
    os.symlink(outside, corpus / "linked")
    result = scan_corpus(corpus)
    assert _rels(result.files) == ["linked/far.txt", "near.txt"]
    assert result.files[0].path == corpus / "linked" / "far.txt"


def test_folder_linked_twice_is_read_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _write(outside / "far.txt")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(outside, corpus / "one")
    os.symlink(outside, corpus / "two")
    result = scan_corpus(corpus)
    assert _rels(result.files) == ["one/far.txt"]
    assert [s.path for s in result.skipped] == ["two"]
    assert "already scanned" in result.skipped[0].reason


def test_symlinked_file_is_listed(tmp_path: Path) -> None:
    target = _write(tmp_path / "elsewhere" / "real.txt", "abc")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(target, corpus / "link.txt")
    (entry,) = scan_corpus(corpus).files
    assert entry.rel == "link.txt" and entry.size == 3


def test_broken_symlink_is_reported(tmp_path: Path) -> None:
    _write(tmp_path / "ok.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "gone", tmp_path / "dangling-dir")
    result = scan_corpus(tmp_path)
    assert _rels(result.files) == ["ok.txt"]
    assert result.skipped == [
        Skipped("dangling-dir", "broken symlink"),
        Skipped("dangling.txt", "broken symlink"),
    ]


def test_missing_root_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        scan_corpus(tmp_path / "nowhere")


def test_file_root_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not a folder"):
        scan_corpus(_write(tmp_path / "a.txt"))


def test_empty_corpus(tmp_path: Path) -> None:
    result = scan_corpus(tmp_path)
    assert result.files == [] and result.skipped == []


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    snapshot = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            st = path.lstat()
            snapshot[str(path.relative_to(root))] = (st.st_mtime_ns, st.st_size)
    snapshot["."] = (root.stat().st_mtime_ns, 0)
    return snapshot


def test_scan_never_writes(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt")
    _write(tmp_path / "sub" / "b.md")
    _write(tmp_path / "sub" / "skip.pdf")
    _write(tmp_path / ".hidden" / "c.txt")
    with open(tmp_path / "big.txt", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    os.symlink(tmp_path / "sub", tmp_path / "sub" / "loop")
    before = _snapshot(tmp_path)
    scan_corpus(tmp_path)
    scan_corpus(tmp_path)
    assert _snapshot(tmp_path) == before


def test_deterministic(tmp_path: Path) -> None:
    for n in range(30):
        _write(tmp_path / f"d{n % 4}" / f"{n:03}.txt")
    assert scan_corpus(tmp_path) == scan_corpus(tmp_path)


@pytest.mark.parametrize(
    ("rel", "doc_id"),
    [
        ("000_34fdb793e7d525a8.txt", "000_34fdb793e7d525a8"),
        ("a/b.html", "a/b"),
        ("a.b/c.d.md", "a.b/c.d"),
        ("feed.JSONL", "feed"),
        ("noext", "noext"),
    ],
)
def test_doc_id_for(rel: str, doc_id: str) -> None:
    assert doc_id_for(rel) == doc_id


def test_thousands_of_files_are_fast(tmp_path: Path) -> None:
    import time

    for folder in range(20):
        sub = tmp_path / f"f{folder:02}"
        sub.mkdir()
        for n in range(150):
            (sub / f"{n:03}.txt").write_bytes(b"x")
        (sub / "cover.jpg").write_bytes(b"x")
    start = time.perf_counter()
    result = scan_corpus(tmp_path)
    assert len(result.files) == 3000
    assert time.perf_counter() - start < 1.0


def test_a_folders_own_readme_and_licence_are_not_articles(tmp_path: Path) -> None:
    for name in ("README.md", "LICENSE.txt", "licence.md", "article.md", "readme-not.txt"):
        (tmp_path / name).write_text("Du texte.\n", "utf-8")
    assert [entry.rel for entry in scan_corpus(tmp_path).files] == ["article.md", "readme-not.txt"]


def test_a_name_that_would_drive_the_terminal_is_skipped_and_shown_escaped(
    tmp_path: Path,
) -> None:
    """A file called `evil<ESC>[31m.txt` would colour every screen that names it, and
    bytes that are not UTF-8 cannot be printed at all: such files are not indexed."""
    (tmp_path / "good.txt").write_text("Un article.\n", encoding="utf-8")
    (tmp_path / "evil\x1b[31mred.txt").write_text("Un article.\n", encoding="utf-8")
    (tmp_path / "rtl\u202etxt.md").write_text("Un article.\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"latin\xe9.txt"), "wb") as handle:
        handle.write(b"Un article.\n")
    result = scan_corpus(tmp_path)
    assert [entry.rel for entry in result.files] == ["good.txt"]
    shown = sorted(skipped.path for skipped in result.skipped)
    assert shown == ["evil\\x1b[31mred.txt", "latin\\xe9.txt", "rtl\\u202etxt.md"]
    assert all(skipped.reason.startswith("its name holds control") for skipped in result.skipped)
    assert all(path.isprintable() for path in shown)
