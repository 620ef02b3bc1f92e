"""Similar published ideas of an area, for "similar ideas while typing" and "did you mean".

One `SimilarityIndex` per area is kept in memory per process, built from the words stored
with each idea (`ideas.search_tokens`, never re-tokenized). Each call checks, with one
small query, whether ideas were published since; new ones are appended with
`index.add`, and the index is rebuilt from stored words when more than a tenth of it was
appended that way, or whenever it is small (appended ideas do not move the vocabulary or
topic basis, so they only match through words the index already knew). Hidden or
rejected ideas are filtered out when results are loaded, so nothing unpublished leaks.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.grouping import SimilarityIndex, tokenize
from idea4gov.ideas.models import Idea

#: At or above this score (the engine's blended cosine, 0–1) a new idea is so close to
#: an existing one (a copy or a light rewording) that the form asks "did you mean" before
#: publishing. On the demo data the best match of an ordinary idea scores 0.10–0.37, and
#: freely reworded duplicates 0.16–0.37: those are only shown as suggestions.
CONFIRM_THRESHOLD = 0.5
#: Rebuild once appended ideas exceed this share of the index, and always below
#: REBUILD_BELOW ideas (cheap there, and appended ideas only use the words the index knew).
REBUILD_SHARE = 0.1
REBUILD_BELOW = 500
MAX_K = 20


@dataclass
class _AreaIndex:
    index: SimilarityIndex
    idea_ids: list[int]
    last_id: int
    built_size: int
    lock: threading.Lock = field(default_factory=threading.Lock)


_cache: dict[tuple[str, int], _AreaIndex] = {}
_cache_lock = threading.Lock()


def _published(area: Area, after_id: int = 0) -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Idea.id, Idea.search_tokens)
        # Duplicates merged into another idea are left out: residents are pointed at the target.
        .where(Idea.area_id == area.id, Idea.visible(), Idea.merged_into_id.is_(None), Idea.id > after_id)
        .order_by(Idea.id)
    )
    return [(row.id, row.search_tokens) for row in rows]


def _build(area: Area) -> _AreaIndex:
    rows = _published(area)
    index = SimilarityIndex.from_tokens([tokens.split() for _id, tokens in rows])
    ids = [idea_id for idea_id, _tokens in rows]
    return _AreaIndex(index, ids, ids[-1] if ids else 0, len(ids))


def area_index(area: Area) -> _AreaIndex:
    """The area's index, brought up to date with ideas published since it was built."""
    key = (str(db.engine.url), area.id)
    with _cache_lock:
        entry = _cache.get(key)
    if entry is None:
        entry = _build(area)
        with _cache_lock:
            _cache[key] = entry
        return entry
    with entry.lock:
        fresh = _published(area, entry.last_id)
        appended = len(entry.idea_ids) + len(fresh) - entry.built_size
        if fresh and (entry.built_size < REBUILD_BELOW or appended > entry.built_size * REBUILD_SHARE):
            rebuilt = _build(area)
            with _cache_lock:
                _cache[key] = rebuilt
            return rebuilt
        for idea_id, tokens in fresh:
            entry.index.add(tokens.split())
            entry.idea_ids.append(idea_id)
            entry.last_id = idea_id
    return entry


def forget(area: Area | None = None) -> None:
    """Drop cached indexes (all, or one area's); the next call rebuilds."""
    with _cache_lock:
        for key in [key for key in _cache if area is None or key[1] == area.id]:
            del _cache[key]


def published_late(idea: Idea) -> None:
    """An idea older than the cached index was published (approved, restored): the index only
    appends newer ids, so drop it and let the next call rebuild."""
    key = (str(db.engine.url), idea.area_id)
    with _cache_lock:
        entry = _cache.get(key)
        if entry is not None and idea.id <= entry.last_id:
            del _cache[key]


def similar_ideas(area: Area, text: str, k: int = 5) -> list[tuple[Idea, float]]:
    """Up to k published ideas of the area most similar to `text`, best first, with scores."""
    tokens = tokenize(text or "")
    if not tokens:
        return []
    entry = area_index(area)
    with entry.lock:
        # Ask for a few more: some may have been hidden since they were indexed.
        found = entry.index.similar_tokens(tokens, k=min(k, MAX_K) + 5)
        ids = [(entry.idea_ids[position], score) for position, score in found]
    if not ids:
        return []
    ideas = {
        idea.id: idea
        for idea in db.session.scalars(
            sa.select(Idea).where(Idea.id.in_([idea_id for idea_id, _ in ids]), Idea.visible(),
                                  Idea.merged_into_id.is_(None))
        )
    }
    return [(ideas[idea_id], score) for idea_id, score in ids if idea_id in ideas][:k]


#: Nearby ideas with at least this text score join the "did you mean" step of the form without
#: JavaScript (same place and some words in common: very likely the same issue).
NEARBY_CONFIRM_THRESHOLD = 0.2


def nearby_ideas(area: Area, text: str, point, k: int = 5) -> list[tuple[Idea, float, float]]:  # noqa: ANN001
    """The second signal of "same place, same issue": published ideas of the area within a short
    distance (`idea4gov.places.services.NEARBY_RADIUS_M`) of `point`, as (idea, text score,
    distance in metres), those whose text is also similar first, then the nearest. The text
    engine is the one above, unchanged; distance only adds ideas to look at."""
    from idea4gov.places import services as places

    if point is None:
        return []
    close = places.nearby_ideas(area, point, limit=50)
    if not close:
        return []
    scores = {idea.id: score for idea, score in similar_ideas(area, text, MAX_K)} if (text or "").strip() else {}
    ranked = sorted(((idea, scores.get(idea.id, 0.0), distance) for idea, distance in close),
                    key=lambda row: (-round(row[1], 2), row[2], row[0].id))
    return ranked[:k]
