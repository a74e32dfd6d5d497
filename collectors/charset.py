"""Works out the real character encoding of a feed body and hands the parser clean UTF-8.
Publishers get this wrong in two common ways that matter for Central Asian news: Cyrillic feeds
in windows-1251 with no or a wrong declaration, and UTF-8 feeds that a web server labels
latin-1 by default. Trusting the labels blindly turns Russian text into mojibake, so the bytes
themselves are checked first: valid UTF-8 with non-ASCII characters is taken as UTF-8 whatever
the label says, and single-byte text whose accented runs look like whole words is taken as
windows-1251."""

from __future__ import annotations

import codecs
import re

_XML_DECLARATION = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])([A-Za-z0-9._:-]+)\2")
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LATIN_FAMILY = frozenset({"latin_1", "iso8859-1", "cp1252", "iso8859-15", "ascii"})
_HIGH_RUN = re.compile(rb"[\xc0-\xff\xa8\xb8]{3,}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def http_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return match.group(1) if match else None


def _looks_cyrillic(body: bytes) -> bool:
    # Cyrillic in windows-1251 puts whole words in the 0xC0-0xFF range; accented Latin text has
    # isolated high bytes between ASCII letters.
    high = len(_HIGH_BYTE.findall(body))
    if high == 0:
        return False
    in_runs = sum(len(run) for run in _HIGH_RUN.findall(body))
    return in_runs * 2 > high


def choose_encoding(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """The codec to decode ``body`` with, and a note when the declared charset was wrong."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, None
    match = _XML_DECLARATION.match(body[:300])
    declared_label = match.group(3).decode("ascii") if match else http_charset(content_type)
    declared = _codec_name(declared_label)
    if body.isascii():
        return "utf-8", None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared and declared != "utf-8":
            return "utf-8", f"declared as {declared_label} but the bytes are UTF-8"
        return "utf-8", None
    if declared is None or declared == "utf-8" or declared in _LATIN_FAMILY:
        if _looks_cyrillic(body):
            said = f"declared as {declared_label}" if declared_label else "no charset declared"
            return "cp1251", f"{said}; the bytes look like windows-1251 Cyrillic"
        if declared is None or declared == "utf-8":
            said = "not valid UTF-8" if declared else "no charset declared"
            return "cp1252", f"{said}; read as windows-1252"
    return declared, None


def to_utf8(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """``body`` re-encoded as UTF-8 with its XML declaration saying so, plus any charset note."""
    encoding, note = choose_encoding(body, content_type)
    if encoding == "utf-8" and not body.startswith(codecs.BOM_UTF8) and note is None:
        return body, None
    text = body.decode(encoding, errors="replace").lstrip("\ufeff")
    data = text.encode("utf-8")
    data = _XML_DECLARATION.sub(rb"\1\2utf-8\2", data, count=1)
    return data, note
