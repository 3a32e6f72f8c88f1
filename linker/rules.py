"""Board rules: what a moderator enforces, decided from a check.

A **profile** (``linker/data/profiles/*.toml``, or a moderator's own file) lists a board's
rules: each with a stable id, its wording in English and Traditional Chinese (linker's
paraphrase, never the board's text), a short name for push lines, and its parameters. Rules
change by vote, so they are data.

:func:`evaluate` applies a profile to one post's :class:`~linker.check.Report`: every rule
gives ``ok``, ``violation`` or ``unknown`` (linker cannot tell: the page could not be read,
a date is missing…) with its evidence. The two rules that need the rest of the board,
``duplicate-news`` and ``daily-quota``, are ``unknown`` there; :func:`board_rules` decides
them over a board's posts (``linker batch``, from its store, so that reruns and a cluster
agree).
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from linker.errors import DEAD_LINK, InputError
from linker.messages import Msg, joined
from linker.models import TAIPEI, RuleResult, RuleStatus

if TYPE_CHECKING:
    from linker.models import Article, Report

RULE_IDS = (
    "title-not-original", "body-incomplete", "content-modified", "missing-field",
    "link-missing", "link-dead", "link-not-original", "link-unclickable", "stale-news",
    "banned-origin", "not-news", "no-reporter", "duplicate-news", "daily-quota",
)
"""Every rule linker can decide, in the order views list them."""
BOARD_RULES = frozenset({"duplicate-news", "daily-quota"})
"""Rules decided over a board's posts, not one post."""
STATUSES = ("violation", "unknown", "ok")
FIELDS = {"outlet": "媒體來源", "reporter": "記者署名", "title": "完整新聞標題/原文標題",
          "body": "新聞內文/原文內容", "link": "新聞連結/原文連結", "published": "發布時間"}
"""Template fields a profile may require (``missing-field``), with their labels."""

_LIST = list
# Each rule's parameters and their defaults; a profile may set these and nothing else.
_PARAMS: dict[str, dict[str, Any]] = {
    "title-not-original": {},
    "body-incomplete": {"whole": True, "min-lines": 1},
    "content-modified": {},
    "missing-field": {"fields": ["outlet", "reporter", "title", "body", "link"]},
    "link-missing": {},
    "link-dead": {},
    "link-not-original": {"domains": []},
    "link-unclickable": {"max-length": 78},
    "stale-news": {"days": 3},
    "banned-origin": {"regions": ["CN", "HK", "MO"]},
    "not-news": {"types": [], "sections": [], "url-words": [],
                 "news-types": ["NewsArticle", "ReportageNewsArticle", "BackgroundNewsArticle",
                                "news"]},
    "no-reporter": {"press-markers": ["新聞稿", "新闻稿", "公關稿", "企業新聞", "企業動態", "廣編",
                                      "業配", "press release", "sponsored"]},
    "duplicate-news": {"similarity": 0.8, "within-days": 7},
    "daily-quota": {"per-day": 1},
}
_TEXT_KEYS = ("en", "zh-TW", "short-en", "short-zh-TW")
Decision = tuple[RuleStatus, str]
"""A rule's status on one post and the evidence for it."""


@dataclass(frozen=True)
class Rule:
    """One rule of a profile."""

    id: str
    en: str
    zh_tw: str
    short_en: str
    short_zh_tw: str
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str) -> Any:
        """The profile's value of parameter ``name``, else linker's default."""
        given = dict(self.params)
        return given[name] if name in given else _PARAMS[self.id][name]

    def _values(self) -> dict[str, str]:
        values = dict(_PARAMS[self.id])
        values.update(self.params)
        return {k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else str(v)
                for k, v in values.items()}

    def says(self, lang: str = "en") -> str:
        """The rule's wording, parameters filled in."""
        return _fill(self.zh_tw if lang == "zh-TW" else self.en, self._values())

    def short(self, lang: str = "en") -> str:
        """The rule's name in a push line."""
        return _fill(self.short_zh_tw if lang == "zh-TW" else self.short_en, self._values())


