"""Subset the vendored Sarabun font to the Thai and Latin characters the site uses (a build step).

    .venv/bin/python scripts/subset_fonts.py          # needs requirements-dev.txt (fonttools, brotli)

Reads the files vendored from @fontsource/sarabun 5.3.0 (static/vendor/sarabun-5.3.0/*-normal.woff2,
SIL OFL 1.1: the sources, not linked from any page), subsets the Thai and the Latin file of each
weight, merges them into one WOFF2 per weight (`sarabun-400.woff2`, `sarabun-700.woff2`: two
downloads instead of four; rendering checked pixel-identical in Chromium) and writes sarabun.css,
whose URLs carry each file's content hash (`?v=`) so browsers may keep them for a year
(idea4gov.static_files). The output is committed; run this again only when the ranges change.

Kept: every Thai letter, vowel, tone mark, digit and sign (residents type any of them) with the
dotted circle and joiners the shaping needs; Basic Latin, Latin-1 (names such as José) and the
punctuation the interface prints (– — ‘ ’ “ ” • … ← →). Dropped: hinting (browsers on phones do
not use TrueType hinting for these sizes), glyph names, other scripts, unused layout features.
"""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

FOLDER = Path(__file__).resolve().parent.parent / "static" / "vendor" / "sarabun-5.3.0"
RANGES = {
    "thai": [(0x0E01, 0x0E3A), (0x0E3F, 0x0E5B), (0x200C, 0x200D), (0x25CC, 0x25CC)],
    "latin": [(0x0020, 0x007E), (0x00A0, 0x00FF), (0x2013, 0x2014), (0x2018, 0x2019), (0x201C, 0x201D),
              (0x2022, 0x2022), (0x2026, 0x2026), (0x2190, 0x2193)],
}
#: OpenType features the text needs: Thai mark placement and composition, kerning, ligatures.
FEATURES = ["ccmp", "locl", "mark", "mkmk", "kern", "liga", "clig", "calt", "rlig"]


def unicode_range(ranges: list[tuple[int, int]]) -> str:
    return ",".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in ranges)


def subset_one(source: Path, target: Path, ranges: list[tuple[int, int]]) -> None:
    """Write the subset as a plain TrueType file (the merger reads those)."""
    options = subset.Options()
    options.layout_features = FEATURES
    options.hinting = False
    options.glyph_names = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, names, version: the licence asks to keep them
    options.notdef_outline = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for a, b in ranges for cp in range(a, b + 1)])
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def main() -> None:
    rules = []
    everything = [r for ranges in RANGES.values() for r in ranges]
    with tempfile.TemporaryDirectory() as work:
        for weight in (400, 700):
            parts = []
            for script, ranges in RANGES.items():
                part = Path(work) / f"{script}-{weight}.ttf"
                subset_one(FOLDER / f"sarabun-{script}-{weight}-normal.woff2", part, ranges)
                parts.append(str(part))
            font = Merger().merge(parts)
            font.flavor = "woff2"
            target = FOLDER / f"sarabun-{weight}.woff2"
            font.save(str(target))
            digest = hashlib.sha256(target.read_bytes()).hexdigest()[:10]
            before = sum((FOLDER / f"sarabun-{script}-{weight}-normal.woff2").stat().st_size for script in RANGES)
            print(f"{target.name}: {before:,} bytes in {len(RANGES)} files -> {target.stat().st_size:,} bytes in one")
            rules.append(
                "@font-face {\n  font-family: 'Sarabun';\n  font-style: normal;\n  font-display: swap;\n"
                f"  font-weight: {weight};\n  src: url({target.name}?v={digest}) format('woff2');\n"
                f"  unicode-range: {unicode_range(everything)};\n}}\n")
    header = ("/* Sarabun 5.3.0 (SIL OFL 1.1, see LICENSE), from the @fontsource/sarabun npm package, subset to\n"
              "   the Thai and Latin characters the site uses by scripts/subset_fonts.py (generated: do not edit). */\n")
    (FOLDER / "sarabun.css").write_text(header + "".join(rules), encoding="utf-8")


if __name__ == "__main__":
    main()
