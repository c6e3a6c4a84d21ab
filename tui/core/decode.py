"""The one bytes -> str reader for articles and sources: decide the encoding as a browser would.

Order, after the WHATWG Encoding Standard and the HTML standard's "encoding sniffing algorithm":

1. a byte-order mark (UTF-8, UTF-16 LE/BE; UTF-32 for local files);
2. UTF-16 saved without a BOM (mostly-ASCII text with a NUL in every other byte: a file, not a web page);
3. the transport layer: the Content-Type header's `charset`;
4. for HTML: a `<meta charset>` or `<meta http-equiv="Content-Type">` anywhere in `<head>` (a browser
   re-decodes when a late declaration turns up, e.g. after kilobytes of inline CSS; comments, scripts
   and styles are not read), then an XML declaration's `encoding`;
5. valid UTF-8 is UTF-8 (a body cut at the size cap may end mid-character);
6. otherwise detection by charset-normalizer (given at least 16 non-ASCII bytes to go on), with
   windows-1252 (the web's legacy default) winning ties;
7. windows-1252 when nothing else is known.

Labels are mapped with the WHATWG table (`iso-8859-1`, `ascii` and `latin1` all mean windows-1252,
`shift_jis` means windows-31J, `gb2312` means GBK ...); an unknown label is ignored, and a `<meta>` that
claims UTF-16 means UTF-8 (a page whose meta tag could be read is not UTF-16). Undefined windows-1252
bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to the C1 control of the same number, as in browsers.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Decoded",
    "bom_encoding",
    "charset_from_content_type",
    "decode_bytes",
    "decode_html_bytes",
    "decode_text_bytes",
    "looks_binary",
    "meta_charset",
    "normalize_label",
    "sniff_encoding",
]

How = Literal["bom", "utf16-nul", "header", "meta", "xml", "utf-8", "detected", "default"]

# WHATWG Encoding Standard (encoding.spec.whatwg.org, "Encodings" table): Python codec -> labels.
_WHATWG: dict[str, tuple[str, ...]] = {
    "utf-8": ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"),
    "cp866": ("866", "cp866", "csibm866", "ibm866"),
    "iso8859-2": ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
                  "iso_8859-2:1987", "l2", "latin2"),
    "iso8859-3": ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
                  "iso_8859-3:1988", "l3", "latin3"),
    "iso8859-4": ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
                  "iso_8859-4:1988", "l4", "latin4"),
    "iso8859-5": ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
                  "iso_8859-5", "iso_8859-5:1988"),
    "iso8859-6": ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
                  "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596",
                  "iso_8859-6", "iso_8859-6:1987"),
    "iso8859-7": ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126",
                  "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"),
    "iso8859-8": ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138",
                  "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual", "csiso88598i",
                  "iso-8859-8-i", "logical"),
    "iso8859-10": ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"),
    "iso8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "iso8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "iso8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"),
    "iso8859-16": ("iso-8859-16",),
    "koi8-r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8-u": ("koi8-ru", "koi8-u"),
    "mac-roman": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "cp874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    "cp1250": ("cp1250", "windows-1250", "x-cp1250"),
    "cp1251": ("cp1251", "windows-1251", "x-cp1251"),
    "cp1252": ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
               "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
               "us-ascii", "windows-1252", "x-cp1252", "x-user-defined"),
    "cp1253": ("cp1253", "windows-1253", "x-cp1253"),
    "cp1254": ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
               "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"),
    "cp1255": ("cp1255", "windows-1255", "x-cp1255"),
    "cp1256": ("cp1256", "windows-1256", "x-cp1256"),
    "cp1257": ("cp1257", "windows-1257", "x-cp1257"),
    "cp1258": ("cp1258", "windows-1258", "x-cp1258"),
    "mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "gb18030": ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
                "iso-ir-58", "x-gbk", "gb18030"),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc_jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso2022_jp": ("csiso2022jp", "iso-2022-jp"),
    "cp932": ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"),
    "cp949": ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
              "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
    "utf-16-be": ("unicodefffe", "utf-16be"),
    "utf-16-le": ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"),
}  # fmt: skip
_LABELS = {label: codec for codec, labels in _WHATWG.items() for label in labels}
# Labels the standard maps to "replacement" (decoding would yield one U+FFFD): treated as unknown.
_REPLACEMENT = {"csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr", "replacement"}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with (files, not the web)
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEAD_SCAN_BYTES = 256 * 1024  # how far into a page a late <meta charset> is looked for
_DETECT_BYTES = 64 * 1024  # what charset-normalizer is shown of an undeclared page
_DETECT_MIN_HIGH_BYTES = 16  # below this many non-ASCII bytes there is too little to detect from
_HIGH_BYTES = re.compile(rb"[\x80-\xff]")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEAD_END = re.compile(rb"<body[\s>]|</head\s*>", re.IGNORECASE)
# Where a comment or an element whose content is not markup begins, and where each such element ends
_NOT_MARKUP_START = re.compile(rb"<!--|<(script|style|template|textarea|title)\b", re.IGNORECASE)
_NOT_MARKUP_END = {
    name: re.compile(rb"</" + name + rb"\s*>", re.IGNORECASE)
    for name in (b"script", b"style", b"template", b"textarea", b"title")
}
_META = re.compile(rb"<meta\b([^>]*)>?", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_XML_DECL = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)


def _cp1252_decode_error(err: UnicodeError) -> tuple[str, int]:
    # Python's cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; browsers map them to U+0081 etc.
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("sourcecheck-cp1252", _cp1252_decode_error)


@dataclass(frozen=True)
class Decoded:
    """A decoded body: the text (without BOM), the Python codec used and which rule chose it."""

    text: str
    encoding: str
    how: How


def normalize_label(label: str | None) -> str | None:
    """The Python codec for an encoding label (WHATWG table), or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").strip().lower()
    if label in _REPLACEMENT:
        return None
    codec = _LABELS.get(label)
    if codec is not None:
        return codec
    try:  # a label outside the web's table that Python still knows (e.g. "cp850" in a text file's header)
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The codec named by a Content-Type header's charset parameter, if it names a known one."""
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return normalize_label(m.group(1)) if m else None