def _fill(text: str, values: Mapping[str, str]) -> str:
    # Parameter names hold hyphens ({per-day}), which str.format reads fine as keys; a brace
    # a moderator did not mean as a placeholder stays as written.
    return re.sub(r"\{([\w-]+)\}", lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class Profile:
    """A board's rules (see the module's description)."""

    name: str
    boards: tuple[str, ...]
    en: str
    zh_tw: str
    rules: tuple[Rule, ...]
    origin: str
    """Where it was read from: ``built in`` or the file's path."""

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)




def _result(rule: Rule, status: RuleStatus, evidence: str) -> RuleResult:
    return RuleResult(rule.id, status, evidence, rule.says("en"), rule.says("zh-TW"),
                      rule.short("en"), rule.short("zh-TW"))


# --- profiles ----------------------------------------------------------------------------------

def builtin_profiles() -> tuple[str, ...]:
    """The names of the profiles linker ships."""
    folder = resources.files("linker").joinpath("data", "profiles")
    return tuple(sorted(p.name.removesuffix(".toml") for p in folder.iterdir()
                        if p.name.endswith(".toml")))


def load_profile(spec: str) -> Profile:
    """A profile by name (``gossiping``, ``stock``) or from a TOML file.

    Raises:
        InputError: no such profile, or the file is not a valid profile (one line saying
            where and what).
    """
    name = spec.strip().lower()
    if name in builtin_profiles():
        text = resources.files("linker").joinpath("data", "profiles", f"{name}.toml") \
            .read_text(encoding="utf-8")
        return parse_profile(text, "built in")
    path = Path(spec)
    if not path.is_file():
        raise InputError(Msg("no rule profile {spec}: give {names} or a TOML file", spec=spec,
                             names=", ".join(builtin_profiles())), input=spec, stage="rules")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Msg("cannot read {path}: {error}", path=spec, error=str(exc)),
                         input=spec, stage="rules") from exc
    return parse_profile(text, str(path))


def _bad(origin: str, problem: str) -> InputError:
    return InputError(Msg("rule profile {origin}: {problem}", origin=origin, problem=problem),
                      input=origin, stage="rules")


def _check_param(origin: str, rule_id: str, key: str, value: Any) -> Any:
    default = _PARAMS[rule_id][key]
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
    else:
        ok = isinstance(value, _LIST) and all(isinstance(v, str) for v in value)
    if not ok:
        kind = {bool: Msg("true or false"), int: Msg("a whole number ≥ 0"),
                float: Msg("a number from 0 to 1"), list: Msg("a list of strings")}[type(default)]
        raise _bad(origin, Msg("[rules.{rule}] {key} must be {kind}", rule=rule_id, key=key,
                               kind=kind))
    if rule_id == "missing-field" and key == "fields":
        unknown = [f for f in value if f not in FIELDS]
        if unknown:
            raise _bad(origin, Msg("[rules.missing-field] unknown field {field} (known: "
                                   "{known})", field=unknown[0], known=", ".join(FIELDS)))
    if rule_id == "banned-origin" and key == "regions":
        from linker.source.outlets import REGIONS

        unknown = [r for r in value if r not in REGIONS]
        if unknown:
            raise _bad(origin, Msg("[rules.banned-origin] unknown region {region} (known: "
                                   "{known})", region=unknown[0], known=", ".join(REGIONS)))
    return tuple(value) if isinstance(value, _LIST) else value


