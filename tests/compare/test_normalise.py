"""Folding and script detection: the fast paths agree with the plain definitions."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.reposts import is_simplified, load_sources, make_repost
from linker.compare import normalise
from linker.compare.normalise import (
    CONVERSIONS,
    REGIONAL_CHARS,
    CharMap,
    canonical,
    canonical_many,
    convert,
    convert_many,
    detect_conversion,
    fold,
    nfkc,
)

# Text that exercises every branch of folding: full-width and half-width digits and
# punctuation between digits, NFKC expansions (½, ㈱), both scripts, spaces, controls, and
# the noncharacters folding uses as marks.
ALPHABET = "０１２3４5.．:：/／﹒ ，。「」ａＢc\t\n½㈱①²測試臺灣后里着 ‧-—%％\u200b\x1b\ufdd0\ufdd1"


def reference_fold(text: str, conversion: str = "none") -> tuple[str, list[int]]:
    """Folding as defined, one character at a time (how linker did it before it was made
    fast): no offset map shortcuts, no translate tables."""
    converted = convert(text, conversion)
    assert len(converted) == len(text), "the reference covers length-keeping conversions"
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(converted):
        folded = "".join(c for c in normalise._fold_char(ch) if not normalise._is_dropped(c))
        if folded:
            chars.extend(folded)
            offsets.extend([i] * len(folded))
            continue
        norm = unicodedata.normalize("NFKC", ch)
        if norm in ".:/" and 0 < i < len(converted) - 1 \
                and converted[i - 1].isdigit() and converted[i + 1].isdigit():
            chars.append(norm)
            offsets.append(i)
    return "".join(chars), offsets


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60), st.sampled_from(["none", "s2t", "t2s"]))
def test_fold_agrees_with_the_per_character_definition(text: str, conversion: str) -> None:
    folded = fold(text, conversion)
    assert (folded.text, list(folded.offsets)) == reference_fold(text, conversion)
    assert canonical(text, conversion) == folded.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60), st.data())
def test_ignored_ranges_leave_exactly_their_characters_out(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    folded = fold(text, "none", ignore=[(start, end)])
    assert all(not start <= o < end for o in folded.offsets)
    whole = fold(text)
    kept = [(c, o) for c, o in zip(whole.text, whole.offsets, strict=True)
            if not start <= o < end]
    # Punctuation kept between digits depends on its neighbours, which may be ignored.
    assert [c for c, _ in kept if c not in ".:/"] == [c for c in folded.text if c not in ".:/"]


def test_expanding_characters_repeat_their_origin() -> None:
    upper = CharMap(lambda c: c.upper())  # ß → SS
    assert upper.apply("aßb") == "ASSB"
    assert upper.origins("aßb") == [0, 1, 1, 2]
    half = fold("a½")
    assert len(half.text) > 2 and list(half.offsets) == [0] + [1] * (len(half.text) - 1)


@given(st.lists(st.text(alphabet=ALPHABET + "\ufdd3", max_size=12), max_size=8))
def test_canonical_many_is_canonical_of_each(texts: list[str]) -> None:
    """Folded together, each text folds as it does alone: marks between digits stop at the
    joints, and a text holding the joint character itself is folded on its own."""
    assert canonical_many(texts) == [canonical(t) for t in texts]


def test_canonical_many_keeps_marks_inside_a_text_only() -> None:
    assert canonical_many(["79.8", "3", ".5", "12:30"]) == ["79.8", "3", "5", "12:30"]


@given(st.text() | st.text(alphabet="ＡＢａ１，：？！（）　 \u0301\u0308\u3099ｶﾞ㈱½ﬁ豈臺測"))
def test_nfkc_is_unicodedata_nfkc(text: str) -> None:
    """Full-width characters mapped ahead (before a combining mark, too) give what NFKC gives."""
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_convert_many_is_convert_of_each() -> None:
    pieces = ["信息", "软件\n出租车", "头发", "", "着", "干燥", "a\ue000b"]
    for config in ("s2t", "s2twp", "t2s", "tw2sp", "none"):
        assert convert_many(pieces, config) == [convert(p, config) for p in pieces]


def test_regional_conversions_fold_like_s2t_except_on_the_listed_characters() -> None:
    """REGIONAL_CHARS lets the check skip loading s2tw/s2hk; it must list every character
    those conversions fold differently from s2t (re-derived from OpenCC here)."""
    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
    base = [canonical(c) for c in convert_many(chars, "s2t")]
    for config, listed in REGIONAL_CHARS.items():
        converted = [canonical(c) for c in convert_many(chars, config)]
        differ = {ch for ch, a, b in zip(chars, base, converted, strict=True) if a != b}
        assert differ <= listed, f"{config}: {sorted(differ - listed)} are missing"


@pytest.mark.parametrize("conversion", ["none", "s2t", "s2tw", "s2twp", "s2hk", "t2s", "tw2sp"])
def test_early_stop_picks_what_trying_every_conversion_picks(
        conversion: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(conversion)
    cases = []
    for _name, text in load_sources():
        if conversion in ("t2s", "tw2sp"):
            text = convert(text, "s2twp")  # a Taiwanese source, quoted in Simplified
        elif conversion.startswith("s2") and not is_simplified(text):
            continue
        for edits in ((), ("insert_opinion", "change_number"), ("cut_paragraph",)):
            cases.append(make_repost(text, rng, conversion=conversion, width=78, edits=edits))
    assert cases
    fast = [detect_conversion(r.quote, r.source)[0] for r in cases]
    monkeypatch.setattr(normalise, "CLEAR_WIN", 2.0)  # never stop early
    monkeypatch.setattr(normalise, "plausible_conversions", lambda _quote: CONVERSIONS)
    slow = [detect_conversion(r.quote, r.source, CONVERSIONS)[0] for r in cases]
    assert fast == slow


def _texts_at_hand() -> list[str]:
    """The bundled articles, a sentence of one-to-many characters, and the real pages of both
    scripts (markup stripped) when the shared corpus is present."""
    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "examples" / "articles").glob("*.txt"))]
    texts.append("台湾的软件开发者在里面着手设计鲇鱼与卫生的叙事，干燥的面条、头发和后来的皇后。")
    corpus = root.parent / "shared" / "corpus" / "news" / "modern"
    if corpus.is_dir():
        texts += [re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8", errors="ignore"))
                  for p in sorted(corpus.glob("*.html"))]
    assert len(texts) >= 5
    return texts


def test_s2t_keeps_lengths() -> None:
    """quote_ignores tries s2t on a headline only when it folds to the quote line's length: s2t
    must convert character for character (phrases choose the character, never the length)."""
    from linker.compare.normalise import convert

    for text in _texts_at_hand():
        assert len(convert(text, "s2t")) == len(text)


def test_s2tw_and_s2hk_built_on_s2t_convert_as_opencc_s_own() -> None:
    """linker builds s2tw and s2hk as s2t followed by t2tw / t2hk (one phrase dictionary
    loaded, not three): on every text at hand they give what OpenCC's own s2tw and s2hk give."""
    import opencc

    from linker.compare.normalise import convert

    texts = _texts_at_hand()
    for config in ("s2tw", "s2hk"):
        own = opencc.OpenCC(f"{config}.json")
        for text in texts:
            assert convert(text, config) == own.convert(text), config


