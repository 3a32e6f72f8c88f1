"""Reposts of the real outlet pages in ``../shared/corpus/news`` (``modern/``: 2015–2025 markup,
~30 outlets in Taiwan, mainland China, Hong Kong and elsewhere; ``tw/``: Taiwanese outlets,
2005–2014 markup), checked against the pages.

What each page says is read from ``truth/<corpus>.toml``: the article's paragraphs as the
page's own elements (never linker's extraction), which of them are not prose (captions,
bylines, notices), the headline, reporters, editors and publish day (for ``tw/``, from the
corpus's own truth.json).  From it every page gets the posts PTT users write, each with the
outcome a careful reader expects:

- ``faithful`` — the Stock template, the true reporter, the article as a browser shows it
  without captions, wrapped at 78 columns, punctuation typed half width, mainland pages
  converted to Taiwan's script;
- ``placeholder`` — the same with 記者署名 written as posters write "not given" (未註明, 無…):
  faithful, and the reporter check never a mismatch;
- ``gossiping`` — the Gossiping template (媒體來源 … 備註);
- ``as-shown`` — the headline on top and the captions, credits and notices between the
  paragraphs, as copied from the browser;
- ``cut`` — the first half of the article: no added text;
- ``added``, ``number``, ``dropped`` (a middle paragraph), ``dropped-last`` (the last
  paragraph), ``title`` (震驚 inserted) — edited;
- ``reporter-wrong`` (a name nowhere on the page) — a reporter mismatch; ``editor`` (the
  page's editor as the reporter) — at most a warning.

The pages are third-party data read from the shared corpus, never copied into the repository.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from linker.check import analyse
from linker.compare.normalise import convert, fold
from linker.models import Article, Document, Report
from linker.ptt.parse import parse_document
from linker.source.extract import extract_article

from .reposts import FOLD, gossiping_post, is_simplified, stock_post

ROOT = Path(__file__).resolve().parent.parent
NEWS = Path(os.environ.get("LINKER_SHARED", ROOT.parent / "shared")) / "corpus" / "news"
TRUTH = Path(__file__).resolve().parent / "truth"
CORPORA = ("modern", "tw")
OPINION = "這根本是政治操作，大家心裡有數。"
WRONG_REPORTER = "司馬中原"
PLACEHOLDERS = ("未註明", "無", "不詳", "N/A", "-", "", "略", "沒有", "未提供", "無署名")
"""What posters write in 記者署名 when the page names no reporter, or when they do not say."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    prose: bool
    """False for captions, bylines, credits and notices (the truth's ``skip``)."""


@dataclass(frozen=True)
class Page:
    """One corpus page with what a careful reader takes from it."""

    name: str
    doc: Document
    paragraphs: tuple[Paragraph, ...]
    headline: str
    reporters: tuple[str, ...] | None
    """None where the truth does not say."""
    credits: tuple[str, ...]
    editors: tuple[str, ...]
    published: str
    outlet: str
    simplified: bool

    @property
    def body(self) -> list[str]:
        return [p.text for p in self.paragraphs if p.prose]


@dataclass(frozen=True)
class Case:
    """A post built from a page and what a careful reader expects linker to say."""

    page: str
    kind: str
    post: str
    expect: str
    """``faithful``, ``edited``, ``cut``, ``title``, ``reporter`` or ``editor``."""


def outlet(name: str) -> str:
    """The outlet a corpus file belongs to (its name without the sample number)."""
    return re.sub(r"_s?\d+(?:\.html)?$", "", name)


def _decode(content: bytes, charset: str | None) -> str:
    if charset:
        return content.decode(charset)
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", content[:8192], re.I)
    declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    declared = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}.get(declared, declared)
    return content.decode(declared, errors="replace")


def _expected(name: str) -> dict[str, Any]:
    path = NEWS / "modern" / f"{name}.expected.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return dict(data.get("parsed_data", data))


def _first(value: object) -> str:
    if isinstance(value, list):
        return _first(value[0]) if value else ""
    return str(value or "")


