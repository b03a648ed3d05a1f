"""Turn a file's bytes into clean text, or say in a few words why that is impossible.

The corpus is French press: most files are UTF-8, the rest are mostly Windows
cp1252 (the Western default of every Windows editor and many old CMS exports).
Strict UTF-8 is tried first because it is fast and unambiguous; legacy bytes go
through a Western heuristic before charset-normalizer, which on short French
texts often answers cp1250 and turns "à" into "ŕ".
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from index.errors import DecodeError

__all__ = ["clean_text", "decode_bytes"]

# Longest magic first where one is a prefix of another.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"(\xb5/\xfd", "zstd"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"),
)

# How much of a file with NULs is looked at to tell UTF-16 without a BOM from binary.
_UTF16_SAMPLE = 1 << 16
# Below 8 characters, a NUL or two in UTF-8 may fall like UTF-16's: such bytes are binary.
_UTF16_MIN_BYTES = 16

# UTF-32 before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Pages declaring Latin-1 or ASCII are, in practice, cp1252 (the WHATWG rule browsers follow).
_DECLARED_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}

# Vertical breaks other than \r become plain newlines rather than disappearing,
# so that two paragraphs never get glued together.
_LINE_BREAKS = str.maketrans(
    {"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
)
# Terminal escape sequences (colours, cursor moves, OSC titles and links) pasted
# into articles: removed whole, so `\x1b[31mcodes` leaves `codes`, not `[31mcodes`.
_ESCAPE_SEQUENCE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"  # CSI: ESC [ params final
    "|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?"  # OSC: ESC ] ... BEL or ST
    "|\x1b[0-~]"  # other two-byte escapes (ESC c, ESC 7…)
    "|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# Bidirectional overrides and isolates reorder what a terminal shows; they carry
# no meaning in a news text.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Remaining C0/C1 controls and stray BOMs (from concatenated files) are invisible
# noise that would shift character offsets.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")
# What counts against a decoding: controls that are not whitespace, and U+FFFD.
_SUSPECT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffd]")
_MIN_LETTERS = 20
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
# A non-letter Latin-1 symbol between two letters ("³" for "ł") means the bytes
# were not cp1252; the middle dot and soft hyphen do occur inside French words.
_SYMBOL_IN_WORD = re.compile(r"(?<=[^\W\d_])[\u00a1-\u00ac\u00ae-\u00b6\u00b8-\u00bf](?=[^\W\d_])")


def decode_bytes(data: bytes, declared_encoding: str | None = None) -> str:
    """Decode `data` to clean NFC text with `\\n` line endings.

    `declared_encoding` is what the file says about itself (an HTML
    `<meta charset>`); it is only used when the bytes are not UTF-8.
    Raises DecodeError with a short reason ("binary file", "empty file"...).
    """
    if not data.strip():
        raise DecodeError("empty file")
    _reject_binary(data)
    text = _decode(data, declared_encoding)
    _reject_garbage(text)
    text = clean_text(text)
    if not text.strip():
        raise DecodeError("empty file")
    return text


def clean_text(text: str) -> str:
    """Normalise line endings, drop invisible control characters, apply NFC.

    Typographic apostrophes, quotes, guillemets and non-breaking spaces are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = _BIDI_CONTROLS.sub("", _INVISIBLE.sub("", text))
    return unicodedata.normalize("NFC", text)


def _reject_binary(data: bytes) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"compressed or binary file ({kind})")
    # UTF-16/32 text is full of NULs: trusted with a BOM, or when they fall like UTF-16's.
    if (
        b"\x00" in data
        and not any(data.startswith(bom) for bom, _ in _BOMS)
        and _utf16_without_bom(data) is None
    ):
        raise DecodeError("binary file")


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of `data` if it is UTF-16 written without a byte-order mark (some
    exports do that): text in a Latin script has a NUL for the high byte of nearly
    every character, so its NULs fall on one parity of the bytes and hardly any on
    the other. A binary file seldom looks like that, and what decodes to control
    characters is still refused by `_reject_garbage`."""
    if len(data) % 2 or len(data) < _UTF16_MIN_BYTES:
        return None
    sample = data[:_UTF16_SAMPLE]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= half * 0.75 and even <= half * 0.01:
        return "utf-16-le"  # "A" is 41 00
    if even >= half * 0.75 and odd <= half * 0.01:
        return "utf-16-be"
    return None


def _decode(data: bytes, declared_encoding: str | None) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_unicode(data, codec)  # the codec consumes the BOM
    if b"\x00" in data and (utf16 := _utf16_without_bom(data)) is not None:
        return _decode_unicode(data, utf16)
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _decode_mostly_utf8(data)
    if mixed is not None:
        return mixed
    declared = _decode_declared(data, declared_encoding)
    if declared is not None:
        return declared
    return _decode_legacy(data)


def _decode_unicode(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        name = codec.upper().removesuffix("-LE").removesuffix("-BE")
        raise DecodeError(f"undecodable bytes (broken {name})") from None


def _decode_mostly_utf8(data: bytes) -> str | None:
    """A UTF-8 file with a few stray cp1252 bytes (a quote pasted from Word).

    Valid multi-byte sequences must outnumber the invalid bytes; otherwise the
    file is a legacy encoding that happens to contain a UTF-8-like pair.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    escaped = len(_ESCAPED_BYTE.findall(text))
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - escaped
    if valid <= escaped:
        return None
    return _ESCAPED_BYTE.sub(_cp1252_char, text)


def _cp1252_char(match: re.Match[str]) -> str:
    byte = bytes([ord(match.group()) - 0xDC00])
    return byte.decode("cp1252", errors="replace")


def _decode_declared(data: bytes, declared_encoding: str | None) -> str | None:
    if not declared_encoding:
        return None
    try:
        codec = codecs.lookup(declared_encoding.strip()).name.replace("-", "_")
    except LookupError:
        return None
    codec = _DECLARED_ALIASES.get(codec, codec)
    if codec.startswith("utf"):
        return None  # it already failed as UTF-8: the declaration is wrong
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_legacy(data: bytes) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""  # a byte cp1252 leaves undefined: let the detector decide
    if text and _looks_western(text):
        return text
    return _detect(data)


def _looks_western(text: str) -> bool:
    """Whether cp1252 gave Western European text rather than mojibake.

    Accented letters are a few percent of the letters of French, Spanish or
    German; Cyrillic or Greek read as cp1252 is almost nothing but. Below a
    few words the ratio means nothing, and cp1252 is the likelier guess.
    """
    letters = 0
    accented = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            accented += ord(ch) > 0x7F
    if letters == 0 or (letters >= _MIN_LETTERS and accented > letters * 0.5):
        return False
    return len(_SYMBOL_IN_WORD.findall(text)) <= accented * 0.05


def _detect(data: bytes) -> str:
    # Imported here: a corpus of UTF-8 files never needs the detector.
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("undecodable bytes (unknown encoding)")
    return str(best)


def _reject_garbage(text: str) -> None:
    suspect = len(_SUSPECT.findall(text))
    if suspect > max(2, len(text) // 100):
        raise DecodeError("undecodable bytes (too many control or invalid characters)")
