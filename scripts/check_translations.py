#!/usr/bin/env python3
"""Check the English catalogue: every Thai msgid has an English msgstr with the same placeholders.

    .venv/bin/python scripts/check_translations.py [PO_FILE] [--pot POT_FILE] [--extract]

Exits 1 and lists each problem (missing or fuzzy translation, placeholders that differ,
Thai left in the English text, a msgid of the template missing from the catalogue, and with
--extract a string of the code, extracted now with babel.cfg, missing from the catalogue).
Fix: `make translations-update`, then write the English in translations/en/LC_MESSAGES/messages.po.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
DEFAULT_POT = ROOT / "translations" / "messages.pot"
#: The keywords of the project's extraction command (`-k _l -k lazy_gettext`).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

#: A printf-style conversion as Python's `%` operator reads it; a lone "%" is kept as a token
#: too, because Jinja's gettext always applies `%` and would fail on it.
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]|%")
THAI = re.compile(r"[\u0E00-\u0E7F]")


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, sorted, without the literal "%%"."""
    return sorted(token for token in PLACEHOLDER.findall(text) if token != "%%")


def _forms(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: one for a simple message, one per plural form."""
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return [(ids[min(index, len(ids) - 1)], string or "") for index, string in enumerate(strings)]


def problems(catalog: Catalog) -> list[str]:
    """Every problem of the catalogue's entries, one line each; empty when it is complete."""
    found: list[str] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        label = _label(message)
        if message.fuzzy:
            found.append(f"fuzzy (check and remove the flag): {label!r}")
        for source, string in _forms(message):
            if not string.strip():
                found.append(f"no English: {label!r}")
                break
            if placeholders(source) != placeholders(string):
                found.append(
                    f"placeholders differ: {label!r} has {placeholders(source)}, "
                    f"English {string!r} has {placeholders(string)}"
                )
            if THAI.search(string):
                found.append(f"Thai left in the English: {label!r} -> {string!r}")
    return found


def missing_from(catalog: Catalog, template: Catalog, where: str) -> list[str]:
    """The msgids of `template` that the catalogue lacks (or has as singular/plural the other way)."""
    found = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id)
        if entry is None or entry.pluralizable != message.pluralizable:
            found.append(f"{where} but not in the catalogue (run make translations-update): {_label(message)!r}")
    return found


def _label(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def extract(root: Path = ROOT) -> Catalog:
    """The messages of the code as `pybabel extract -F babel.cfg -k _l -k lazy_gettext` finds them now."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(root / "babel.cfg"))
    template = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        root, method_map, options_map, keywords=KEYWORDS
    ):
        template.add(message, locations=[(filename, lineno)], context=context)
    return template


def load(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("po", nargs="?", type=Path, default=DEFAULT_PO)
    parser.add_argument("--pot", type=Path, default=None,
                        help=f"also check every msgid of this template is in the catalogue (default {DEFAULT_POT} "
                             "when checking the default catalogue)")
    parser.add_argument("--extract", action="store_true",
                        help="also extract the strings of the code now and check each is in the catalogue")
    args = parser.parse_args(list(argv) if argv is not None else None)
    pot = args.pot or (DEFAULT_POT if args.po == DEFAULT_PO and DEFAULT_POT.exists() else None)
    catalog = load(args.po)
    found = problems(catalog)
    if pot:
        found += missing_from(catalog, load(pot), f"in {pot.name}")
    if args.extract:
        found += missing_from(catalog, extract(), "in the code")
    count = sum(1 for message in catalog if message.id)
    if found:
        print(f"{args.po}: {len(found)} problem(s) in {count} messages", file=sys.stderr)
        for line in found:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"{args.po}: {count} messages, all translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
