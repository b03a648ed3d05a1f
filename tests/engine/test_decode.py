"""decode_bytes: encodings, binary detection, and text normalisation."""

from __future__ import annotations

import codecs
import gzip
import unicodedata
from pathlib import Path

import pytest

from index.errors import DecodeError
from index.ingest.decode import clean_text, decode_bytes

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FRENCH = "Le président a déclaré à l’armée : « nous resterons », “dit-il”… — fin\u00a0!"


def test_utf8() -> None:
    assert decode_bytes(FRENCH.encode("utf-8")) == FRENCH


def test_utf8_bom_is_stripped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + FRENCH.encode("utf-8")) == FRENCH


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    bom = "\ufeff".encode(codec)
    assert decode_bytes(bom + FRENCH.encode(codec)) == FRENCH


def test_cp1252_french() -> None:
    assert decode_bytes(b"l\x92arm\xe9e") == "l’armée"
    assert decode_bytes(b"\x93guillemets\x94 \xab fran\xe7ais \xbb \x85") == (
        "“guillemets” « français » …"
    )
    assert decode_bytes(FRENCH.encode("cp1252")) == FRENCH


def test_latin1_french() -> None:
    sample = "Ça a été un été à Noël, déjà, où l'élève était très âgé."
    assert decode_bytes(sample.encode("latin-1")) == sample


def test_short_latin1_word() -> None:
    assert decode_bytes("été".encode("latin-1")) == "été"


def test_other_legacy_encodings_are_detected() -> None:
    russian = "Владимир Путин прибыл в Пхеньян с государственным визитом."
    assert decode_bytes(russian.encode("cp1251")) == russian


def test_utf8_with_a_stray_cp1252_byte() -> None:
    data = "Le président a déclaré à la presse".encode() + b" l\x92arm\xc3\xa9e"
    assert decode_bytes(data) == "Le président a déclaré à la presse l’armée"


def test_declared_encoding_is_used_when_not_utf8() -> None:
    text = "Ελληνικά κείμενα"
    assert decode_bytes(text.encode("iso-8859-7"), declared_encoding="iso-8859-7") == text
    # A wrong declaration on valid UTF-8 changes nothing.
    assert decode_bytes(FRENCH.encode(), declared_encoding="windows-1252") == FRENCH


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes(b"abc\x00def\x00ghi")
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes(bytes(4096))
    with pytest.raises(DecodeError, match="binary file"):  # NULs on both byte parities
        decode_bytes("Les données".encode("utf-32-le"))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_by_its_nuls(codec: str) -> None:
    assert decode_bytes(FRENCH.encode(codec)) == FRENCH
    assert decode_bytes("Ça va, merci.".encode(codec)) == "Ça va, merci."


def test_what_only_looks_like_utf16_is_refused() -> None:
    # NULs on one parity around control characters: the decoded text is garbage.
    with pytest.raises(DecodeError, match="control or invalid"):
        decode_bytes(bytes(range(1, 20)).replace(b"", b"\x00")[1:] * 50)
    # UTF-16 cut in the middle of a character (an odd length) is not read as such.
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes(FRENCH.encode("utf-16-le")[:-1])
    # Nor are a few bytes: here the UTF-8 of a NUL and a zero-width space.
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes("\x00\u200b".encode())


def test_gzip_is_rejected() -> None:
    with pytest.raises(DecodeError, match=r"compressed or binary file \(gzip\)"):
        decode_bytes(gzip.compress(FRENCH.encode()))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00", "zip"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    ],
)
def test_magic_numbers_are_rejected(data: bytes, kind: str) -> None:
    with pytest.raises(DecodeError, match=rf"compressed or binary file \({kind}\)"):
        decode_bytes(data)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b" \n"])
def test_empty(data: bytes) -> None:
    with pytest.raises(DecodeError, match="empty file"):
        decode_bytes(data)


def test_too_many_control_characters() -> None:
    data = bytes(range(1, 32)) * 20 + b"some text"
    with pytest.raises(DecodeError, match="undecodable"):
        decode_bytes(data)


def test_too_many_replacement_characters() -> None:
    data = ("\ufffd" * 30 + "x" * 100).encode()
    with pytest.raises(DecodeError, match="undecodable"):
        decode_bytes(data)


def test_line_endings_are_normalised() -> None:
    assert decode_bytes(b"un\r\ndeux\rtrois\n\r\nquatre") == "un\ndeux\ntrois\n\nquatre"
    assert decode_bytes("a\u2028b\u2029c\x0cd".encode()) == "a\nb\n\nc\nd"


def test_a_few_control_characters_are_removed() -> None:
    body = "Un paragraphe ordinaire. " * 20
    text = f"Le\x07 texte\x1b avec\ttab\x7f\n{body}fin\x1a"
    assert decode_bytes(text.encode()) == f"Le texte avec\ttab\n{body}fin"


def test_stray_bom_inside_is_removed() -> None:
    assert decode_bytes("un\ufeffdeux".encode()) == "undeux"


def test_typography_is_preserved() -> None:
    text = "l’État « dit » “oui” ‘non’ — 3\u00a0000\u202f€ … « c’est » l'a"
    assert decode_bytes(text.encode()) == text


def test_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Élysée à Noël")
    assert decode_bytes(decomposed.encode()) == "Élysée à Noël"
    assert clean_text(decomposed) == "Élysée à Noël"


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seeds_decode_unchanged(seed: Path) -> None:
    data = seed.read_bytes()
    assert decode_bytes(data) == unicodedata.normalize("NFC", data.decode("utf-8"))


def test_there_are_five_seeds() -> None:
    assert len(list(SEEDS.glob("*.txt"))) == 5
