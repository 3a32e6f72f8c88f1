"""Plain JSON-ready dictionaries for linker's data (the ``--json`` outputs)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from linker.models import EditLine, Post, Push
from linker.sanitize import json_safe

if TYPE_CHECKING:
    from linker.models import Report, RuleResult

JsonDict = dict[str, Any]


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def push_to_dict(push: Push) -> JsonDict:
    """One push as JSON."""
    return {"tag": push.tag, "user": push.user, "content": push.content, "ip": push.ip,
            "time": _time(push.time)}


def edit_to_dict(edit: EditLine) -> JsonDict:
    """One ``※ 編輯`` line as JSON."""
    return {"user": edit.user, "ip": edit.ip, "country": edit.country, "time": _time(edit.time),
            "raw": edit.raw}


def fields_to_dict(post: Post) -> JsonDict:
    """The news-template fields of a post as JSON."""
    f = post.fields
    return {
        "original_title": f.original_title,
        "source_url": f.source_url,
        "source_urls": list(f.source_urls),
        "published": f.published,
        "reporter": f.reporter,
        "outlet": f.outlet,
        "quote": f.quote,
        "quote_span": [f.quote_span.start, f.quote_span.end] if f.quote_span else None,
        "quote_lines": [list(x) for x in f.quote_lines],
        "commentary": f.commentary,
        "commentary_span": [f.commentary_span.start, f.commentary_span.end]
        if f.commentary_span else None,
        "labels": list(f.labels),
    }


def post_to_dict(post: Post, *, pushes: bool = True) -> JsonDict:
    """The ``post`` object of ``linker parse --json`` (embedded by ``linker check --json``)."""
    data: JsonDict = {
        "url": post.url,
        "board": post.board,
        "author": post.author,
        "nickname": post.nickname,
        "title": post.title,
        "title_prefix": post.title_prefix,
        "is_news": post.is_news,
        "time": _time(post.time),
        "template": post.template,
        "fields": fields_to_dict(post),
    }
    if pushes:
        data.update({
            "pushes": [push_to_dict(p) for p in post.pushes],
            "edits": [edit_to_dict(e) for e in post.edits],
            "author_replies": list(post.author_replies),
            "other_lines": list(post.other_lines),
            "signature": post.signature,
            "footer": {"ip": post.footer.ip, "country": post.footer.country,
                       "url": post.footer.url},
            "reply": None if post.reply is None else {
                "quoted_author": post.reply.quoted_author,
                "quoted_text": post.reply.quoted_text,
                "own_text": post.reply.own_text,
            },
            "body": post.body,
        })
    return data


def dumps(data: JsonDict) -> str:
    """Serialise with CJK kept readable (and control and bidi characters escaped)."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2))


SCHEMA = "linker.check/1"
"""The name and version of the JSON report's shape (new keys may be added within a version)."""


def report_to_dict(report: Report) -> JsonDict:
    """The ``linker.check/1`` document (see README for the contract)."""
    source = report.source
    return {
        "schema": SCHEMA,
        "verdict": report.verdict,
        "reason": report.reason,
        "post": post_to_dict(report.post, pushes=False),
        "source": None if source is None else {
            "url": source.url,
            "final_url": source.final_url,
            "status": source.status,
            "title": source.title,
            "author": source.author,
            "published": source.published,
            "sitename": source.sitename,
            "encoding": source.encoding,
            "text": source.text,
            "extraction": source.extraction,
            "conversion": source.conversion,
            "archived_at": source.archived_at,
            "archive_url": source.archive_url,
            "reporters": list(source.reporters),
            "bylines": list(source.bylines),
            "headline_source": source.headline_source,
            "published_source": source.published_source,
            "minor": [{"start": a, "end": b, "kind": k} for a, b, k in source.minor],
        },
        "scores": None if report.coverage is None else {
            "coverage": report.coverage,
            "added": report.added,
        },
        "findings": [
            {
                "kind": f.kind,
                "severity": f.severity,
                "post_text": f.post_text,
                "post_span": list(f.post_span) if f.post_span is not None else None,
                "source_text": f.source_text,
                "source_span": list(f.source_span) if f.source_span is not None else None,
                "note": f.note,
            }
            for f in report.findings
        ],
        "checks": [{"name": c.name, "status": c.status, "detail": c.detail}
                   for c in report.checks],
        "notes": list(report.notes),
        "rule_profile": report.rule_profile,
        "rules": [rule_to_dict(r) for r in report.rules],
    }


def rule_to_dict(result: RuleResult) -> JsonDict:
    """One board rule's result as ``linker.check/1`` gives it."""
    return {"id": result.id, "status": result.status, "evidence": result.evidence,
            "rule": {"en": result.says_en, "zh-TW": result.says_zh_tw},
            "short": {"en": result.short_en, "zh-TW": result.short_zh_tw}}