def parse_profile(text: str, origin: str) -> Profile:
    """A profile from its TOML text (``origin`` names it in errors).

    Raises:
        InputError: bad TOML, an unknown rule id or parameter, a value of the wrong type, or
            a rule without its wording.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(origin, str(exc)) from exc
    head = data.get("profile")
    if not isinstance(head, dict) or not isinstance(head.get("name"), str):
        raise _bad(origin, Msg("a [profile] table with a name is needed"))
    table = data.get("rules")
    if not isinstance(table, dict) or not table:
        raise _bad(origin, Msg("a profile needs at least one [rules.ID] table"))
    rules = []
    for rule_id, body in table.items():
        if rule_id not in _PARAMS:
            raise _bad(origin, Msg("unknown rule {rule} (known: {known})", rule=rule_id,
                                   known=", ".join(RULE_IDS)))
        if not isinstance(body, dict):
            raise _bad(origin, Msg("[rules.{rule}] must be a table", rule=rule_id))
        for key in ("en", "zh-TW"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                raise _bad(origin, Msg("[rules.{rule}] needs its wording in {key}",
                                       rule=rule_id, key=key))
        params = []
        for key, value in body.items():
            if key in _TEXT_KEYS:
                if not isinstance(value, str):
                    raise _bad(origin, Msg("[rules.{rule}] {key} must be text", rule=rule_id,
                                           key=key))
                continue
            if key not in _PARAMS[rule_id]:
                known = ", ".join((*_TEXT_KEYS, *_PARAMS[rule_id])) or ", ".join(_TEXT_KEYS)
                raise _bad(origin, Msg("[rules.{rule}] has no parameter {key} (known: {known})",
                                       rule=rule_id, key=key, known=known))
            params.append((key, _check_param(origin, rule_id, key, value)))
        rules.append(Rule(rule_id, body["en"].strip(), body["zh-TW"].strip(),
                          str(body.get("short-en") or rule_id),
                          str(body.get("short-zh-TW") or body.get("short-en") or rule_id),
                          tuple(params)))
    order = {r: i for i, r in enumerate(RULE_IDS)}
    boards = head.get("boards", [])
    return Profile(name=head["name"], boards=tuple(str(b) for b in boards),
                   en=str(head.get("en") or head["name"]),
                   zh_tw=str(head.get("zh-TW") or head.get("en") or head["name"]),
                   rules=tuple(sorted(rules, key=lambda r: order[r.id])), origin=origin)


def choose_profile(spec: str | None, board: str | None) -> Profile | None:
    """The profile a check applies: ``spec`` (a name or a file; ``none`` for no rules), else
    the built-in profile of the post's board, if any.

    Raises:
        InputError: ``spec`` names no profile, or the file is not a valid one.
    """
    if spec is not None and spec.strip().lower() == "none":
        return None
    return load_profile(spec) if spec is not None else profile_for_board(board)


def apply_rules(report: Report, profile: Profile | None) -> Report:
    """``report`` with ``profile``'s rules applied (unchanged without a profile)."""
    if profile is None:
        return report
    return replace(report, rules=evaluate(report, profile), rule_profile=profile.name)


def profile_for_board(board: str | None) -> Profile | None:
    """The built-in profile of ``board``, if linker ships one."""
    if not board:
        return None
    for name in builtin_profiles():
        profile = load_profile(name)
        if any(b.lower() == board.lower() for b in profile.boards):
            return profile
    return None


# --- one post ----------------------------------------------------------------------------------

def _serious(report: Report, kinds: Iterable[str]) -> list[Any]:
    wanted = set(kinds)
    return [f for f in report.findings if f.kind in wanted and f.severity != "low"]


def _declared_cuts(report: Report) -> list[Any]:
    return [f for f in report.findings if f.kind == "omitted"
            and getattr(f.note, "template", str(f.note)).startswith("declared cut")]


def _unread(report: Report) -> Decision:
    """Undecided: the rule needs the page, which could not be read."""
    return "unknown", Msg("the page could not be read: {reason}", reason=report.reason or "")


def _check(report: Report, name: str) -> Any:
    return next((c for c in report.checks if c.name == name), None)


def _title(report: Report) -> Decision:
    from linker.compare.metacheck import title_check

    given = _check(report, "title")
    if report.source is None or given is None:
        return "unknown", Msg("the page could not be read")
    post = report.post
    results = [given]
    if post.fields.original_title is not None:
        # The BBS title is the post's title a board sees: it must be the headline too.
        bare = replace(post, fields=replace(post.fields, original_title=None))
        results.append(title_check(bare, report.source))
    for item in results:
        if item.status in ("mismatch", "missing"):
            return "violation", item.detail
    if any(item.status in ("warning", "skipped") for item in results):
        return "unknown", joined("; ", [i.detail for i in results if i.status != "ok"])
    return "ok", given.detail