def _clean(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", " ", text).strip()


def _lines(el: Any) -> list[str]:
    """An element's text split where a browser breaks lines (<br> and block elements)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in ("script", "style"):
            return
        if tag in ("br", "p", "div", "h2", "h3", "li"):
            parts.append("\n")
        if node.text and isinstance(node.tag, str):  # (comments are not shown)
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in ("p", "div", "h2", "h3", "li"):
            parts.append("\n")

    walk(el)
    return [_clean(x) for x in "".join(parts).split("\n") if _clean(x)]


def _paragraphs(name: str, html: str, entry: dict[str, Any]) -> list[str]:
    import lxml.html

    body = str(entry["body"])
    if body == "expected":
        data = _expected(name)
        text = _first(data.get("text")) if not isinstance(data.get("text"), list) else \
            "\n".join(str(t) for t in data["text"])
        return [_clean(p) for p in re.split(r"\n+|\s{2,}|(?<=[。」])\s+", text) if _clean(p)]
    root = lxml.html.document_fromstring(html)
    # What a browser never shows is not part of anyone's reading of the page.
    for el in list(root.iter("script", "style", "noscript", "template")):
        if el.getparent() is not None:
            el.drop_tree()
    if entry.get("lines"):
        return [line for el in root.xpath(body) for line in _lines(el)]
    found = [_clean(el.text_content()) for el in root.xpath(body)]
    return [p for p in found if p]


def _url(html: str, name: str) -> str:
    for pattern in (r"<meta[^>]+property=[\"']og:url[\"'][^>]+content=[\"']([^\"']+)",
                    r"<link[^>]+rel=[\"']canonical[\"'][^>]+href=[\"']([^\"']+)"):
        m = re.search(pattern, html, re.I)
        if m and m.group(1).startswith("http"):
            return m.group(1)
    return f"https://news.example.com/{name}"


def pages(corpus: str = "modern") -> list[Page]:
    """The pages of ``corpus`` (``modern`` or ``tw``) with their truth (empty when the shared
    corpus is absent)."""
    folder = NEWS / corpus
    if not folder.is_dir():
        return []
    truth = tomllib.loads((TRUTH / f"{corpus}.toml").read_text(encoding="utf-8"))
    known: dict[str, dict[str, Any]] = {}
    if (folder / "truth.json").exists():  # tw/: the originating project's assertions
        known = {str(e["file"]).removesuffix(".html"): e
                 for e in json.loads((folder / "truth.json").read_text(encoding="utf-8"))}
    out = []
    for name, entry in truth.items():
        entry = {**_from_known(known.get(name)), **entry}
        content = (folder / f"{name}.html").read_bytes()
        html = _decode(content, entry.get("charset"))
        found = _paragraphs(name, html, entry)
        skip = set(entry.get("skip", []))
        paragraphs = tuple(Paragraph(p, i not in skip) for i, p in enumerate(found))
        headline = str(entry["headline"])
        if headline == "expected":
            headline = _first(_expected(name).get("title"))
        url = str(entry.get("url") or _url(html, name))
        text = "".join(p.text for p in paragraphs)
        reporters = entry.get("reporters")
        out.append(Page(
            name=name,
            doc=Document(origin=name, content=content, url=url, final_url=url, status=200,
                         charset=entry.get("charset")),
            paragraphs=paragraphs, headline=_clean(headline),
            reporters=None if reporters is None else tuple(reporters),
            credits=tuple(entry.get("credits", [])), editors=tuple(entry.get("editors", [])),
            published=str(entry.get("published") or ""), outlet=str(entry.get("outlet") or ""),
            simplified=is_simplified(text)))
    return out


def _from_known(entry: dict[str, Any] | None) -> dict[str, Any]:
    """A truth.json entry (tw/) in this module's terms."""
    if entry is None:
        return {}
    reporter = entry.get("reporter")
    return {"headline": entry["title"], "url": entry["url"], "outlet": entry.get("outlet") or "",
            "published": str(entry.get("published") or "")[:10],
            "reporters": None if "reporter" not in entry else
            str(reporter or "").replace("、", " ").split()}


def _taiwan(page: Page, text: str) -> str:
    """Text as a Taiwanese poster pastes it: mainland pages converted to Taiwan's script."""
    return convert(text, "s2twp") if page.simplified else text


def _post(page: Page, paragraphs: list[str], *, title: str | None = None,
          reporter: str | None = None, template: str = "stock", top: str | None = None) -> str:
    quote = "\n".join(_taiwan(page, p) for p in paragraphs).translate(FOLD)
    if top:
        quote = _taiwan(page, top) + "\n" + quote
    day = datetime.strptime(page.published, "%Y-%m-%d") if page.published else \
        datetime(2023, 4, 1)
    head = _taiwan(page, title or page.headline)
    who = _taiwan(page, reporter if reporter is not None else default_reporter(page))
    published = page.published.replace("-", "/")
    if template == "gossiping":
        return gossiping_post(outlet=_taiwan(page, page.outlet), reporter=who, title=head,
                              url=page.doc.url or "", quote=quote, day=day)
    return stock_post(title=head, url=page.doc.url or "", published=published, reporter=who,
                      quote=quote, day=day)


def default_reporter(page: Page) -> str:
    """What an honest poster writes as 記者署名 for the page."""
    if page.reporters:
        return "、".join(page.reporters)
    if page.reporters is None:
        return ""
    return page.credits[0] if page.credits else "未註明"


_NUMBER = re.compile(r"(?<![\d.])\d{1,4}(?![\d.])")


def cases(page: Page) -> Iterator[Case]:
    """Every post built from one page."""
    body = page.body
    n = sum(ord(c) for c in page.name)
    yield Case(page.name, "faithful", _post(page, body), "faithful")
    yield Case(page.name, "placeholder",
               _post(page, body, reporter=PLACEHOLDERS[n % len(PLACEHOLDERS)]), "faithful")
    yield Case(page.name, "gossiping", _post(page, body, template="gossiping"), "faithful")
    if any(not p.prose for p in page.paragraphs):
        shown = [p.text for p in page.paragraphs]
        yield Case(page.name, "as-shown", _post(page, shown, top=page.headline), "faithful")
    if len(body) >= 2:
        yield Case(page.name, "cut", _post(page, body[:max(1, len(body) // 2)]), "cut")
    prose = [i for i, p in enumerate(body) if len(p) >= 30 and re.search(r"[。！？」]$", p)]
    middle = [i for i in prose if 0 < i < len(body) - 1]
    if middle:
        i = middle[len(middle) // 2]
        added = [*body[:i], body[i] + OPINION, *body[i + 1:]]
        yield Case(page.name, "added", _post(page, added), "edited")
        yield Case(page.name, "dropped", _post(page, body[:i] + body[i + 1:]), "edited")
    if len(prose) >= 2 and prose[-1] == len(body) - 1:
        yield Case(page.name, "dropped-last", _post(page, body[:-1]), "edited")
    text = "\n".join(body)
    number = next((m for m in _NUMBER.finditer(text)
                   if not re.fullmatch(r"(?:19|20)\d\d", m.group(0)) and m.start() > len(text) // 5),
                  None)
    if number:
        changed = text[:number.start()] + str(int(number.group(0)) + 7) + text[number.end():]
        yield Case(page.name, "number", _post(page, changed.split("\n")), "edited")
    cut = max(2, len(page.headline) // 2)
    yield Case(page.name, "title",
               _post(page, body, title=page.headline[:cut] + "震驚" + page.headline[cut:]), "title")
    yield Case(page.name, "reporter-wrong", _post(page, body, reporter=WRONG_REPORTER), "reporter")
    if page.editors:
        yield Case(page.name, "editor", _post(page, body, reporter=page.editors[0]), "editor")


def check(case: Case, doc: Document) -> Report:
    """Run linker's check on the case's post against the page."""
    post = parse_document(Document(origin=case.page, content=case.post.encode("utf-8")))
    return analyse(post, doc)


def evaluate(case: Case, report: Report) -> list[str]:
    """What linker got wrong on ``case`` (empty when everything is right)."""
    problems: list[str] = []
    status = {c.name: c.status for c in report.checks}
    detail = {c.name: c.detail for c in report.checks}
    serious = [f for f in report.findings if f.severity != "low"]
    if case.expect == "faithful" and report.verdict != "faithful":
        problems.append(f"verdict {report.verdict}: " + "; ".join(
            f"{f.kind} {f.severity} {f.note} {(f.post_text or f.source_text)[:30]!r}"
            for f in serious[:3]))
    elif case.expect == "cut" and any(f.kind == "added" for f in serious):
        problems.append("added finding on a cut quote")
    elif case.expect == "edited" and report.verdict != "edited":
        problems.append(f"verdict {report.verdict} on a {case.kind} edit")
    elif case.expect == "title" and (status.get("title") != "mismatch" or report.verdict != "edited"):
        problems.append(f"tampered title: title {status.get('title')}, verdict {report.verdict}")
    elif case.expect == "reporter" and status.get("reporter") != "mismatch":
        problems.append(f"wrong reporter: {status.get('reporter')} ({detail.get('reporter')})")
    elif case.expect == "editor" and status.get("reporter") == "mismatch":
        problems.append(f"the editor named as reporter: mismatch ({detail.get('reporter')})")
    if case.expect in ("faithful", "cut", "edited"):
        for name in ("title", "reporter", "published"):
            if status.get(name) == "mismatch":
                problems.append(f"{name} mismatch: {detail.get(name)}")
    return problems


def metadata(page: Page, article: Article) -> dict[str, bool | None]:
    """Whether linker read the headline, reporters, publish day, body and outlet right."""
    folded = fold(article.text).text
    body_keys = [fold(p).text for p in page.body if fold(p).text]
    found = sum(1 for k in body_keys if k in folded)
    page_keys = fold("".join(p.text for p in page.paragraphs)).text
    # Lines linker calls article that are not on the page's article (related news, feeds).
    minor = sorted(article.minor)
    foreign = 0
    pos = 0
    for line in article.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if any(a <= start < b for a, b, _k in minor):
            continue
        key = fold(line).text
        if len(key) >= 4 and key not in page_keys:
            foreign += len(key)
    total = sum(len(k) for k in body_keys) or 1
    site = fold(article.sitename or "").text
    return {
        "headline": fold(article.title or "").text == fold(page.headline).text,
        "reporter": None if page.reporters is None else tuple(
            fold(r).text for r in article.reporters) == tuple(fold(r).text for r in page.reporters),
        "date": None if not page.published else (article.published or "")[:10] == page.published,
        "body": found >= 0.98 * len(body_keys) and foreign <= 0.02 * total,
        # A headline is never the outlet's name.
        "outlet": bool(site) and site not in fold(page.headline).text
        and fold(page.headline).text not in site,
    }


COLUMNS = ["headline", "reporter", "date", "body", "outlet", "faithful", "placeholder", "gossiping",
           "as-shown", "cut", "added", "number", "dropped", "dropped-last", "title",
           "reporter-wrong", "editor"]


def table(corpus: str = "modern", verbose: bool = False) -> tuple[list[str], dict[str, list[int]]]:
    """The per-outlet table the accuracy benchmark prints, and the totals per column."""
    rows: dict[str, dict[str, list[int]]] = {}
    totals: dict[str, list[int]] = {}
    for page in pages(corpus):
        article = extract_article(page.doc)
        row = rows.setdefault(outlet(page.name), {})
        checks: dict[str, bool | None] = dict(metadata(page, article))
        if verbose:
            for name, ok in checks.items():
                if ok is False:
                    print(f"  {page.name}: {name} wrong")
        for case in cases(page):
            problems = evaluate(case, check(case, page.doc))
            if verbose and problems:
                print(f"  {page.name} {case.kind}: {'; '.join(problems)[:300]}")
            checks[case.kind] = not problems
        for name, ok in checks.items():
            if ok is None:
                continue
            for cell in (row.setdefault(name, [0, 0]), totals.setdefault(name, [0, 0])):
                cell[0] += int(ok)
                cell[1] += 1
    lines = ["| outlet | pages | " + " | ".join(COLUMNS) + " |",
             "|---" * (len(COLUMNS) + 2) + "|"]
    for name, row in sorted(rows.items()):
        cells = [f"{row[c][0]}/{row[c][1]}" if c in row else "–" for c in COLUMNS]
        lines.append(f"| {name} | {row['headline'][1]} | " + " | ".join(cells) + " |")
    cells = [f"{totals[c][0]}/{totals[c][1]}" if c in totals else "–" for c in COLUMNS]
    lines.append(f"| **all** | {totals['headline'][1]} | " + " | ".join(cells) + " |")
    return lines, totals


def main(argv: list[str]) -> int:
    """Print each corpus's table (``-v``: every wrong check); exit 1 when any check is wrong."""
    wrong = 0
    for corpus in [c for c in CORPORA if c in argv] or list(CORPORA):
        if not pages(corpus):
            print(f"{corpus}: ../shared/corpus/news/{corpus} is absent, skipped")
            continue
        out, totals = table(corpus, verbose="-v" in argv)
        right = sum(v[0] for v in totals.values())
        checked = sum(v[1] for v in totals.values())
        wrong += checked - right
        print(f"\n{corpus}: right / checked per outlet")
        print("\n".join(out))
        print(f"{right}/{checked} checks right")
    return 1 if wrong else 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