# The edges of the Han ranges, and characters around them.
_EDGES = "\u33ff\u3400\u4e00\u9fff\ua000\uf8ff\uf900\ufaff\ufb00a1。\U00020000"


@given(st.text(alphabet=st.sampled_from(_EDGES) | st.characters(), max_size=14),
       st.integers(0, 6), st.integers(0, 8))
def test_han_only_is_what_the_han_class_fully_matches(text: str, least: int, more: int) -> None:
    most = least + more
    pattern = re.compile(f"[{normalise.HAN}]{{{least},{most}}}")
    assert normalise.han_only(text, least, most) == bool(pattern.fullmatch(text))


def test_script_of_reads_only_the_han_characters() -> None:
    # Letters, digits and punctuation between the Han characters change nothing.
    han = "這是一段用來判斷書寫系統的繁體中文文字內容，" * 5
    assert normalise.script_of(han) == "traditional"
    assert normalise.script_of("ab1,。 ".join(han)) == "traditional"
    assert normalise.script_of(normalise.convert(han, "t2s")) == "simplified"
    assert normalise.script_of("ab" * 200) is None


def _merged_fits() -> bool:
    import opencc

    return normalise._merged_fits(opencc)


needs_merged = pytest.mark.skipif(
    not _merged_fits(),
    reason="the installed OpenCC's dictionaries are not those linker/data/opencc was built "
           "from (rebuild with tools/opencc_s2t.py); linker uses OpenCC's own s2t and s2twp")