def _body(report: Report, rule: Rule) -> Decision:
    quote = report.post.fields.quote
    lines = [line for line in quote.splitlines() if line.strip()]
    if not lines:
        return "violation", Msg("the post quotes no article text")
    if len(lines) < int(rule.param("min-lines")):
        return "violation", Msg("the article text is {n} line(s)", n=len(lines))
    if not rule.param("whole"):
        return "ok", Msg("{n} lines of article text", n=len(lines))
    if report.source is None:
        return _unread(report)
    cut = _serious(report, ["omitted"]) + _declared_cuts(report)
    if cut:
        chars = sum(len(f.source_text) for f in cut)
        coverage = f"{(report.coverage or 0):.0%}"
        return "violation", Msg("{n} passage(s) of the article left out ({chars} characters; "
                                "{coverage} of the article quoted)", n=len(cut), chars=chars,
                                coverage=coverage)
    return "ok", Msg("the whole article is quoted")


def _modified(report: Report) -> Decision:
    if report.source is None:
        return _unread(report)
    changed = _serious(report, ["added", "altered"])
    if not changed:
        return "ok", Msg("nothing added or changed inside the article")
    first = changed[0]
    example = first.post_text.strip().replace("\n", " ")[:40]
    if example in str(first.note):  # "number changed: 42% → 62%" already shows it
        return "violation", Msg("{n} change(s) inside the article, first: {note}",
                                n=len(changed), note=first.note)
    return "violation", Msg("{n} change(s) inside the article, first: {note} 「{text}」",
                            n=len(changed), note=first.note, text=example)


def _fields(report: Report, rule: Rule) -> Decision:
    f = report.post.fields
    values = {"outlet": f.outlet, "reporter": f.reporter, "title": f.original_title,
              "body": f.quote, "link": f.source_url, "published": f.published}
    missing = [FIELDS[name] for name in rule.param("fields")
               if not (values.get(name) or "").strip()]
    if missing:
        return "violation", Msg("not filled in: {fields}", fields="、".join(missing))
    return "ok", Msg("every field is filled in")


def _link_given(report: Report) -> Decision:
    if report.post.fields.source_url:
        return "ok", report.post.fields.source_url
    return "violation", Msg("the post gives no link")


def _dead(report: Report) -> Decision:
    link = report.post.fields.source_url
    if not link:
        return "unknown", Msg("the post gives no link")
    failure = report.link_failure
    if failure:
        if report.failure in DEAD_LINK:  # gone, or no such host: not a bad moment
            return "violation", failure
        return "unknown", Msg("the link did not open this time: {reason}", reason=failure)
    if report.source is None:
        return _unread(report)
    from linker.runs.warc import url_key

    if url_key(report.source.url or "") not in (url_key(link),
                                                url_key(_as_written(report, link))):
        return "unknown", Msg("checked against another page than the post's link")
    return "ok", Msg("the link opens (HTTP {status})", status=report.source.status or 200)


def _reprint(report: Report, rule: Rule) -> Decision:
    from linker.source.outlets import aggregator_of, host_of

    link = report.post.fields.source_url
    if not link:
        return "unknown", Msg("the post gives no link")
    places = [link]
    if report.source is not None and report.source.final_url:
        places.append(report.source.final_url)
    extra = [str(d).lower() for d in rule.param("domains")]
    for place in places:
        host = host_of(place)
        portal = aggregator_of(place)
        name = portal.name if portal else next(
            (d for d in extra if host == d or host.endswith("." + d)), None)
        if name is None:
            continue
        origin = report.source.reprint_of if report.source is not None else None
        original_url, outlet = origin if origin else (None, None)
        if original_url or outlet:
            return "violation", Msg("{host} is {portal}, a reprint; the original: {outlet} "
                                    "{url}", host=host, portal=name, outlet=outlet or "",
                                    url=original_url or "")
        return "violation", Msg("{host} is {portal}, a reprint: cite the outlet's own page",
                                host=host, portal=name)
    return "ok", Msg("{host} is not a reprint portal", host=host_of(places[-1]))


