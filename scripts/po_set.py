"""Fill English translations in the catalogue without hand-editing the .po file.

    python scripts/po_set.py --missing            # print msgids still without English (JSON)
    python scripts/po_set.py pairs.json           # {"Thai msgid": "English", ...}; plurals as [one, other]
    python scripts/po_set.py --from other.po      # copy every English string another catalogue has

Run `make translations-update` first so every msgid is in the catalogue, then `make translations`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _key(message) -> str:  # noqa: ANN001
    return message.id[0] if isinstance(message.id, tuple) else message.id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="?", help="JSON file of Thai msgid -> English")
    parser.add_argument("--missing", action="store_true")
    parser.add_argument("--from", dest="source", help="another messages.po to copy English from")
    parser.add_argument("--po", default=str(CATALOGUE))
    args = parser.parse_args()
    with open(args.po, "rb") as handle:
        catalog = read_po(handle, locale="en")
    messages = [m for m in catalog if m.id]
    if args.missing:
        missing = [_key(m) for m in messages if not (m.string if isinstance(m.string, str) else all(m.string))]
        json.dump(missing, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    pairs: dict = {}
    if args.source:
        with open(args.source, "rb") as handle:
            for m in read_po(handle, locale="en"):
                if m.id and m.string and (isinstance(m.string, str) or all(m.string)):
                    pairs[_key(m)] = list(m.string) if isinstance(m.string, tuple) else m.string
    if args.pairs:
        pairs.update(json.loads(Path(args.pairs).read_text(encoding="utf-8")))
    filled = 0
    for m in messages:
        value = pairs.get(_key(m))
        if value is None:
            continue
        if isinstance(m.id, tuple):
            m.string = tuple(value) if isinstance(value, list) else (value, value)
        else:
            m.string = value if isinstance(value, str) else value[0]
        m.flags.discard("fuzzy")
        filled += 1
    with open(args.po, "wb") as handle:
        write_po(handle, catalog, width=76, omit_header=False)
    print(f"filled {filled} messages in {args.po}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
