"""Reposts of the real Taiwanese outlet pages in ``../shared/corpus/news/tw``, the way posters
make them, checked against the outlets' own HTML.

For every page: the extracted headline, reporters and date are compared with ``truth.json``,
and a set of posts is built and checked:

- ``faithful`` — the article as a reader reads it (its byline as printed), wrapped at 78
  columns with punctuation typed half-width, under the true title, reporter and date;
- ``faithful-no-byline`` — the same without the byline;
- ``faithful-caption`` — the same with a photo caption or notice from the page copied along;
- ``faithful-as-shown`` — the headline on top and the photo captions between the paragraphs,
  as a browser shows the page;
- ``truth-sentences`` — only the ``body_contains`` sentences of ``truth.json`` (a cut quote);
- ``added`` — an opinion slipped into the middle;
- ``number`` — one number changed;
- ``dropped`` — one sentence in the middle left out;
- ``title`` — 震驚 inserted into 原文標題;
- ``reporter-wrong`` — a reporter who is nowhere on the page.

Each post's expected outcome is stated next to it (:attr:`Case.expect`); :func:`evaluate`
says whether linker got it right.  The pages are third-party data and are read from the
shared corpus, never copied into the repository.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from linker.check import Report, analyse
from linker.extract import Article, extract_article
from linker.models import Document
from linker.normalise import fold
from linker.parse import parse_document

from .reposts import FOLD, stock_post

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("LINKER_SHARED", ROOT.parent / "shared")) / "corpus" / "news" / "tw"
OPINION = "這根本是政治操作，大家心裡有數。"
WRONG_REPORTER = "司馬中原"


@dataclass(frozen=True)
class Page:
    """One corpus page with its truth."""

    name: str
    truth: dict[str, object]
    doc: Document


@dataclass(frozen=True)
class Case:
    """A post built from a page and what a careful reader expects linker to say."""

    page: str
    kind: str
    post: str
    expect: str
    """``faithful``, ``edited``, ``cut`` (edited only by omissions), ``title``, ``reporter``."""


def pages() -> list[Page]:
    """The corpus pages (empty when the shared corpus is absent)."""
    truth_file = CORPUS / "truth.json"
    if not truth_file.exists():
        return []
    out = []
    for entry in json.loads(truth_file.read_text(encoding="utf-8")):
        name = str(entry["file"])
        url = str(entry["url"])
        out.append(Page(name, entry, Document(origin=name, content=(CORPUS / name).read_bytes(),
                                              url=url, final_url=url, status=200)))
    return out


def reader_text(article: Article, *, byline: bool = True) -> str:
    """The article as a reader reads it: the body without a second story printed under it,
    with or without its byline."""
    text = article.text
    cuts = sorted((a, b) for a, b, kind in article.minor
                  if kind == "companion" or (not byline and kind == "byline"))
    for a, b in reversed(cuts):
        text = text[:a] + text[b:]
    return "\n".join(ln.strip() for ln in text.splitlines() if ln.strip())


def _post(truth: dict[str, object], quote: str, *, title: str | None = None,
          reporter: str | None = None) -> str:
    published = str(truth.get("published") or "")[:10].replace("-", "/")
    day = datetime.strptime(published, "%Y/%m/%d") if published else datetime(2014, 5, 1)
    return stock_post(title=title or str(truth["title"]), url=str(truth["url"]),
                      published=published, quote=quote.translate(FOLD),
                      reporter=reporter if reporter is not None else str(truth.get("reporter") or ""),
                      day=day)


_SENTENCE = re.compile(r"[^。！？\n]+[。！？]」?")


def cases(page: Page, article: Article) -> Iterator[Case]:
    """Every post built from one page."""
    truth = page.truth
    body = reader_text(article)
    yield Case(page.name, "faithful", _post(truth, body), "faithful")
    bare = reader_text(article, byline=False)
    if bare != body:
        yield Case(page.name, "faithful-no-byline", _post(truth, bare), "faithful")
    extra = next((f for f in article.furniture if 12 <= len(f) <= 120
                  and re.search(r"攝|圖|版權|轉載|▲|提供|資料照", f)), None)
    if extra:
        yield Case(page.name, "faithful-caption", _post(truth, body + "\n" + extra), "faithful")
    # As the browser shows it: the headline on top, captions between the paragraphs.
    captions = [f for f in article.furniture if re.search(r"▲|▼|攝|資料照|提供", f)
                and len(f) <= 120]
    paragraphs = body.split("\n")
    shown = [str(truth["title"])]
    for i, para in enumerate(paragraphs):
        shown.append(para)
        if i < len(captions):
            shown.append(captions[i])
    yield Case(page.name, "faithful-as-shown", _post(truth, "\n".join(shown)), "faithful")
    sentences = "\n".join(str(s) for s in truth["body_contains"])  # type: ignore[attr-defined]
    yield Case(page.name, "truth-sentences", _post(truth, sentences), "cut")

    found = list(_SENTENCE.finditer(body))
    middle = [m for m in found[1:-1] if len(m.group(0)) >= 12] or found
    if middle:
        m = middle[len(middle) // 2]
        yield Case(page.name, "added", _post(truth, body[:m.end()] + OPINION + body[m.end():]),
                   "edited")
        yield Case(page.name, "dropped", _post(truth, body[:m.start()] + body[m.end():]), "edited")
    number = next((n for n in re.finditer(r"(?<![\d.])\d{1,4}(?![\d.])", body)
                   if not re.search(r"(?:19|20)\d\d", n.group(0))
                   and n.start() > len(body) // 5), None)
    if number:
        changed = str(int(number.group(0)) + 7)
        yield Case(page.name, "number",
                   _post(truth, body[:number.start()] + changed + body[number.end():]), "edited")
    title = str(truth["title"])
    cut = max(2, len(title) // 2)
    yield Case(page.name, "title", _post(truth, body, title=title[:cut] + "震驚" + title[cut:]),
               "title")
    yield Case(page.name, "reporter-wrong", _post(truth, body, reporter=WRONG_REPORTER),
               "reporter")


def check(case: Case, doc: Document) -> Report:
    """Run linker's check on the case's post against the page."""
    post = parse_document(Document(origin=case.page, content=case.post.encode("utf-8")))
    return analyse(post, doc)


def evaluate(case: Case, report: Report) -> list[str]:
    """What linker got wrong on ``case`` (empty when everything is right)."""
    problems: list[str] = []
    status = {c.name: c.status for c in report.checks}
    serious = [f for f in report.findings if f.severity != "low"]
    if case.expect == "faithful":
        if report.verdict != "faithful":
            problems.append(f"verdict {report.verdict}: "
                            + "; ".join(f"{f.kind} {f.severity} {f.note} "
                                        f"{(f.post_text or f.source_text)[:30]!r}"
                                        for f in serious[:3]))
    elif case.expect == "cut":
        if any(f.kind == "added" for f in serious):
            problems.append("added finding on a cut quote")
    elif case.expect == "edited":
        if report.verdict != "edited":
            problems.append(f"verdict {report.verdict} on a {case.kind} edit")
    elif case.expect == "title":
        if status.get("title") != "mismatch" or report.verdict != "edited":
            problems.append(f"tampered title: title {status.get('title')}, "
                            f"verdict {report.verdict}")
    elif case.expect == "reporter" and status.get("reporter") != "mismatch":
        problems.append(f"wrong reporter: {status.get('reporter')}")
    if case.expect in ("faithful", "cut", "edited"):
        for name in ("title", "reporter", "published"):
            if status.get(name) == "mismatch":
                detail = next(c.detail for c in report.checks if c.name == name)
                problems.append(f"{name} mismatch: {detail}")
    return problems


def metadata_problems(page: Page, article: Article) -> list[str]:
    """Where the extracted headline, reporters and date differ from the page's truth."""
    truth = page.truth
    problems = []
    if fold(article.title or "").text != fold(str(truth["title"])).text:
        problems.append(f"headline {article.title!r}")
    if "reporter" in truth:
        want = tuple(str(truth["reporter"] or "").replace("、", " ").split())
        if article.reporters != want:
            problems.append(f"reporters {article.reporters}")
    if truth.get("published") and (article.published or "")[:10] != str(truth["published"])[:10]:
        problems.append(f"published {article.published}")
    return problems


