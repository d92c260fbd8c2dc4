"""Reading input files into RawDocuments: folders, text, HTML and JSONL; bad inputs become Skipped with a reason."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .dates import parse_date_text
from .models import RawDocument, Skipped
from .settings import Settings

MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
SNIFF_BYTES = 65536
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_HTML_TAGS = re.compile(r"<(?:html|head|body|article|div|p|title|meta|span|section|main)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[A-Za-z!/?]")
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
JSONL_FIELDS = ("text", "html", "url", "outlet", "published", "title", "language")


def iter_documents(paths: Iterable[str | Path], settings: Settings) -> Iterator[RawDocument | Skipped]:
    """Documents from files and folders (recursive, sorted), in order; unusable inputs come out as Skipped."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in _folder_files(path, settings.input_suffixes):
                yield from _read_path(child, settings, explicit=False)
        elif path.exists():
            yield from _read_path(path, settings, explicit=True)
        else:
            yield Skipped(str(given), "no such file or folder")


def _folder_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    wanted = {s.lower() for s in suffixes}
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in wanted)


def _read_path(path: Path, settings: Settings, explicit: bool) -> Iterator[RawDocument | Skipped]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            yield Skipped(
                name, f"file is {_human(size)}, over the {_human(settings.max_file_bytes)} cap (max_file_bytes)"
            )
            return
        data = path.read_bytes()
    except OSError as err:
        yield Skipped(name, f"cannot read the file: {err.strerror or err}")
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl" and _jsonl_despite_problem(data):
        yield from _jsonl_file(name, data)
        return
    problem = bytes_problem(data)
    if problem:
        yield Skipped(name, problem)
        return
    decoded = decode_bytes(data)
    if decoded is None:
        yield Skipped(name, undecodable_reason(data))
        return
    text, encoding = decoded
    if not text.strip():
        yield Skipped(name, "whitespace-only file")
        return
    if suffix == ".jsonl":
        yield from _jsonl_documents(name, text, encoding)
        return
    if suffix in HTML_SUFFIXES and not _ANY_TAG.search(text, 0, SNIFF_BYTES):
        kind = "text"  # plain text saved as .html: an HTML parser would find no body in it
    elif suffix in HTML_SUFFIXES or (suffix not in settings.input_suffixes and looks_like_html(text)):
        kind = "html"
    else:
        kind = "html" if _HTML_START.match(text.encode("utf-8", "ignore")[:4096]) else "text"
    yield RawDocument(path=name, kind=kind, content=text, encoding=encoding)