def _as_written(report: Report, link: str) -> str:
    """The link as the post writes it: the parser stops a link at the first character that
    is no part of a URL, but a raw Chinese path (``hk01.com/政情/…``) is what the poster
    pasted, and what a BBS client fails to click."""
    body = report.post.body
    at = body.find(link)
    if at < 0:
        return link
    end = at + len(link)
    while end < len(body) and not body[end].isspace() and body[end] not in "「」『』()（）<>\"'":
        end += 1
    return body[at:end]


def _unclickable(report: Report, rule: Rule) -> Decision:
    link = report.post.fields.source_url
    if not link:
        return "unknown", Msg("the post gives no link")
    link = _as_written(report, link)
    raw = [c for c in link if ord(c) > 126 or c.isspace()]
    if raw:
        return "violation", Msg("the link holds characters a BBS client does not click "
                                "through: {chars}", chars="".join(dict.fromkeys(raw))[:10])
    limit = int(rule.param("max-length"))
    if len(link) > limit:
        return "violation", Msg("the link is {n} characters, longer than one {limit}-column "
                                "line (give a short link)", n=len(link), limit=limit)
    return "ok", Msg("{n} characters", n=len(link))


def _moment(text: str) -> datetime | date:
    if len(text) > 10:
        return datetime.fromisoformat(text.replace(" ", "T")[:16]).replace(tzinfo=TAIPEI)
    return date.fromisoformat(text[:10])


