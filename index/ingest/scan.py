"""Find the article files of a corpus folder, without ever writing to it.

The walk follows symlinked folders (corpora are often assembled from links) but
remembers every folder it entered by (device, inode), so a link back to an
ancestor cannot make it loop and a folder linked twice is read once.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from index.errors import CorpusError
from index.model import Skipped

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "FileEntry",
    "ScanResult",
    "doc_id_for",
    "scan_corpus",
    "too_large",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
MAX_FILE_BYTES = 20 * 1024 * 1024

_MB = 1024 * 1024
# A file name that would write escape sequences or reversed text to the terminal
# wherever it is shown, or that is not text at all: the file is not indexed.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")
UNPRINTABLE_NAME = "its name holds control characters or bytes that are not text; rename it"
_DirKey = tuple[int, int]


@dataclass(frozen=True)
class FileEntry:
    """A candidate file: `rel` is its POSIX path relative to the corpus root.

    `location` is its absolute path as the scan found it, a str: a Path for each
    of 100,000 files would cost a third of the scan, and only the files that
    are read need one (`path`, made on first use).
    """

    rel: str
    location: str | Path
    size: int
    mtime_ns: int

    @cached_property
    def path(self) -> Path:
        return Path(self.location)


@dataclass
class ScanResult:
    files: list[FileEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class _Folder:
    path: str
    rel: str
    # The folders above this one, to tell a loop from a folder linked twice.
    ancestors: frozenset[_DirKey]


def doc_id_for(rel: str) -> str:
    """The document id of a file: its relative path without the extension."""
    path = PurePosixPath(rel)
    return str(path.with_suffix("")) if path.suffix else rel


def scan_corpus(root: Path) -> ScanResult:
    """List the supported files under `root`, sorted by relative path.

    Hidden entries and unsupported suffixes are ignored silently; files too
    large, broken links, loops and unreadable entries are reported as skipped.
    """
    root_path = os.path.abspath(root)
    root_stat = _root_stat(root, root_path)
    root_key = (root_stat.st_dev, root_stat.st_ino)
    result = ScanResult()
    visited: dict[_DirKey, str] = {root_key: "."}
    stack = [_Folder(root_path, "", frozenset({root_key}))]
    while stack:
        folder = stack.pop()
        subfolders = _scan_folder(folder, visited, result)
        stack.extend(reversed(subfolders))  # keep a sorted depth-first order
    result.files.sort(key=lambda entry: entry.rel)
    result.skipped.sort(key=lambda skipped: skipped.path)
    return result


def _root_stat(root: Path, root_path: str) -> os.stat_result:
    try:
        st = os.stat(root_path)
    except FileNotFoundError:
        raise CorpusError(f"The corpus folder {root} does not exist.") from None
    except OSError as error:
        raise CorpusError(f"The corpus folder {root} cannot be read: {_reason(error)}.") from None
    if not stat.S_ISDIR(st.st_mode):
        raise CorpusError(f"The corpus {root} is not a folder.")
    try:
        # Open it now so that an unreadable root is an error, not an empty corpus.
        with os.scandir(root_path):
            pass
    except OSError as error:
        raise CorpusError(f"The corpus folder {root} cannot be read: {_reason(error)}.") from None
    return st


def _scan_folder(folder: _Folder, visited: dict[_DirKey, str], result: ScanResult) -> list[_Folder]:
    """Record the files of one folder; return its subfolders to walk, sorted."""
    try:
        with os.scandir(folder.path) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as error:
        result.skipped.append(Skipped(folder.rel, _reason(error)))
        return []
    subfolders: list[_Folder] = []
    for entry in entries:
        supported = _is_supported(entry.name)
        if not supported and not _may_be_folder(entry):
            continue  # spare a stat for the README.pdf and images next to the articles
        rel = f"{folder.rel}/{entry.name}" if folder.rel else entry.name
        if _UNPRINTABLE.search(entry.name):
            result.skipped.append(Skipped(printable(rel), UNPRINTABLE_NAME))
            continue
        try:
            st = entry.stat()  # follows symlinks
        except OSError as error:
            result.skipped.append(Skipped(rel, _stat_failure(entry, error)))
            continue
        if stat.S_ISDIR(st.st_mode):
            sub = _enter_folder(entry.path, rel, st, folder, visited, result)
            if sub is not None:
                subfolders.append(sub)
        elif supported:
            _add_file(entry.path, rel, st, result)
    return subfolders


def printable(name: str) -> str:
    """`name` with its control and bidi characters, and the bytes that are not text
    (kept by Python as lone surrogates), written as escapes: `a\\x1b[31m.txt`."""
    return _UNPRINTABLE.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _enter_folder(
    path: str,
    rel: str,
    st: os.stat_result,
    parent: _Folder,
    visited: dict[_DirKey, str],
    result: ScanResult,
) -> _Folder | None:
    key = (st.st_dev, st.st_ino)
    if key in parent.ancestors:
        result.skipped.append(Skipped(rel, "symlink loop"))
        return None
    if key in visited:
        result.skipped.append(Skipped(rel, f"same folder as {visited[key]}, already scanned"))
        return None
    visited[key] = rel
    return _Folder(path, rel, parent.ancestors | {key})


def _add_file(path: str, rel: str, st: os.stat_result, result: ScanResult) -> None:
    if not stat.S_ISREG(st.st_mode):
        result.skipped.append(Skipped(rel, "not a regular file"))
        return
    if st.st_size > MAX_FILE_BYTES:
        result.skipped.append(Skipped(rel, too_large(st.st_size)))
        return
    problem = _unreadable(path)
    if problem is not None:
        result.skipped.append(Skipped(rel, problem))
        return
    result.files.append(FileEntry(rel, path, st.st_size, st.st_mtime_ns))


def too_large(size: int) -> str:
    """The reason a file of `size` bytes is skipped: `too large: 50.0 MB, the limit is 20 MB`."""
    return f"too large: {size / _MB:.1f} MB, the limit is {MAX_FILE_BYTES // _MB} MB"


def _unreadable(path: str) -> str | None:
    """Why the file cannot be opened for reading, or None if it can.

    Opening (not os.access) is the only check that agrees with what the reader
    will meet: ACLs, root, read-only mounts. O_NONBLOCK guards against a FIFO
    swapped in since the stat.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return _reason(error)
    os.close(fd)
    return None


# A folder's own documentation is not one of its articles.
_NOT_ARTICLES = frozenset({"readme", "license", "licence", "changelog", "copying", "notice"})


def _is_supported(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(SUPPORTED_SUFFIXES) and lower.rsplit(".", 1)[0] not in _NOT_ARTICLES


def _may_be_folder(entry: os.DirEntry[str]) -> bool:
    # A symlink's target is unknown until stat; a broken one is worth reporting.
    return entry.is_dir() or entry.is_symlink()


def _stat_failure(entry: os.DirEntry[str], error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(error, FileNotFoundError) and entry.is_symlink():
        return "broken symlink"
    return _reason(error)


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower()