def _human(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


def bytes_problem(data: bytes) -> str | None:
    """Why these bytes cannot be a text or HTML page (empty, binary), or None if they may be one."""
    if not data:
        return "empty file (0 bytes)"
    for magic, what in MAGIC_NUMBERS:
        if data.startswith(magic):
            return f"binary file ({what})"
    if any(data.startswith(bom) for bom, _ in BOMS) or _utf16_without_bom(data):
        return None
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        return "binary file (contains NUL bytes)"
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\v\x1b") + sample.count(b"\x7f")
    if controls / len(sample) > 0.05:
        return f"binary file ({controls / len(sample):.0%} control characters)"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes sit almost only on one side of each byte pair, as in UTF-16."""
    sample = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if max(even, odd) < pairs * 0.1 or min(even, odd) > max(even, odd) * 0.05:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    text = _utf16_text(data, encoding)
    return encoding if text is not None and _mostly_printable(text[:4096]) else None


def _utf16_text(data: bytes, encoding: str) -> str | None:
    """UTF-16 text; a file cut short (an odd byte, half a surrogate pair at the end) loses only its last character."""
    data = data[: len(data) - len(data) % 2]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 2:
            return data[: err.start].decode(encoding, "replace")
        return None


def _mostly_printable(text: str) -> bool:
    bad = sum(1 for char in text if not (char.isprintable() or char in "\t\n\r\f\v"))
    return bad <= len(text) * 0.02


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """(text, encoding): BOM, then strict UTF-8, UTF-16 without BOM, a declared HTML charset, charset-normalizer,
    and last UTF-8 with a few invalid bytes replaced. A file cut inside its last character loses that character."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding + "-bom"
            except UnicodeDecodeError:
                return None
    # NUL bytes are valid UTF-8 but never occur in real text, while UTF-16 is full of them.
    utf16 = _utf16_without_bom(data) if b"\x00" in data[:SNIFF_BYTES] else None
    if utf16:
        return _utf16_text(data, utf16) or "", utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if err.end == len(data) and err.reason == "unexpected end of data":  # cut inside the last character
            return data[: err.start].decode("utf-8"), "utf-8"
    return _declared_charset(data) or _detected_charset(data) or _mostly_utf8(data)


def undecodable_reason(data: bytes) -> str:
    """Why decode_bytes found no text in `data`."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return f"undecodable: starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}"
    return "undecodable: not UTF-8, UTF-16 or any encoding charset-normalizer recognises"


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few stray invalid bytes (at most 1 character in 100 replaced), each replaced by U+FFFD."""
    text = data.decode("utf-8", "replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    if invalid * 100 > len(text) or not _mostly_printable(text[:4096]):
        return None
    return text, "utf-8"


def _declared_charset(data: bytes) -> tuple[str, str] | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        encoding = codecs.lookup(match.group(1).decode("ascii")).name
        return data.decode(encoding), encoding
    except (LookupError, UnicodeDecodeError):
        return None


def _detected_charset(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    if not _mostly_printable(text[:4096]):
        return None
    return text, best.encoding


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_START.match(head.encode("utf-8", "ignore"))) or len(_HTML_TAGS.findall(head)) >= 3


def _jsonl_despite_problem(data: bytes) -> bool:
    """True for a JSONL file that whole-file checks would reject or misread for a few bad lines (NUL bytes, control
    characters, invalid UTF-8): no byte-order mark, not UTF-16, no archive or image signature, but mostly UTF-8
    lines and at least one JSON object among them. Such a file is read line by line; only its bad lines are
    skipped."""
    if not data or any(data.startswith(magic) for magic, _ in (*MAGIC_NUMBERS, *BOMS)):
        return False
    if _utf16_without_bom(data):
        return False
    try:
        data.decode("utf-8")
        if bytes_problem(data) is None:
            return False  # the ordinary path reads it
    except UnicodeDecodeError:
        pass
    lines = [line for line in data.split(b"\n") if line.strip()]
    utf8, objects = 0, 0
    for line in lines:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        utf8 += 1
        if not objects and text.lstrip().startswith("{"):
            objects += not _jsonl_record(text)[1]
    return objects > 0 and utf8 * 2 > len(lines)


def _jsonl_file(name: str, data: bytes) -> Iterator[RawDocument | Skipped]:
    # Invalid UTF-8 bytes become lone surrogates here, and their lines are skipped (_jsonl_record).
    yield from _jsonl_documents(name, data.decode("utf-8", "surrogateescape"), "utf-8")


def _jsonl_documents(name: str, text: str, encoding: str) -> Iterator[RawDocument | Skipped]:
    # Split on "\n" only: str.splitlines would also split on U+2028 and friends inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}#L{number}"
        record, problem = _jsonl_record(line)
        if problem:
            yield Skipped(where, problem)
            continue
        yield _record_document(where, record, encoding)


def _jsonl_record(line: str) -> tuple[dict, str | None]:
    if _LONE_SURROGATE.search(line):  # only from bytes that are not UTF-8 (_jsonl_file): JSON escapes are ASCII
        return {}, "line is not valid UTF-8"
    if "\x00" in line:
        return {}, "line contains NUL bytes"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return {}, f"invalid JSON: {err.msg} (column {err.colno})"
    except RecursionError:
        return {}, "unreadable JSON: nested too deeply"
    except ValueError as err:  # valid JSON Python will not read, e.g. an integer of more than 4300 digits
        return {}, f"unreadable JSON: {str(err).split(':')[0]}"
    if not isinstance(record, dict):
        return {}, f"line is a JSON {type(record).__name__}, not an object"
    for field in JSONL_FIELDS:
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            return {}, f"field {field!r} is {type(value).__name__}, expected a string"
    if not (record.get("text") or "").strip() and not (record.get("html") or "").strip():
        return {}, "line has neither a non-empty 'text' nor 'html' field"
    # JSON may escape lone surrogates ("\ud800"), which no UTF-8 text can hold: replace them.
    return {key: _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value
            for key, value in record.items()}, None


def _record_document(where: str, record: dict, encoding: str) -> RawDocument:
    has_text = bool((record.get("text") or "").strip())
    published = record.get("published")
    return RawDocument(
        path=where,
        kind="text" if has_text else "html",
        content=record["text"] if has_text else record["html"],
        encoding=encoding,
        url=_clean(record.get("url")),
        title=_clean(record.get("title")),
        outlet=_clean(record.get("outlet")),
        published=parse_date_text(published) if published else None,
        language=_language_code(record.get("language")),
    )


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _language_code(value: str | None) -> str | None:
    """'en', 'EN', 'en-US', 'en_GB' -> 'en'; a value that is no language code is ignored (the cleaner detects)."""
    primary = re.split(r"[-_]", (value or "").strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None
