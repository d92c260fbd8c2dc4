import codecs
import json
import random
from pathlib import Path

import pytest

from diplograph.ingest import iter_documents
from diplograph.models import RawDocument, Skipped
from diplograph.settings import Settings

PAGES = Path(__file__).parent / "fixtures" / "pages"
ARTICLE = "France and Armenia signed a defence agreement in Paris on Monday, officials said.\n"


def read(paths, **settings) -> list[RawDocument | Skipped]:
    return list(iter_documents([str(p) for p in paths], Settings(**settings)))


def only(paths, **settings) -> RawDocument | Skipped:
    items = read(paths, **settings)
    assert len(items) == 1, items
    return items[0]


def test_folder_is_read_recursively_in_sorted_order_and_other_files_are_ignored(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ARTICLE)
    (tmp_path / "a.html").write_text(f"<html><body><p>{ARTICLE}</p></body></html>")
    (tmp_path / "c.md").write_text(ARTICLE)
    (tmp_path / "notes.csv").write_text("a,b\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    items = read([tmp_path])
    assert [Path(item.path).name for item in items] == ["a.html", "2.txt"]
    assert [item.kind for item in items] == ["html", "text"]


def test_missing_path_is_skipped():
    item = only(["/nonexistent/page.txt"])
    assert isinstance(item, Skipped) and "no such file" in item.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\n  ", "whitespace-only"),
        (b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 40, "zip archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x1f\x8b\x08\x00" + bytes(20), "gzip"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "PNG"),
        (b"abc\x00def\x00ghi" * 10, "NUL bytes"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "page.txt"
    path.write_bytes(content)
    item = only([path])
    assert isinstance(item, Skipped)
    assert reason in item.reason


def test_zip_disguised_as_html_is_binary(tmp_path):
    import zipfile

    path = tmp_path / "article.html"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("article.html", "<html><body>hello</body></html>")
    item = only([path])
    assert isinstance(item, Skipped) and item.reason == "binary file (a zip archive)"


def test_oversize_file_states_size_and_cap(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 100)
    item = only([path], max_file_bytes=1024)
    assert isinstance(item, Skipped)
    assert "8.0 KiB" in item.reason and "1.0 KiB cap" in item.reason


def test_undecodable_bytes_are_skipped(tmp_path):
    noise = random.Random(1)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(noise.randrange(128, 256) for _ in range(3000)))
    item = only([path])
    assert isinstance(item, Skipped) and item.reason.startswith("undecodable")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + ARTICLE.encode(), "utf-8-bom"),
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16-le-bom"),
        (ARTICLE.encode("utf-16-le"), "utf-16-le"),
        (ARTICLE.encode("utf-16-be"), "utf-16-be"),
        (ARTICLE.encode(), "utf-8"),
    ],
)
def test_encodings_are_detected_and_recorded(tmp_path, data, encoding):
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    item = only([path])
    assert isinstance(item, RawDocument)
    assert item.encoding == encoding
    assert item.content.strip() == ARTICLE.strip()


def test_cp1251_and_utf16_fixture_pages():
    russian = only([PAGES / "volga_vestnik_cp1251.txt"])
    assert russian.encoding == "cp1251" and "Россия и Казахстан" in russian.content
    utf16 = only([PAGES / "andes_wire_utf16.txt"])
    assert utf16.encoding == "utf-16-le" and utf16.content.startswith("Andes Wire")


def test_explicit_file_with_unknown_suffix_is_sniffed(tmp_path):
    html = tmp_path / "page.php"
    html.write_text(f"<!DOCTYPE html><html><head><title>x</title></head><body><p>{ARTICLE}</p></body></html>")
    text = tmp_path / "page.dat"
    text.write_text(ARTICLE)
    assert only([html]).kind == "html"
    assert only([text]).kind == "text"


def test_jsonl_broken_lines_are_skipped_and_valid_lines_come_through(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": ARTICLE, "url": "https://x.example/a", "outlet": "X", "published": "2023-10-06T10:00"}),
        "{not json",
        json.dumps({"url": "https://x.example/b"}),
        json.dumps({"text": 42}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"html": f"<html><body><p>{ARTICLE}</p></body></html>", "title": "T", "language": "en"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = read([path])
    by_path = {item.path.rsplit("#", 1)[1]: item for item in items}
    assert sorted(by_path) == ["L1", "L2", "L3", "L4", "L5", "L7"]
    first = by_path["L1"]
    assert isinstance(first, RawDocument) and first.kind == "text"
    assert (first.url, first.outlet, first.published) == ("https://x.example/a", "X", "2023-10-06")
    assert "invalid JSON" in by_path["L2"].reason
    assert "neither" in by_path["L3"].reason
    assert "'text' is int" in by_path["L4"].reason
    assert "not an object" in by_path["L5"].reason
    last = by_path["L7"]
    assert isinstance(last, RawDocument) and last.kind == "html" and last.title == "T" and last.language == "en"
