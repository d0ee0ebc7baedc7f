"""Plain text: bytes -> str (BOMs, UTF-8, UTF-16 without BOM, UTF-8 with a few bad bytes, cp1251
and other legacy encodings), and the .txt reader.

Every decision that changes the text (bytes replaced) is returned as a note, which the reader
turns into a flag on the document: nothing is dropped silently."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import Partial, ReadError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes sit at every other position as in UTF-16 text."""
    head = data[:8192]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / max(1, len(odd))
    # Latin text: every high byte is NUL; Cyrillic: high bytes are 0x04 and spaces/digits NUL.
    if odd_nul > 0.2 and even_nul < 0.02 or (odd.count(4) + odd.count(0)) / max(1, len(odd)) > 0.9 > even_nul * 50:
        return "utf-16-le"
    if even_nul > 0.2 and odd_nul < 0.02 or (even.count(4) + even.count(0)) / len(even) > 0.9 > odd_nul * 50:
        return "utf-16-be"
    return None


def _control_ratio_bad(text: str) -> bool:
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f\v"))
    return bad > max(3, len(text) // 100)


def decode_text_notes(data: bytes, path: Path | str) -> tuple[str, list[str]]:
    """Bytes -> (text, notes). Binary data is refused with a `ReadError` naming the file."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), []
            except UnicodeDecodeError as e:
                raise ReadError(path, f"declares {enc} by its byte-order mark but does not decode: {e}") from None
    if b"\x00" in data[:8192]:
        enc = _utf16_without_bom(data)
        if enc:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                text = None
            if text is not None and not _control_ratio_bad(text):
                return text, [f"no byte-order mark: read as {enc.upper()} (NUL bytes in the pattern of UTF-16)"]
        raise ReadError(path, "looks like a binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few damaged bytes (a truncated copy, a stray cp1251 byte): keep the UTF-8 reading
    # when valid multi-byte sequences clearly outnumber the bad bytes.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(_UTF8_MULTIBYTE.findall(data))
    if good >= 3 and good >= 3 * bad and not _control_ratio_bad(text.replace("\ufffd", "")):
        return text, [Partial(f"{bad} byte sequence(s) that are not valid UTF-8 were replaced by U+FFFD (\ufffd)")]
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "not text in any encoding that could be detected (binary file?)")
    text = str(best)
    if _control_ratio_bad(text):
        raise ReadError(path, "looks like a binary file (control characters), not text")
    notes = [] if best.encoding in ("ascii", "utf_8") else [f"read as {best.encoding} (detected)"]
    return text, notes


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_html_notes(data: bytes, path: Path | str) -> tuple[str, list[str]]:
    """Like `decode_text_notes`, but a page that is not UTF-8 is read in the encoding its
    `<meta charset>` declares (Russian sites still serve windows-1251) before any guessing."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        m = _META_CHARSET.search(data[:4096])
        if m:
            try:
                enc = codecs.lookup(m.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                enc = None
            if enc and not enc.startswith("utf"):
                try:
                    return data.decode(enc), []
                except UnicodeDecodeError:
                    pass
    return decode_text_notes(data, path)


def decode_text(data: bytes, path: Path | str) -> str:
    """Bytes -> str (see `decode_text_notes`)."""
    return decode_text_notes(data, path)[0]
