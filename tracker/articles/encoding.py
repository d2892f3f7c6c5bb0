"""Bytes to text: UTF-8 (a BOM dropped), or a refusal that says what the bytes are — UTF-16/32,
a binary format (PDF, DOCX...), binary data, or a single-byte code page guessed from how
plausible the text it gives is (the candidates are ``knowledge/encodings.toml``), with the
``iconv`` line that converts it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from ..knowledge import table
from .problems import ReadFailure
from .selection import stem

__all__ = ["SNIFF", "check_head", "decode"]

#: How many leading bytes are checked for a BOM, a binary format or binary data.
SNIFF = 8192

_BOMS_OTHER = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/DOCX/ODT"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"{\\rtf", "RTF"),
    (b"\xd0\xcf\x11\xe0", "MS Office"),
)
#: Control bytes that never occur in text (tab, newlines, form feed and ESC excluded).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])

#: Single-byte encodings a non-UTF-8 article may be in, most likely first (ties go to the
#: first); each name is understood by both iconv and Python.
_GUESSES: tuple[str, ...] = tuple(table("encodings")["guesses"])
#: Non-letters that real text holds in these code pages (quotes, dashes, numero, euro...).
_TEXT_SYMBOLS = frozenset(table("encodings")["text_symbols"])
_WORD = re.compile(r"[^\W\d_]+")


def decode(data: bytes, display: str) -> str:
    """The UTF-8 text of a document's bytes, a leading BOM dropped.

    Parameters
    ----------
    data : bytes
        The document.
    display : str
        Its name in messages (``"stdin"`` for standard input).

    Returns
    -------
    str

    Raises
    ------
    ReadFailure
        When it is empty or blank (not fatal), UTF-16/32, binary, or not UTF-8 (naming the
        first invalid byte and the likely encoding).
    """
    if not data.strip():
        raise ReadFailure(f"{display}: empty file, skipped", fatal=False)
    check_head(data[:SNIFF], display)
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = bom + err.start
        line = data.count(b"\n", 0, offset) + 1
        where = f"invalid byte 0x{data[offset]:02x} at offset {offset}, line {line}"
        guess = _guess_encoding(data)
        if guess is None and _mostly_utf8(data[:1_000_000]):
            raise ReadFailure(
                f"{display}: is not valid UTF-8 ({where}), though most of it is; fix that "
                f"line, or drop the invalid bytes: iconv -c -f utf-8 -t utf-8 "
                f"{_convert_hint(display)}"
            ) from None
        likely = f"it looks like {guess}; " if guess else ""
        raise ReadFailure(
            f"{display}: is not UTF-8 ({where}); {likely}convert it, e.g. "
            f"iconv -f {guess or 'ENCODING'} -t utf-8 {_convert_hint(display)}"
        ) from None
    if "\x00" in text:
        raise ReadFailure(f"{display}: binary file, not an article")
    if not text.strip():
        raise ReadFailure(f"{display}: empty file, skipped", fatal=False)
    return text


def check_head(sample: bytes, display: str) -> None:
    """Refuse a document whose first bytes show a UTF-16/32 BOM, a binary format or binary data.

    Parameters
    ----------
    sample : bytes
        Its first :data:`SNIFF` bytes (or all of them).
    display : str
        Its name in messages (``"stdin"`` for standard input).

    Raises
    ------
    ReadFailure
        Saying what the bytes are and, for UTF-16/32, how to convert them.
    """
    data = sample
    for bom, encoding in _BOMS_OTHER:
        if data.startswith(bom):
            raise ReadFailure(
                f"{display}: is {encoding.upper()}, not UTF-8; convert it, e.g. "
                f"iconv -f {encoding} -t utf-8 {_convert_hint(display)}"
            )
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ReadFailure(
                f"{display}: binary file, not an article (looks like {kind}; "
                "extract its text first)"
            )
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > len(sample) * 0.1:
        what = "binary data" if display == "stdin" else "binary file"
        raise ReadFailure(f"{display}: {what}, not an article")


def _convert_hint(display: str) -> str:
    if display == "stdin":
        return "< input > output.txt"
    path = Path(display)
    out = path.with_name(f"{stem(path)}.utf8{path.suffix}")
    return f"{shlex.quote(display)} > {shlex.quote(str(out))}"


def _guess_encoding(data: bytes) -> str | None:
    """The encoding that decodes *data* into the most plausible text, in a spelling that
    iconv and Python both accept; None when the data is mostly UTF-8 or nothing fits.

    Every candidate of :data:`_GUESSES` that decodes the bytes is scored by what a wrong
    code page produces: control or unusual symbol characters, words mixing Latin and
    Cyrillic letters ("entrйes"), and words with capitals inside ("рОУЦКУШЛ", KOI8 read as
    CP1251). The lowest score wins; a tie goes to the earlier candidate.
    """
    sample = data[:1_000_000]
    if _mostly_utf8(sample):
        return None
    best: tuple[float, int] | None = None
    pick = None
    for rank, codec in enumerate(_GUESSES):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _implausibility(text)
        if best is None or (score, rank) < best:
            best, pick = (score, rank), codec
    return pick


def _mostly_utf8(data: bytes) -> bool:
    """True when *data* has many valid UTF-8 multi-byte characters and few invalid bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good > 4 * bad


def _implausibility(text: str) -> float:
    """How unlike real text the non-ASCII part of *text* is (0 = fully plausible)."""
    import unicodedata

    penalty = 0.0
    rare = 0
    for ch in text:
        if ord(ch) < 0x80 or ch.isalpha() or ch in _TEXT_SYMBOLS:
            continue
        rare += 1
        penalty += 10.0 if unicodedata.category(ch).startswith("C") else 1.0
    words = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        words += 1
        latin = any("a" <= ch.lower() <= "z" or "\u00c0" <= ch <= "\u024f" for ch in word)
        cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in word)
        if latin and cyrillic:
            penalty += 5.0
        if not (word.islower() or word.isupper() or word.istitle()):
            penalty += 2.0
    return penalty / max(1, words + rare)