def bom_encoding(body: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when the body starts with a byte-order mark."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    return None


def _utf16_without_bom(body: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: mostly-ASCII text has a NUL in every other byte."""
    sample = body[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _meta_declaration(attrs: bytes) -> str | None:
    """The label a <meta> tag declares (HTML standard, "prescan": charset=, or http-equiv + content)."""
    values: dict[bytes, bytes] = {}
    for m in _ATTR.finditer(attrs):
        name = m.group(1).lower()
        if name not in values:
            values[name] = m.group(2) or m.group(3) or m.group(4) or b""
    if b"charset" in values:
        return values[b"charset"].decode("ascii", "replace")
    if values.get(b"http-equiv", b"").strip().lower() == b"content-type":
        m = _HEADER_CHARSET.search(values.get(b"content", b"").decode("ascii", "replace"))
        return m.group(1) if m else None
    return None


def meta_charset(body: bytes) -> str | None:
    """The codec a `<meta>` declaration anywhere in the page's `<head>` names (None when none does).

    Comments, scripts, styles and the title are skipped (a `<meta>` quoted there declares nothing); the
    head ends at `</head>` or `<body>`, or after 256 KB.
    """
    head = _markup_only(body[:_HEAD_SCAN_BYTES])
    end = _HEAD_END.search(head)
    if end is not None:
        head = head[: end.start()]
    for m in _META.finditer(head):
        label = _meta_declaration(m.group(1))
        name = normalize_label(label)
        if name:
            # A meta tag can only be read if the bytes are ASCII-compatible, so a UTF-16 claim there is false.
            return "utf-8" if name.startswith("utf-16") else name
    return None


def _markup_only(head: bytes) -> bytes:
    """`head` with every comment and every script, style, template, textarea and title element (up to its
    end tag, or to the end) replaced by one space. A `str.find`/search per piece, not one pattern tried
    at every byte of a script."""
    out, pos = [], 0
    while True:
        m = _NOT_MARKUP_START.search(head, pos)
        if m is None:
            out.append(head[pos:])
            return b" ".join(out)
        out.append(head[pos : m.start()])
        if m.group(1) is None:  # a comment
            end = head.find(b"-->", m.end())
            pos = len(head) if end < 0 else end + 3
        else:
            end_tag = _NOT_MARKUP_END[m.group(1).lower()].search(head, m.end())
            pos = len(head) if end_tag is None else end_tag.end()


def xml_declaration(body: bytes) -> str | None:
    """The codec an XML declaration (`<?xml ... encoding="..."?>`) at the very start names."""
    m = _XML_DECL.match(body[:512])
    if not m:
        return None
    name = normalize_label(m.group(1).decode("ascii", "replace"))
    return "utf-8" if name and name.startswith("utf-16") else name


def _valid_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A body cut at the size cap may end mid-character: that alone does not make it non-UTF-8.
        return exc.start >= len(body) - 3
    return True


def _detect(body: bytes) -> str | None:
    """charset-normalizer's best guess for an undeclared, non-UTF-8 body; windows-1252 wins a tie.

    charset-normalizer cannot tell windows-1252 from windows-1250 on text whose bytes decode the same in
    both (it reports whichever it tried first); a browser uses windows-1252 there, and so do we.
    """
    from charset_normalizer import from_bytes  # imported lazily: only undeclared legacy pages need it

    sample = body[:_DETECT_BYTES]
    if len(_HIGH_BYTES.findall(sample, 0, _DETECT_BYTES)) < _DETECT_MIN_HIGH_BYTES:
        return None  # a few accented letters: any single-byte guess is a coin toss; the default decides
    if len(body) > _DETECT_BYTES:
        cut = sample.rfind(b"<")  # never cut a multi-byte character in half: '<' is never a trail byte
        sample = sample[:cut] if cut > _DETECT_BYTES // 2 else sample
    results = from_bytes(sample)
    best = results.best()
    if best is None:
        return None
    codec = normalize_label(best.encoding) or best.encoding
    for other in results:
        if normalize_label(other.encoding) == "cp1252" and other.chaos <= best.chaos:
            return "cp1252"
    if codec != "cp1252" and _decode(sample, codec) == _decode(sample, "cp1252"):
        return "cp1252"
    return codec


def _decode(body: bytes, codec: str) -> str:
    if codec == "cp1252":
        return body.decode("cp1252", errors="sourcecheck-cp1252")
    return body.decode(codec, errors="replace")


def _choose(body: bytes, content_type: str | None, html: bool) -> tuple[str, How]:
    declared = charset_from_content_type(content_type)
    if declared:
        return declared, "header"
    if html:
        declared = meta_charset(body)
        if declared:
            return declared, "meta"
    declared = xml_declaration(body)
    if declared:
        return declared, "xml"
    if _valid_utf8(body):
        return "utf-8", "utf-8"
    detected = _detect(body)
    if detected:
        return detected, "detected"
    return "cp1252", "default"


def decode_bytes(body: bytes, content_type: str | None = None, *, html: bool = True) -> Decoded:
    """Decode a body the way a browser would (the order is in the module docstring); never raises.

    `html` False skips the `<meta>` scan (text/plain, Markdown). Stray bytes the chosen codec cannot decode
    become U+FFFD.
    """
    bom = bom_encoding(body)
    if bom:
        return Decoded(_decode(body[bom[1] :], bom[0]), bom[0], "bom")
    if b"\x00" in body[:4096]:
        utf16 = _utf16_without_bom(body)
        if utf16:
            return Decoded(_decode(body, utf16), utf16, "utf16-nul")
    codec, how = _choose(body, content_type, html)
    return Decoded(_decode(body, codec), codec, how)


def sniff_encoding(body: bytes, content_type: str | None, *, html: bool = True) -> str:
    """The codec a browser would use for this body (see the module docstring for the order)."""
    return decode_bytes(body, content_type, html=html).encoding


def decode_html_bytes(body: bytes, content_type: str | None) -> str:
    """Decode an HTML body to text (BOM, header, meta/XML declaration, UTF-8, detection)."""
    return decode_bytes(body, content_type, html=True).text


def decode_text_bytes(body: bytes, content_type: str | None) -> str:
    """Decode a text/plain body (BOM, header, UTF-8, detection): no `<meta>` is looked for."""
    return decode_bytes(body, content_type, html=False).text


# Characters no text has many of: the WHATWG MIME Sniffing standard's "binary data bytes" (C0 controls but
# TAB, LF, FF, CR and ESC), DEL and the C1 controls (which no web text encoding maps letters to), and
# U+FFFD (bytes invalid in the encoding chosen).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]")
BINARY_SHARE = 0.02  # text files carry a stray control or two, not one character in fifty
BINARY_MIN = 16


def looks_binary(text: str) -> bool:
    """Whether `text`, decoded from a body, is really binary data (an image, random bytes, a compressed
    file) whatever the body was labelled: more than BINARY_SHARE of its characters (and at least
    BINARY_MIN) are binary data bytes, C1 controls or U+FFFD. Random bytes score about 25%; text, 0."""
    bad = len(_NOT_TEXT.findall(text))
    return bad >= BINARY_MIN and bad > BINARY_SHARE * len(text)
