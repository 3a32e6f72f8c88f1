"""Rebuild linker's one-dictionary forms of OpenCC's s2t and s2twp (``linker/data/opencc/``).

OpenCC 1.4 turns a group of dictionaries (s2t's phrases, then its characters) into a prefix
table of hash maps each time a converter is made: ~43 ms of every check of a Simplified page
(80–110 ms in a fresh process), and ~60 ms more for s2twp, which groups them again for its
segmentation; a single dictionary is used as it is (~14 ms).  This tool merges s2t's three
dictionaries into one, and its two phrase dictionaries into another (s2twp's segmentation),
with OpenCC's own ``opencc_dict`` tool (earlier dictionaries win; they share no key with
different values), copies the other dictionaries the two configurations name beside them,
writes the configurations, and records the SHA-256 of every OpenCC file they were built from.
linker uses them only while the installed OpenCC holds exactly those files, and OpenCC's own
configurations otherwise.

It then checks that both forms convert as OpenCC's own: every key of the dictionaries alone and
all of them run together, and, when the shared corpus is there, every page of it.

Run it after upgrading OpenCC:  python tools/opencc_s2t.py
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import opencc

from linker.compare import normalise

ROOT = Path(__file__).resolve().parents[1]
OUT = normalise._MERGED
"""Where linker looks for the merged forms."""
SHARE = normalise._share(opencc)
"""Where linker finds the installed OpenCC's files, and checks their hashes."""
TOOL = SHARE.parents[1] / "bin" / "opencc_dict"
CORPUS = ROOT.parent / "shared" / "corpus"

PHRASES = ("STPhrases.ocd2", "STPhrases_GeneratedFromRegionalPhrases.ocd2")
CHARACTERS = "STCharacters.ocd2"
TAIWAN = ("TWPhrases.ocd2", "TWVariantsPhrases.ocd2", "TWVariants.ocd2")
"""s2twp's second step, a small group: copied as it is."""
NORMALISATION = "CJK_Compatibility_Ideographs.ocd2"
CONVERSION = "STPhrasesCharacters.ocd2"
"""s2t's phrases and characters as one dictionary."""
SEGMENTATION = "STPhrasesUnion.ocd2"
"""s2t's phrases as one dictionary: s2twp segments the text with them."""
STOCK = ("s2t", "s2twp")
"""The configurations these stand for, as OpenCC ships them (their hashes are recorded too)."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entries(name: str, folder: Path) -> list[tuple[str, str]]:
    """The entries of one of OpenCC's dictionaries: key, then its values as OpenCC writes them."""
    out = folder / f"{name}.txt"
    subprocess.run([str(TOOL), "-i", str(SHARE / name), "-o", str(out), "-f", "ocd2",
                    "-t", "text"], check=True, capture_output=True)
    found = []
    for line in out.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key:
            found.append((key, values))
    return found


def merge(names: tuple[str, ...], target: str, folder: Path) -> list[str]:
    """Compile the dictionaries ``names`` into one, ``target``; return its keys."""
    merged: dict[str, str] = {}
    for name in names:
        for key, values in entries(name, folder):
            if merged.setdefault(key, values) != values:
                sys.exit(f"{name}: {key} has values other than an earlier dictionary's; "
                         "merging would change what OpenCC does")
    text = folder / f"{target}.txt"
    text.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(
        merged.items(), key=lambda kv: kv[0].encode("utf-8"))), encoding="utf-8")
    subprocess.run([str(TOOL), "-i", str(text), "-o", str(OUT / target), "-f", "text",
                    "-t", "ocd2"], check=True, capture_output=True)
    return list(merged)


def _dict(name: str) -> dict[str, Any]:
    return {"type": "ocd2", "file": name}


def build(folder: Path) -> list[str]:
    """Write the dictionaries and configurations to :data:`OUT`; return the keys to check."""
    OUT.mkdir(parents=True, exist_ok=True)
    keys = merge((*PHRASES, CHARACTERS), CONVERSION, folder)
    merge(PHRASES, SEGMENTATION, folder)
    for name in (NORMALISATION, *TAIWAN):
        shutil.copyfile(SHARE / name, OUT / name)
    normalization = [{"dict": _dict(NORMALISATION)}]
    configs = {
        "s2t": {"name": "Simplified Chinese to Traditional Chinese (OpenCC's s2t, one "
                        "dictionary)",
                "normalization": normalization,
                "conversion_chain": [{"dict": _dict(CONVERSION)}]},
        "s2twp": {"name": "Simplified Chinese to Traditional Chinese, Taiwan Standard, with "
                          "Taiwan phrases (OpenCC's s2twp, one dictionary a step)",
                  "normalization": normalization,
                  "segmentation": {"type": "mmseg", "dict": _dict(SEGMENTATION)},
                  "conversion_chain": [
                      {"dict": _dict(CONVERSION)},
                      {"dict": {"type": "group", "match_policy": "short_circuit",
                                "dicts": [_dict(name) for name in TAIWAN]}}]},
    }
    for name, config in configs.items():
        (OUT / f"{name}.json").write_text(json.dumps(config, ensure_ascii=False, indent=2)
                                          + "\n", encoding="utf-8")
    sources = {name: sha256(SHARE / name) for name in (
        *(f"{c}.json" for c in STOCK), NORMALISATION, *PHRASES, CHARACTERS, *TAIWAN)}
    (OUT / "sources.json").write_text(json.dumps(
        {"opencc": opencc.__version__, "sources": sources}, indent=2) + "\n", encoding="utf-8")
    # The Taiwan step's keys, in Simplified script, so that s2t hands them to it.
    t2s = opencc.OpenCC(str(SHARE / "t2s.json"))
    return keys + [t2s.convert(k) for name in TAIWAN for k, _ in entries(name, folder)]


def check(keys: list[str]) -> None:
    shuffled = keys[:]
    random.Random(1).shuffle(shuffled)
    texts = [*keys, "".join(keys), "".join(shuffled)]
    if CORPUS.is_dir():
        texts += [re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8", errors="ignore"))
                  for p in sorted(CORPUS.rglob("*")) if p.suffix in (".html", ".txt")]
    for name in STOCK:
        own, one = opencc.OpenCC(str(SHARE / f"{name}.json")), opencc.OpenCC(
            str(OUT / f"{name}.json"))
        differ = [t[:20] for t in texts if own.convert(t) != one.convert(t)]
        if differ:
            sys.exit(f"the merged {name} converts {len(differ)} texts differently, "
                     f"e.g. {differ[:3]}")
    print(f"OpenCC {opencc.__version__}: s2t and s2twp convert {len(texts)} texts "
          f"({sum(map(len, texts)):,} characters) as OpenCC's own")


def main() -> None:
    if not TOOL.is_file():
        sys.exit(f"OpenCC's opencc_dict tool is not at {TOOL}")
    with tempfile.TemporaryDirectory() as tmp:
        keys = build(Path(tmp))
    check(keys)


if __name__ == "__main__":
    main()