@needs_merged
@pytest.mark.parametrize("config", ["s2t", "s2twp"])
def test_the_merged_configurations_convert_as_opencc_s_own(config: str) -> None:
    """linker loads s2t and s2twp with one dictionary a step (~14 ms, not ~43; ~16 ms, not
    ~60, inside a check): on every text at hand, and on its Simplified form, they convert exactly as OpenCC's
    own (tools/opencc_s2t.py checks every dictionary key and the whole corpus)."""
    import opencc

    own, merged = normalise._own(opencc, config), normalise._converter(config)
    assert Path(merged.config) == normalise._MERGED / f"{config}.json"
    assert Path(own.config).parent == normalise._share(opencc)
    texts = _texts_at_hand()
    texts += [convert(text, "t2s") for text in texts]
    for text in texts:
        assert merged.convert(text) == own.convert(text)


@needs_merged
def test_the_merged_forms_give_way_to_opencc_s_own_unless_their_sources_are_installed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import opencc

    def load() -> tuple[Path, str]:
        converter = normalise._one_dictionary(opencc, "s2twp")
        return Path(converter.config).parent, converter.convert("头发和软件")

    shipped, copy = normalise._MERGED, tmp_path / "opencc"
    shutil.copytree(shipped, copy)
    monkeypatch.setattr(normalise, "_MERGED", copy)
    assert load() == (copy, "頭髮和軟體")
    sources = json.loads((copy / "sources.json").read_text(encoding="utf-8"))
    sources["sources"]["TWPhrases.ocd2"] = "0" * 64  # built from another OpenCC's phrases
    (copy / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
    assert load() == (normalise._share(opencc), "頭髮和軟體")
    (copy / "sources.json").write_text("{damaged", encoding="utf-8")
    assert load()[0] == normalise._share(opencc)
    shutil.copyfile(shipped / "sources.json", copy / "sources.json")
    (copy / "STPhrasesUnion.ocd2").write_bytes(b"OPENCC_MARISA_0.2.5 cut short")
    assert load() == (normalise._share(opencc), "頭髮和軟體")  # OpenCC cannot read it


def test_s2t_recalls_its_last_output_for_the_same_text_only() -> None:
    """Detection converts one sample with s2t, then with s2tw and s2hk (s2t first): the
    second and third s2t of that very text object are recalled, any other text converted."""

    class Counting:
        config = "counting"
        calls = 0

        def convert(self, text: str) -> str:
            self.calls += 1
            return text.upper()

    inner = Counting()
    recalling = normalise._Recalling(inner)
    sample = "".join(["ab", "c"])
    assert recalling.convert(sample) == "ABC" and recalling.convert(sample) == "ABC"
    assert inner.calls == 1
    other = "".join(["a", "bc"])  # equal, but another object: converted again
    assert other is not sample and recalling.convert(other) == "ABC" and inner.calls == 2
    assert recalling.convert("xy") == "XY" and inner.calls == 3
    s2tw = normalise._converter("s2tw")
    assert s2tw.first is normalise._converter("s2t")  # the chains share the recalling s2t


def test_configuration_files_in_the_working_directory_change_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a bare configuration name, OpenCC reads a file of that name in the working
    directory first: linker names OpenCC's own by their full path, so a t2s.json or s2t.json
    lying where the user runs linker neither replaces the folding nor ends the check."""
    for name in ("t2s", "tw2s", "tw2sp", "s2t", "t2tw", "t2hk", "s2twp"):
        (tmp_path / f"{name}.json").write_text('{"broken": true}', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    normalise._converter.cache_clear()
    try:
        assert convert("軟體資訊", "t2s") == "软体资讯"
        assert convert("头发和软件", "s2t") == "頭髮和軟件"
        assert convert("软件", "s2twp") == "軟體"
        assert convert("着手", "s2tw") == "著手"
        assert canonical("後來") == canonical("后来")
    finally:
        normalise._converter.cache_clear()