def outlet(page: Page) -> str:
    """The outlet a page belongs to (its file name without the sample number)."""
    return re.sub(r"_s\d+\.html$", "", page.name)


def table() -> tuple[list[str], bool]:
    """The per-outlet table the accuracy benchmark prints, and whether every check was right."""
    rows: dict[str, dict[str, list[int]]] = {}
    all_right = True
    for page in pages():
        article = extract_article(page.doc)
        row = rows.setdefault(outlet(page), {})
        truth = page.truth
        checks = {
            "headline": fold(article.title or "").text == fold(str(truth["title"])).text,
            "reporter": None if "reporter" not in truth else article.reporters == tuple(
                str(truth["reporter"] or "").replace("、", " ").split()),
            "date": None if not truth.get("published") else
            (article.published or "")[:10] == str(truth["published"])[:10],
            "body": all(fold(str(x)).text in fold(article.text).text
                        for x in truth["body_contains"]),  # type: ignore[attr-defined]
        }
        for case in cases(page, article):
            group = "faithful" if case.expect == "faithful" else case.kind
            if group == "truth-sentences":
                group = "cut quote"
            checks.setdefault(group, True)
            checks[group] = bool(checks[group]) and not evaluate(case, check(case, page.doc))
        for name, ok in checks.items():
            if ok is None:
                continue
            cell = row.setdefault(name, [0, 0])
            cell[0] += int(ok)
            cell[1] += 1
            all_right = all_right and bool(ok)
    columns = ["headline", "reporter", "date", "body", "faithful", "cut quote", "added",
               "number", "dropped", "title", "reporter-wrong"]
    lines = ["| outlet | pages | " + " | ".join(columns) + " |",
             "|---" * (len(columns) + 2) + "|"]
    for name, row in sorted(rows.items()):
        pages_n = row["headline"][1]
        cells = [f"{row[c][0]}/{row[c][1]}" if c in row and row[c][1] else "–" for c in columns]
        lines.append(f"| {name} | {pages_n} | " + " | ".join(cells) + " |")
    return lines, all_right


if __name__ == "__main__":
    rows, right = table()
    print("\n".join(rows))
    print("every check right" if right else "SOME CHECKS WRONG")
