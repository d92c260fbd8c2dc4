"""A generator of hostile input for `diplograph ingest`: over a thousand malformed, binary, oversized, badly encoded,
deeply nested or foreign-language files, with a few valid English pages among them.

    corpus = generate(tmp_path / "hostile")
    corpus.files            # every file written, absolute paths
    corpus.category[path]   # what each file is ("binary", "empty", "foreign", "english", ...)
    corpus.expected_reason  # path -> a substring the skip reason must contain
    corpus.jsonl_valid      # JSONL path -> line numbers of its valid records
    corpus.foreign          # paths of readable non-English pages (must be stored with coded = false)
    corpus.english          # paths of valid English pages (few: each is parsed)

Everything is deterministic (seeded) and written in well under ten seconds; the 50 MB file is one repeated block.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corpus"
BIG_FILE_BYTES = 50 * 1024 * 1024

SENTENCES = {
    "hy": [
        "Հայաստանի արտաքին գործերի նախարարը հանդիպել է Ֆրանսիայի դեսպանի հետ Երևանում։",
        "Կողմերը քննարկել են տարածաշրջանային անվտանգության հարցերը և երկկողմ համագործակցությունը։",
        "Նախարարը նշել է, որ Հայաստանը պատրաստ է շարունակել բանակցությունները Ադրբեջանի հետ։",
        "Հանդիպմանը մասնակցել են նաև երկու երկրների պատվիրակությունների անդամները։",
        "Եվրոպական միության դիտորդական առաքելությունը շարունակում է աշխատանքը սահմանին։",
        "Վարչապետը հայտարարել է, որ խաղաղության պայմանագիրը կարող է ստորագրվել մոտ ապագայում։",
        "Ֆրանսիան խոստացել է աջակցել Հայաստանի պաշտպանական կարողությունների զարգացմանը։",
        "Փորձագետները կարծում են, որ տարածաշրջանում իրավիճակը մնում է լարված։",
    ],
    "ru": [
        "Министр иностранных дел России провёл переговоры со своим армянским коллегой в Москве.",
        "Стороны обсудили вопросы региональной безопасности и двустороннего сотрудничества.",
        "По словам министра, Москва готова содействовать мирному урегулированию на Южном Кавказе.",
        "Армения приостановила своё участие в работе Организации Договора о коллективной безопасности.",
        "Европейский союз продлил мандат своей наблюдательной миссии на армяно-азербайджанской границе.",
        "Президент Азербайджана заявил, что мирный договор может быть подписан до конца года.",
        "Эксперты считают, что ситуация в регионе остаётся напряжённой и требует внимания.",
        "В переговорах также приняли участие представители Франции и Соединённых Штатов.",
    ],
    "az": [
        "Azərbaycan Respublikasının xarici işlər naziri Fransanın səfiri ilə görüşüb.",
        "Tərəflər regional təhlükəsizlik məsələlərini və ikitərəfli əməkdaşlığı müzakirə ediblər.",
        "Nazir bildirib ki, Azərbaycan sülh müqaviləsinin imzalanmasına hazırdır.",
        "Prezident Bakıda Avropa İttifaqının nümayəndə heyətini qəbul edib və bəyanat verib.",
        "Görüşdə iki ölkə arasında iqtisadi əlaqələrin inkişafı da müzakirə olunub.",
        "Ekspertlər hesab edirlər ki, regionda vəziyyət gərgin olaraq qalır.",
        "Xarici İşlər Nazirliyinin sözçüsü Fransanın mövqeyini kəskin tənqid edib.",
        "Danışıqlarda Rusiya və Türkiyənin nümayəndələri də iştirak ediblər.",
    ],
}
HEADLINES = {
    "hy": "Հայաստանը և Ֆրանսիան քննարկել են անվտանգության հարցեր",
    "ru": "Москва и Ереван обсудили региональную безопасность",
    "az": "Azərbaycan və Fransa regional təhlükəsizliyi müzakirə ediblər",
}
ENGLISH_EXTRA = "In a separate statement, officials said further talks were planned for the coming weeks (note {n})."
MAGIC = [
    b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b\x08", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0",
    b"GIF89a", b"BZh91AY", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07\x00", b"\x7fELF\x02\x01",
    b"MZ\x90\x00", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"SQLite format 3\x00", b"\x28\xb5\x2f\xfd",
]
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".text")


@dataclass
class HostileCorpus:
    root: Path
    files: list[Path] = field(default_factory=list)
    category: dict[Path, str] = field(default_factory=dict)
    expected_reason: dict[Path, str] = field(default_factory=dict)
    jsonl_valid: dict[Path, list[int]] = field(default_factory=dict)
    foreign: list[Path] = field(default_factory=list)
    english: list[Path] = field(default_factory=list)
    big_file: Path | None = None

    def counts(self) -> Counter[str]:
        return Counter(self.category.values())


class _Writer:
    def __init__(self, root: Path, seed: int):
        self.corpus = HostileCorpus(root)
        self.random = random.Random(seed)
        self.serial = 0

    def write(self, category: str, suffix: str, data: bytes | str, *, reason: str | None = None,
              name: str | None = None) -> Path:
        self.serial += 1
        folder = self.corpus.root / category
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (name or f"{self.serial:04d}_{category}{suffix}")
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.corpus.files.append(path)
        self.corpus.category[path] = category
        if reason:
            self.corpus.expected_reason[path] = reason
        return path

    def suffix(self, choices: tuple[str, ...] = SUFFIXES) -> str:
        return self.random.choice(choices)

    def noise(self, size: int) -> bytes:
        return self.random.randbytes(size)

    def foreign_text(self, language: str, n: int) -> tuple[str, list[str]]:
        """(headline, paragraphs) of a plausible article, distinct for each n."""
        sentences = SENTENCES[language][:]
        self.random.shuffle(sentences)
        paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
        paragraphs.append(f"{sentences[0]} ({n})")
        return f"{HEADLINES[language]} — {n}", paragraphs

    def foreign_page(self, language: str, n: int, html: bool) -> str:
        headline, paragraphs = self.foreign_text(language, n)
        if not html:
            return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (f"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{headline}</title>"
                f"</head><body><article><h1>{headline}</h1>{body}</article></body></html>")


def generate(root: Path, seed: int = 9) -> HostileCorpus:
    """Write the hostile corpus under `root` (created) and describe it."""
    root.mkdir(parents=True, exist_ok=True)
    w = _Writer(root, seed)
    _binary(w)
    _empty_and_whitespace(w)
    _big_file(w)
    _bombs(w)
    _foreign_pages(w)
    _encodings(w)
    _broken_html(w)
    _jsonl(w)
    _odd_text(w)
    _english(w)
    return w.corpus


# ---------------------------------------------------------------------------------------------- skip-worthy files
def _binary(w: _Writer) -> None:
    for _ in range(150):  # random blobs big enough to hold NUL or control bytes for certain
        w.write("binary", w.suffix(), w.noise(w.random.randint(1024, 8192)), reason="binary file")
    for magic in MAGIC:
        for _ in range(4):
            w.write("magic", w.suffix(), magic + w.noise(w.random.randint(16, 2048)), reason="binary file")
    for size in range(1, 41):  # tiny blobs: any outcome, as long as it is not a crash
        w.write("tiny_blob", w.suffix(), w.noise(size))


def _empty_and_whitespace(w: _Writer) -> None:
    for _ in range(40):
        w.write("empty", w.suffix(), b"", reason="empty file")
    spaces = [" ", "\t", "\n", "\r\n", "\f", "\v", "\u00a0", "\u3000", "\u2028", "\u2003", "\u202f"]
    for _ in range(60):
        text = "".join(w.random.choice(spaces) for _ in range(w.random.randint(1, 400)))
        w.write("whitespace", w.suffix(), text, reason="whitespace-only")
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # a BOM and nothing else
        w.write("whitespace", ".txt", bom, reason="whitespace-only")
    w.write("whitespace", ".txt", codecs.BOM_UTF16_LE + "  \n\t \n".encode("utf-16-le"), reason="whitespace-only")


def _big_file(w: _Writer) -> None:
    line = b"France and Armenia discussed regional security in Paris on Monday, officials said.\n"
    block = line * (1024 * 1024 // len(line) + 1)
    path = w.corpus.root / "big" / "big_50mb.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        written = 0
        while written < BIG_FILE_BYTES:
            chunk = block[: BIG_FILE_BYTES - written]
            out.write(chunk)
            written += len(chunk)
    w.corpus.files.append(path)
    w.corpus.category[path] = "big"
    w.corpus.expected_reason[path] = "50.0 MiB, over the 20.0 MiB cap"
    w.corpus.big_file = path


def _bombs(w: _Writer) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("index.html", "w") as member:
        zeros = bytes(1024 * 1024)
        for _ in range(64):  # 64 MiB of zeros, about 64 KiB zipped
            member.write(zeros)
    zipped = buffer.getvalue()
    gzipped = gzip.compress(bytes(16 * 1024 * 1024), compresslevel=9)
    for index in range(10):
        w.write("zip_bomb", ".html", zipped, reason="zip archive", name=f"bomb_{index}.html")
    for suffix in (".txt", ".htm", ".jsonl"):
        w.write("zip_bomb", suffix, zipped, reason="zip archive")
    for suffix in (".html", ".txt", ".jsonl"):
        w.write("gzip_bomb", suffix, gzipped, reason="gzip archive")


# ---------------------------------------------------------------------------------------------- foreign pages
def _foreign_pages(w: _Writer) -> None:
    for language in ("hy", "ru", "az"):
        for n in range(100):
            html = n % 3 == 0
            page = w.foreign_page(language, n, html)
            w.corpus.foreign.append(w.write(f"foreign_{language}", ".html" if html else ".txt", page))


def _encodings(w: _Writer) -> None:
    for n in range(30):  # Russian in cp1251 and KOI8-R, without BOM and without a declared charset
        headline, paragraphs = w.foreign_text("ru", 1000 + n)
        text = (headline + "\n\n" + "\n\n".join(paragraphs) + "\n").replace("—", "-")
        codec = "koi8_r" if n % 5 == 4 else "cp1251"
        w.corpus.foreign.append(w.write(f"legacy_{codec}", ".txt", text.encode(codec)))
    for n in range(10):
        headline, paragraphs = w.foreign_text("ru", 1100 + n)
        html = f"<html><body><h1>{headline}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
        html = html.replace("—", "-")
        w.corpus.foreign.append(w.write("legacy_cp1251", ".html", html.encode("cp1251")))
    for n in range(45):  # UTF-16 without BOM, both byte orders, all three languages
        language = ("hy", "ru", "az")[n % 3]
        codec = "utf-16-le" if n % 2 else "utf-16-be"
        page = w.foreign_page(language, 2000 + n, html=n % 4 == 0)
        w.corpus.foreign.append(w.write("utf16_no_bom", ".html" if n % 4 == 0 else ".txt", page.encode(codec)))
    for n in range(6):  # UTF-16 cut off in the middle of a code unit: any clear outcome
        page = w.foreign_page("ru", 2100 + n, html=False).encode("utf-16-le" if n % 2 else "utf-16-be")
        w.corpus.foreign.append(w.write("utf16_truncated", ".txt", page[: len(page) - 1 - 2 * n]))
    for n in range(60):  # UTF-8 cut inside a multi-byte character
        language = ("hy", "ru", "az")[n % 3]
        data = w.foreign_page(language, 3000 + n, html=n % 2 == 0).encode("utf-8")
        cut = len(data) - w.random.randint(1, 200)
        while cut > 0 and (data[cut] & 0xC0) != 0x80:  # land on a continuation byte
            cut -= 1
        w.corpus.foreign.append(w.write("utf8_truncated", ".html" if n % 2 == 0 else ".txt", data[:cut]))
    for n in range(20):  # UTF-8 with stray invalid bytes in the middle
        data = bytearray(w.foreign_page(("hy", "ru", "az")[n % 3], 4000 + n, html=False).encode("utf-8"))
        for _ in range(1 + n % 3):
            data.insert(w.random.randint(0, len(data)), w.random.choice([0xFF, 0xC0, 0xFE, 0x80]))
        w.corpus.foreign.append(w.write("utf8_invalid_bytes", ".txt", bytes(data)))


# ---------------------------------------------------------------------------------------------- broken HTML
def _broken_html(w: _Writer) -> None:
    for n in range(50):  # unclosed tags, cut mid-tag, stray closers
        language = ("hy", "ru", "az")[n % 3]
        headline, paragraphs = w.foreign_text(language, 5000 + n)
        title = "<title>" + headline + ("</title>" if n % 10 else "")  # one in ten leaves even <title> open
        parts = ["<html><head>" + title, "<body><div class=\"content\"><h1>" + headline]
        parts += [f"<p><b><i>{p}" for p in paragraphs]
        page = "".join(parts) + w.random.choice(["", "</div></span></table>", "<div class=\"ar", "<!--", "<script>"])
        path = w.write("html_unclosed", ".html", page, reason=None if n % 10 else "HTML page has no article body")
        if n % 10:
            w.corpus.foreign.append(path)
    for depth in (1000, 5000, 5000, 10000, 50000):
        language = ("hy", "ru", "az")[depth % 3]
        text = " ".join(w.foreign_text(language, depth)[1])
        page = "<html><body>" + "<div>" * depth + f"<p>{text}</p>" + "</div>" * depth + "</body></html>"
        deep = "nested more than 256 levels deep"
        w.write("html_deep", ".html", page, reason=deep)
        w.write("html_deep", ".html", "<html><body>" + "<span><b>" * depth + text, reason=deep)  # and unclosed
    bodies = [
        "<script>var a = 1; document.write('<p>' + a + '</p>');</script>",
        "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"headline\": \"x\"}</script>",
        "<style>body { color: red } p::after { content: 'text' }</style>",
        "<noscript>Please enable JavaScript.</noscript>",
        "<!-- the article was here -->",
        "<iframe src=\"https://example.org/embed\"></iframe>",
        "<img src=\"a.png\"><img src=\"b.png\">",
        "<svg><text>chart</text></svg>",
        "<template><p>never shown</p></template>",
        "",
    ]
    for n in range(40):
        body = bodies[n % len(bodies)] * (1 + n // len(bodies))
        w.write("html_script_only", ".html", f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body>"
                                              "</html>")
    for n, page in enumerate([
        "<html>", "</html>", "<>", "<<<<>>>>", "<html><body></body></html>", "<!DOCTYPE html>",
        "<?xml version=\"1.0\"?><html/>", "<html><body>" + "&amp;" * 5000 + "</body></html>",
        "<html><body>" + "&#0;&#xD800;&#x110000;&#99999999999;" * 50 + "</body></html>",
        "<html><body><p>" + "x" * 300_000 + "</p></body></html>",
        "<html><head><meta charset=\"x-no-such-charset\"></head><body><p>Ок</p></body></html>",
        "<html><head><meta charset=\"utf-16\"></head><body><p>" + SENTENCES["ru"][0] + "</p></body></html>",
        "<html><body>" + "<p>" + "<a href='#'>link</a> " * 3000 + "</p></body></html>",
        "<html><body><table>" + "<tr><td>cell</td></tr>" * 3000 + "</table></body></html>",
        "<frameset><frame src='a'></frameset>",
        "<html><body>" + "]]><![CDATA[" * 100 + "</body></html>",
    ]):
        w.write("html_odd", ".html", page, name=f"odd_{n:02d}.html")


# ---------------------------------------------------------------------------------------------- JSONL
def _record(lines: list[str], valid: list[int], ascii_only: bool, text: str, **extra: object) -> None:
    lines.append(json.dumps({"text": text, **extra}, ensure_ascii=ascii_only))
    valid.append(len(lines))


def _jsonl(w: _Writer) -> None:
    english = _english_texts()
    english_left = 4  # valid English JSONL records: each is parsed
    for n in range(20):
        lines: list[str] = []
        valid: list[int] = []
        ascii_only = n % 2 == 0

        for k in range(4):
            language = ("hy", "ru", "az")[(n + k) % 3]
            headline, paragraphs = w.foreign_text(language, 6000 + 10 * n + k)
            extra = {"title": headline, "url": f"https://example.org/{n}/{k}", "published": "2023-10-0" + str(k + 1)}
            if k == 1:
                extra["language"] = language
            if k == 2:
                extra.update(outlet=None, published="not a date at all")
            _record(lines, valid, ascii_only, "\n\n".join(paragraphs), **extra)
        if english_left:
            english_left -= 1
            text = english[n % len(english)] + "\n\n" + ENGLISH_EXTRA.format(n=f"jsonl {n}")
            _record(lines, valid, ascii_only, text, outlet="Test Wire")
        broken = [
            '{"text": "unterminated',
            '{"text": ' + '"' + SENTENCES["ru"][0] + '", ',
            "{'text': 'single quotes'}",
            '{"text": 42}',
            '{"text": ["a", "list"]}',
            '{"text": "' + SENTENCES["az"][1] + '", "title": 7}',
            '{"html": {"nested": true}}',
            '{"text": "' + SENTENCES["hy"][2] + '", "published": 20231001}',
            '{"text": "' + SENTENCES["ru"][3] + '", "language": false}',
            "[1, 2, 3]",
            "null",
            "42",
            '"just a string"',
            "{}",
            '{"text": "   "}',
            '{"text": "", "html": ""}',
            "NaN",
            "{" * 50_000,
            "[" * 100_000 + "]" * 100_000,
            '{"text": "a"} trailing',
            "\x00\x01\x02",
            '{"text": "' + SENTENCES["ru"][0] + '", "extra": 1' + "0" * 5000 + "}",
            '{"text": "x"}{"text": "y"}',
        ]
        w.random.shuffle(broken)
        for bad in broken[: 6 + n % 8]:
            lines.append(bad)
            lines.append(w.random.choice(["", "   ", "\t"]))  # blank lines are not records
        data = "\n".join(lines) + ("\n" if n % 3 else "")
        path = w.write("jsonl", ".jsonl", data)
        w.corpus.jsonl_valid[path] = valid
    # Lines that are not UTF-8 (cp1251, stray bytes, NUL bytes) among valid ones: only those lines are skipped.
    good = [json.dumps({"text": "\n\n".join(w.foreign_text(language, 6500 + i)[1])}, ensure_ascii=False).encode()
            for i, language in enumerate(("ru", "hy", "az"))]
    bad = [('{"text": "' + SENTENCES["ru"][0] + '"}').encode("cp1251"), b'{"text": "\xff\xfe"}', b"\x00\x00\x00"]
    path = w.write("jsonl", ".jsonl", b"\n".join([good[0], bad[0], good[1], bad[1], bad[2], good[2]]) + b"\n",
                   name="not_utf8_lines.jsonl")
    w.corpus.jsonl_valid[path] = [1, 3, 6]
    # Valid JSON with hostile values: lone surrogates, NUL characters, huge numbers.
    hostile_values = [
        {"text": SENTENCES["ru"][0] + " \ud800 " + SENTENCES["ru"][1], "title": "\udfff"},
        {"text": SENTENCES["az"][0] + "\u0000" + SENTENCES["az"][2]},
        {"text": SENTENCES["hy"][0] + " " + SENTENCES["hy"][3], "extra": 1e308, "more": [[[[[]]]]]},
        {"html": "<html><body><p>" + " ".join(SENTENCES["ru"][:4]) + "</p></body></html>", "url": "not a url"},
        {"text": " ".join(SENTENCES["ru"][2:6]), "url": "http://[::1", "outlet": "\u202e\u0000"},
        {"text": " ".join(SENTENCES["hy"][1:5]), "published": "31.02.2023"},
        {"text": " ".join(SENTENCES["az"][3:7]), "language": "../../etc/passwd"},
        {"text": " ".join(SENTENCES["ru"][4:8]), "language": "zz-not-a-language"},
    ]
    lines = [json.dumps(value) for value in hostile_values]
    path = w.write("jsonl", ".jsonl", "\n".join(lines) + "\n", name="hostile_values.jsonl")
    w.corpus.jsonl_valid[path] = list(range(1, len(lines) + 1))


# ---------------------------------------------------------------------------------------------- odd text
def _odd_text(w: _Writer) -> None:
    ru = " ".join(SENTENCES["ru"])
    pages = {
        "one_long_line": (ru + " ") * 2000,
        "many_short_lines": "\n".join(f"{i}" for i in range(50_000)),
        "punctuation": "!?.,;:-—()[]{}«»" * 2000,
        "emoji": "🇦🇲🇦🇿🇷🇺 🔥💥🕊️ " * 500,
        "zero_width": "\u200b\u200c\u200d\u2060\ufeff" * 1000,
        "combining_flood": "Z" + "\u0300\u0301\u0302\u0303\u0304" * 5000,
        "rtl_override": "\u202e" + ru + "\u202c",
        "mixed_scripts": "\n".join(SENTENCES["hy"][i] + " " + SENTENCES["ru"][i] + " " + SENTENCES["az"][i]
                                   for i in range(8)),
        "ansi_escapes": "\x1b[31m" + ru + "\x1b[0m\n" + "\x1b[1m" + ru,
        "some_controls": ru + "\x01\x02\x03" + ru,
        "html_in_txt": "<html><body><p>" + ru + "</p></body></html>",
        "markdown_images": "![a](b.png)\n" * 300 + ru,
        "only_urls": "\n".join(f"https://example.org/{i}" for i in range(500)),
        "only_dates": "\n".join(f"{1 + i % 28} October 2023" for i in range(300)),
        "date_traps": "Published: 31.02.2023\n29/02/2023\n2023-13-45\n00.00.0000\n" + ru,
        "cp1252_quotes": "“Smart quotes” – déjà vu — naïve café ",
        "private_use": "\ue000\uf8ff" * 1000,
        "nonchars": "\ufffe\uffff\U0010ffff" * 500,
        "surrogate_bytes": "",  # replaced below by CESU-8 bytes
        "utf32_bom_junk": "",  # replaced below
    }
    for name, text in pages.items():
        if name == "surrogate_bytes":
            w.write("odd_text", ".txt", b"\xed\xa0\x80\xed\xbf\xbf " * 200 + ru.encode("utf-8"), name=f"{name}.txt")
        elif name == "utf32_bom_junk":
            w.write("odd_text", ".txt", codecs.BOM_UTF32_LE + b"\xff\xff\xff\xff" * 50, name=f"{name}.txt",
                    reason="starts with a UTF-32-LE byte-order mark but is not valid UTF-32-LE")
        else:
            w.write("odd_text", ".txt", text, name=f"{name}.txt")
    # English over the parser's limit (2.3 MB, under the file cap): skipped with a reason, not a parser crash.
    paragraph = ("France and Armenia discussed regional security in Paris on Monday, officials said, and talks will "
                 "continue next week in Yerevan (paragraph {}).")
    w.write("odd_text", ".txt", "\n\n".join(paragraph.format(i) for i in range(16_000)), name="long_english.txt",
            reason="characters, over the 1,000,000 the parser takes")
    names = ["name with spaces.txt", "имя файла.txt", "-starts-with-dash.txt", ".hidden.txt", "UPPER.HTML",
             "x" * 200 + ".txt", "semi;colon'quote\".txt", "percent%20name.htm"]
    for n, name in enumerate(names):
        w.corpus.foreign.append(w.write("odd_names", "", w.foreign_page("ru", 7000 + n, False), name=name))
    (w.corpus.root / "odd_names" / "not_a_file.html").mkdir()  # a folder with an input suffix
    (w.corpus.root / "odd_names" / "dangling.txt").symlink_to(w.corpus.root / "no" / "such" / "file.txt")


# ---------------------------------------------------------------------------------------------- valid English
def _english_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]


def _english(w: _Writer) -> None:
    """The only English pages of the corpus besides a few JSONL records: the example articles, varied."""
    for n, path in enumerate(sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.html"))):
        text = path.read_text(encoding="utf-8")
        extra = ENGLISH_EXTRA.format(n=n)
        if path.suffix == ".html":
            text = text.replace("</article>", f"<p>{extra}</p></article>", 1)
            if extra not in text:
                text = text.replace("</body>", f"<p>{extra}</p></body>", 1)
        else:
            text = text.rstrip("\n") + "\n\n" + extra + "\n"
        data: bytes = text.encode("utf-8")
        if n == 3:
            data = text.encode("utf-16-le")  # English in UTF-16 without BOM
        elif n == 4:
            data = codecs.BOM_UTF8 + data
        w.corpus.english.append(w.write("english", path.suffix, data, name=f"{n:02d}_{path.name}"))


if __name__ == "__main__":
    import sys
    import tempfile
    import time

    started = time.perf_counter()
    corpus = generate(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "hostile")
    print(f"{len(corpus.files)} files in {time.perf_counter() - started:.1f} s under {corpus.root}")
    for category, count in sorted(corpus.counts().items()):
        print(f"  {category:20s} {count}")
