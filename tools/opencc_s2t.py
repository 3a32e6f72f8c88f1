"""Rebuild linker's one-dictionary form of OpenCC's s2t (``linker/data/opencc/``).

OpenCC 1.4 turns a group of dictionaries (s2t's phrases, then its characters) into a prefix
table of hash maps each time a converter is made: ~43 ms of every check of a Simplified page
(80–110 ms in a fresh process), while a single dictionary is used as it is (~14 ms).  This
tool merges s2t's three dictionaries into one with OpenCC's own ``opencc_dict`` tool (phrases
win over characters; they share no key), copies the normalisation dictionary beside it,
writes the configuration, and records the SHA-256 of every OpenCC file it was built from.
linker uses the merged form only while the installed OpenCC holds exactly those files, and
OpenCC's own s2t otherwise.

It then checks the two convert alike: every key of the three dictionaries alone and all of
them run together, and, when the shared corpus is there, every page of it.

Run it after upgrading OpenCC:  python tools/opencc_s2t.py
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "linker" / "data" / "opencc"
SHARE = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"
TOOL = Path(opencc.__file__).resolve().parent / "clib" / "bin" / "opencc_dict"
CORPUS = ROOT.parent / "shared" / "corpus"

PHRASES = ("STPhrases.ocd2", "STPhrases_GeneratedFromRegionalPhrases.ocd2")
CHARACTERS = "STCharacters.ocd2"
NORMALISATION = "CJK_Compatibility_Ideographs.ocd2"
MERGED = "STPhrasesCharacters.ocd2"
STOCK_CONFIG = "s2t.json"
"""linker's merged form stands for OpenCC's s2t.json as it is: its hash is recorded too."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def to_text(name: str, folder: Path) -> list[tuple[str, str]]:
    """The entries of one of OpenCC's dictionaries: key, then its values as OpenCC writes them."""
    out = folder / f"{name}.txt"
    subprocess.run([str(TOOL), "-i", str(SHARE / name), "-o", str(out), "-f", "ocd2",
                    "-t", "text"], check=True, capture_output=True)
    entries = []
    for line in out.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key:
            entries.append((key, values))
    return entries


def build(folder: Path) -> list[str]:
    """Write the merged dictionary and its configuration to :data:`OUT`; return every key."""
    merged: dict[str, str] = {}
    for name in (*PHRASES, CHARACTERS):
        for key, values in to_text(name, folder):
            if merged.setdefault(key, values) != values:
                sys.exit(f"{name}: {key} has values other than an earlier dictionary's; "
                         "merging would change what s2t does")
    text = folder / "merged.txt"
    text.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(
        merged.items(), key=lambda kv: kv[0].encode("utf-8"))), encoding="utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(TOOL), "-i", str(text), "-o", str(OUT / MERGED), "-f", "text",
                    "-t", "ocd2"], check=True, capture_output=True)
    shutil.copyfile(SHARE / NORMALISATION, OUT / NORMALISATION)
    config = {
        "name": "Simplified Chinese to Traditional Chinese (OpenCC's s2t, one dictionary)",
        "normalization": [{"dict": {"type": "ocd2", "file": NORMALISATION}}],
        "conversion_chain": [{"dict": {"type": "ocd2", "file": MERGED}}],
    }
    (OUT / "s2t.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
    sources = {name: sha256(SHARE / name)
               for name in (STOCK_CONFIG, NORMALISATION, *PHRASES, CHARACTERS)}
    (OUT / "sources.json").write_text(json.dumps(
        {"opencc": opencc.__version__, "sources": sources}, indent=2) + "\n", encoding="utf-8")
    return list(merged)


def check(keys: list[str]) -> None:
    stock, one = opencc.OpenCC("s2t.json"), opencc.OpenCC(str(OUT / "s2t.json"))
    texts = [*keys, "".join(keys), "".join(reversed(keys))]
    if CORPUS.is_dir():
        texts += [re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8", errors="ignore"))
                  for p in sorted(CORPUS.rglob("*")) if p.suffix in (".html", ".txt")]
    differ = [t[:20] for t in texts if stock.convert(t) != one.convert(t)]
    if differ:
        sys.exit(f"the merged s2t converts {len(differ)} texts differently, e.g. {differ[:3]}")
    print(f"OpenCC {opencc.__version__}: {len(keys)} keys merged; {len(texts)} texts "
          f"({sum(map(len, texts)):,} characters) convert alike")


def main() -> None:
    if not TOOL.is_file():
        sys.exit(f"OpenCC's opencc_dict tool is not at {TOOL}")
    with tempfile.TemporaryDirectory() as tmp:
        keys = build(Path(tmp))
    check(keys)


if __name__ == "__main__":
    main()
