"""What the benchmarks share: the real Thai text they read, and percentiles."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Real Thai text (read by path, never copied into the project).
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "traffy-bangkok-dev.csv"
#: Used when the data file is not there, so a bench still runs (figures then mean little).
FALLBACK = [
    "ขยะบนชายหาดเยอะมาก อยากให้เพิ่มถังขยะแยกประเภทริมหาด",
    "ไฟถนนในซอยดับหลายจุด กลางคืนมืดมาก อันตรายต่อคนเดินทาง",
    "อยากให้มีเรือท่องเที่ยวชมวิถีชีวิตริมแม่น้ำในชุมชน",
    "ทางเท้าชำรุด น้ำขังเวลาฝนตก ผู้สูงอายุเดินลำบาก",
]


def load_texts(path: Path) -> list[str]:
    """The `text` column's rows of at least 30 characters (an idea's body is at least 30)."""
    if not path.exists():
        print(f"# {path} not found: using synthetic Thai text", file=sys.stderr)
        return FALLBACK
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row["text"].strip() for row in csv.DictReader(handle) if len(row.get("text", "").strip()) >= 30]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0–1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]