def _stale(report: Report, rule: Rule) -> Decision:
    days = int(rule.param("days"))
    posted = report.post.time
    published = report.source.published if report.source is not None else None
    if posted is None:
        return "unknown", Msg("the post's time is not known")
    if not published:
        return "unknown", Msg("the page shows no publish date")
    try:
        when = _moment(published)
    except ValueError:
        return "unknown", Msg("unreadable publish date: {date}", date=published)
    tw = posted.astimezone(TAIPEI)
    if isinstance(when, datetime):
        age = tw - when
        late = age > timedelta(days=days)
        shown = Msg("{days} day(s) {hours} h", days=age.days, hours=age.seconds // 3600)
    else:
        age_days = (tw.date() - when).days
        late = age_days > days
        shown = Msg("{days} day(s)", days=age_days)
    status: RuleStatus = "violation" if late else "ok"
    return status, Msg("posted {posted}, {age} after the news ({published})",
                       posted=tw.strftime("%Y-%m-%d %H:%M"), age=shown, published=published)


def _origin(report: Report, rule: Rule) -> Decision:
    from linker.source.outlets import REGIONS, origin_of

    link = report.post.fields.source_url
    places = [p for p in (link, report.source.final_url if report.source else None,
                          (report.source.reprint_of or (None, None))[0] if report.source
                          else None) if p]
    if not places:
        return "unknown", Msg("the post gives no link")
    regions = set(rule.param("regions"))
    for place in places:
        origin = origin_of(place)
        if origin is not None and origin.region in regions:
            return "violation", Msg("{outlet}: based in {region} ({basis})", outlet=origin.name,
                                    region=REGIONS[origin.region], basis=origin.basis)
    return "ok", Msg("not an outlet linker knows in {regions}",
                     regions=", ".join(sorted(regions)))


_HEADLINE_MARK = re.compile(r"^\s*[【〔\[〈《（(「]\s*([^】〕\]〉》）)」]{1,8})\s*[】〕\]〉》）)」]")


def _not_news(report: Report, rule: Rule) -> Decision:
    page = report.source
    if page is None:
        return _unread(report)
    types = {t.lower() for t in rule.param("types")}
    for t in page.types:
        if t.lower() in types:
            return "violation", Msg("the page calls itself {type}", type=t)
    sections = [s for s in rule.param("sections") if s]
    for section in page.sections:
        hit = next((s for s in sections if s.lower() in section.lower()), None)
        if hit:
            return "violation", Msg("the page files itself under {section}", section=section)
    for title in (page.title, *page.titles):
        mark = _HEADLINE_MARK.match(title or "")
        if mark and any(s.lower() in mark.group(1).lower() for s in sections):
            return "violation", Msg("the headline is marked {mark}", mark=mark.group(0).strip())
    words = {w.lower() for w in rule.param("url-words")}
    for url in (page.final_url, page.url, page.canonical):
        path = urlsplit(url or "").path.lower()
        hit = next((seg for seg in re.split(r"[/._-]", path) if seg in words), None)
        if hit:
            return "violation", Msg("the page's address files it under /{word}/", word=hit)
    news = {t.lower() for t in rule.param("news-types")}
    said = [t for t in page.types if t.lower() in news] + list(page.sections)
    if not said:
        # A column can be filed with no mark a program reads (a byline, a plain "article"
        # type): only a reader can tell, so linker does not call it news.
        return "unknown", Msg("the page does not say it is news (no news type or section); "
                              "only a reader can tell a column from a report")
    return "ok", Msg("a news page ({shown})", shown=", ".join(said))


# A newsroom's credit opening the article: 〔本報訊〕, （中央社記者…電）, 【綜合報導】.
_CREDIT_OPENING = re.compile(
    r"^\s*[〔【\[（(]\s*([^〔【\[（()\]】〕）\n]{0,24}?(?:本報|本报|報導|报道|訊|讯|社|電|电|"
    r"綜合|综合|新聞網|新闻网|中心|記者|记者)[^〕】\]）)\n]{0,16})[〕】\]）)]")


def _no_reporter(report: Report, rule: Rule) -> Decision:
    from linker.compare.metacheck import is_placeholder

    page = report.source
    if page is None:
        return _unread(report)
    if page.reporters or page.bylines or page.author:
        return "ok", Msg("the page credits {byline}",
                         byline="、".join(page.reporters) or page.author or page.bylines[0])
    credit = _CREDIT_OPENING.match(page.text)
    if credit:
        return "ok", Msg("the article opens with its newsroom's credit {credit}",
                         credit=credit.group(0).strip())
    given = report.post.fields.reporter
    if given and not is_placeholder(given):
        # The post names a reporter the page does not show: linker may have missed the byline.
        return "unknown", Msg("the post names {reporter}; linker finds no byline on the page",
                              reporter=given)
    marker = _press_release(page, rule)
    if marker:
        return "violation", Msg("no reporter is named, and the page marks the text as {marker}",
                                marker=marker)
    # A newsroom's unsigned item (a broadcaster's, a brief) is news: without a sign of a press
    # release, linker does not call it one.
    return "unknown", Msg("no byline on the page; nothing marks it as a press release either")


def _press_release(page: Article, rule: Rule) -> str | None:
    markers = [str(m) for m in rule.param("press-markers") if m]
    places = [*page.sections, *page.types, page.title or "", page.text[:200], page.text[-200:]]
    for place in places:
        hit = next((m for m in markers if m.lower() in place.lower()), None)
        if hit:
            return hit
    return None


def evaluate(report: Report, profile: Profile) -> tuple[RuleResult, ...]:
    """``profile``'s rules applied to one checked post; the board-wide ones are ``unknown``
    until :func:`board_rules` decides them."""
    out = []
    for rule in profile.rules:
        status: RuleStatus
        evidence: str
        if rule.id in BOARD_RULES:
            status, evidence = "unknown", Msg("needs the board's other posts (linker batch)")
        else:
            status, evidence = _per_post(rule, report)
        out.append(_result(rule, status, evidence))
    return tuple(out)


def _per_post(rule: Rule, report: Report) -> Decision:
    decide: dict[str, Callable[[], Decision]] = {
        "title-not-original": lambda: _title(report),
        "body-incomplete": lambda: _body(report, rule),
        "content-modified": lambda: _modified(report),
        "missing-field": lambda: _fields(report, rule),
        "link-missing": lambda: _link_given(report),
        "link-dead": lambda: _dead(report),
        "link-not-original": lambda: _reprint(report, rule),
        "link-unclickable": lambda: _unclickable(report, rule),
        "stale-news": lambda: _stale(report, rule),
        "banned-origin": lambda: _origin(report, rule),
        "not-news": lambda: _not_news(report, rule),
        "no-reporter": lambda: _no_reporter(report, rule),
    }
    return decide[rule.id]()


def violations(results: Iterable[RuleResult]) -> list[RuleResult]:
    """The violated rules among ``results``, in the profile's order."""
    return [r for r in results if r.status == "violation"]


# --- a board -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardPost:
    """What the board-wide rules need of a stored post."""

    url: str
    board: str
    author: str | None
    posted_at: datetime | None
    source_key: str | None
    """The cited page, canonically (:func:`linker.runs.warc.url_key` of where the link led)."""
    text: str
    """The article text as posted, folded (:func:`linker.compare.normalise.canonical`)."""


def board_rules(posts: Sequence[BoardPost], profile: Profile) -> dict[str, list[RuleResult]]:
    """``duplicate-news`` and ``daily-quota`` over a board's posts (those of ``profile``'s
    rules); each post gets a result for each, the earlier of two posts ``ok``."""
    out: dict[str, list[RuleResult]] = defaultdict(list)
    rule = profile.rule("duplicate-news")
    if rule is not None:
        for url, result in _duplicates(posts, rule).items():
            out[url].append(result)
    rule = profile.rule("daily-quota")
    if rule is not None:
        for url, result in _quota(posts, rule).items():
            out[url].append(result)
    return dict(out)


def _in_order(posts: Sequence[BoardPost]) -> list[BoardPost]:
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(posts, key=lambda p: (p.posted_at or far, p.url))


def _duplicates(posts: Sequence[BoardPost], rule: Rule) -> dict[str, RuleResult]:
    from rapidfuzz import fuzz, process

    cutoff = 100 * float(rule.param("similarity"))
    window = timedelta(days=int(rule.param("within-days")) or 36500)
    out: dict[str, RuleResult] = {}
    earlier: dict[str, list[BoardPost]] = defaultdict(list)
    for post in _in_order(posts):
        seen = [p for p in earlier[post.board]
                if post.posted_at is None or p.posted_at is None
                or post.posted_at - p.posted_at <= window]
        same = next((p for p in seen if post.source_key and p.source_key == post.source_key),
                    None)
        if same is not None:
            out[post.url] = _result(rule, "violation", Msg(
                "the same news as {url} (same link), posted {when}", url=same.url,
                when=_when(same)))
        else:
            texts = [p.text[:3000] for p in seen]
            best = process.extractOne(post.text[:3000], texts, scorer=fuzz.ratio,
                                      score_cutoff=cutoff) if post.text and texts else None
            if best is not None:
                match, score = seen[best[2]], round(best[1])
                out[post.url] = _result(rule, "violation", Msg(
                    "the same article as {url} ({score}% alike), posted {when}", url=match.url,
                    score=score, when=_when(match)))
            else:
                out[post.url] = _result(rule, "ok", Msg("no earlier post of this news on the "
                                                        "board among those checked"))
        earlier[post.board].append(post)
    return out


def _when(post: BoardPost) -> str:
    return post.posted_at.isoformat(timespec="minutes") if post.posted_at else "?"


def _quota(posts: Sequence[BoardPost], rule: Rule) -> dict[str, RuleResult]:
    per_day = int(rule.param("per-day"))
    out: dict[str, RuleResult] = {}
    counted: dict[tuple[str, str, date], list[BoardPost]] = defaultdict(list)
    for post in _in_order(posts):
        if not post.author or post.posted_at is None:
            out[post.url] = _result(rule, "unknown", Msg("the post's author or time is not "
                                                         "known"))
            continue
        day = post.posted_at.astimezone(TAIPEI).date()
        key = (post.board.lower(), post.author.lower(), day)
        before = counted[key]
        if len(before) >= per_day:
            out[post.url] = _result(rule, "violation", Msg(
                "news post {n} of {author} on {day} (Taiwan time); the first: {first}",
                n=len(before) + 1, author=post.author, day=day.isoformat(),
                first=before[0].url))
        else:
            out[post.url] = _result(rule, "ok", Msg("news post {n} of {author} on {day}",
                                                    n=len(before) + 1, author=post.author,
                                                    day=day.isoformat()))
        before.append(post)
    return out
