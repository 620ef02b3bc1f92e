"""Similar published ideas of an area, for "similar ideas while typing" and "did you mean".

One `SimilarityIndex` per area is kept in memory per process, built from the words stored
with each idea (`ideas.search_tokens`, never re-tokenized). No request ever builds one:

* **start-up** (`warm`, run by every gunicorn worker and `make run` before they take requests):
  PyThaiNLP's dictionary, the libraries and every area's index are loaded — from the newest
  snapshot in Redis when there is one (tens of ms at 10k ideas), else built;
* **new ideas**: each call checks, with one small query, whether ideas were published since;
  each is appended with `index.add` (about 1 ms), so every worker sees a new idea at its next
  call, within the second (the process that published it appends it after its response; the
  new idea's group and issue are decided by the background worker, `groups.services.place_published`);
* **drift**: appended ideas are weighed with the vocabulary and topics of the last build, so
  once they exceed a tenth of the index (or the index is small, where a new word matters) a
  rebuild is requested from the background worker (RQ; without Redis a thread of this
  process). The worker builds from stored words and publishes a snapshot (a pickle in Redis);
  web workers notice it within `SNAPSHOT_CHECK_SECONDS` and load it in a thread, answering
  from the index they have meanwhile. An idea published late (approved, unmerged) is appended
  at once where it happened and reaches the other workers with that rebuild.

Hidden or rejected ideas are filtered out when results are loaded, so nothing unpublished
leaks. Measured (bench/web.py, bench/startup.py) and chosen over rebuilding in each worker:
a 10k-idea build costs 3–6 s of CPU, its snapshot 37 MB and 60 ms to load.
"""
from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm
from flask import current_app, has_app_context

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.grouping import SimilarityIndex, tokenize
from idea4gov.ideas.models import Idea

log = logging.getLogger(__name__)

#: At or above this score (the engine's blended cosine, 0–1) a new idea is so close to
#: an existing one (a copy or a light rewording) that the form asks "did you mean" before
#: publishing. On the demo data the best match of an ordinary idea scores 0.10–0.37, and
#: freely reworded duplicates 0.16–0.37: those are only shown as suggestions.
CONFIRM_THRESHOLD = 0.5
#: Ask for a rebuild once appended ideas exceed this share of the index, and after any append
#: below REBUILD_BELOW ideas (appended ideas only use the words the index knew).
REBUILD_SHARE = 0.1
REBUILD_BELOW = 50
MAX_K = 20
#: Seconds between two rebuilds of one area (the kick key's life in Redis).
REBUILD_EVERY = 60
#: How often a web worker looks for a newer snapshot of an area's index.
SNAPSHOT_CHECK_SECONDS = 2.0
SNAPSHOT_PREFIX = "idea4gov:simindex:"
SNAPSHOT_TTL = 7 * 24 * 3600
#: Areas larger than this are not built during a worker's start when no snapshot exists.
WARM_BUILD_MAX = 20_000


@dataclass
class _AreaIndex:
    index: SimilarityIndex
    idea_ids: list[int]
    last_id: int
    built_size: int
    #: Snapshot version it came from (0: built in this process).
    version: int = 0
    #: When this process last asked for a rebuild (monotonic seconds; 0: never).
    asked_at: float = 0.0
    checked_at: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)


_cache: dict[tuple[str, int], _AreaIndex] = {}
_cache_lock = threading.Lock()


def _key(area_id: int) -> tuple[str, int]:
    return (str(db.engine.url), area_id)


def _published(area_id: int, after_id: int = 0) -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Idea.id, Idea.search_tokens)
        # Duplicates merged into another idea are left out: residents are pointed at the target.
        .where(Idea.area_id == area_id, Idea.visible(), Idea.merged_into_id.is_(None), Idea.id > after_id)
        .order_by(Idea.id)
    )
    return [(row.id, row.search_tokens) for row in rows]


def build(area_id: int) -> _AreaIndex:
    """Build the area's index from stored words (start-up, the background worker; never a request)."""
    rows = _published(area_id)
    index = SimilarityIndex.from_tokens([tokens.split() for _id, tokens in rows])
    ids = [idea_id for idea_id, _tokens in rows]
    return _AreaIndex(index, ids, ids[-1] if ids else 0, len(ids))


def area_index(area: Area) -> _AreaIndex:
    """The area's index, with ideas published since appended (built only if it was never warmed)."""
    key = _key(area.id)
    with _cache_lock:
        entry = _cache.get(key)
    if entry is None:
        # Not warmed (a command, a test, an area made since start-up): build it now, once.
        entry = _load_snapshot(area.id) or build(area.id)
        with _cache_lock:
            entry = _cache.setdefault(key, entry)
    _maybe_take_snapshot(area.id, entry)
    with entry.lock:
        fresh = _published(area.id, entry.last_id)
        for idea_id, tokens in fresh:
            entry.index.add(tokens.split())
            entry.idea_ids.append(idea_id)
            entry.last_id = idea_id
    _maybe_ask_rebuild(area.id, entry)
    with _cache_lock:  # a rebuild run at once (a command, the tests) has replaced it
        return _cache.get(key, entry)


def _drifted(entry: _AreaIndex) -> bool:
    appended = len(entry.idea_ids) - entry.built_size
    return appended > 0 and (entry.built_size < REBUILD_BELOW or appended > entry.built_size * REBUILD_SHARE)


def _maybe_ask_rebuild(area_id: int, entry: _AreaIndex, force: bool = False) -> None:
    now = time.monotonic()
    if not (force or (_drifted(entry) and now - entry.asked_at > REBUILD_EVERY)):
        return
    entry.asked_at = now
    from idea4gov import jobs

    # At most one rebuild of an area per REBUILD_EVERY seconds across all processes: a stream of
    # new ideas is served by appending meanwhile.
    # (A late idea forces one past that limit: the other processes have no other way to learn of it.)
    jobs.run_in_background(rebuild_job, area_id, kick_key=None if force else f"simindex-{area_id}",
                           kick_seconds=REBUILD_EVERY, job_timeout=3600)


def rebuild_job(area_id: int) -> int:
    """Rebuild an area's index from stored words and publish it (the background worker)."""
    if not has_app_context():
        from idea4gov import create_app

        with create_app().app_context():
            return rebuild_job(area_id)
    entry = build(area_id)
    version = _publish_snapshot(area_id, entry)
    entry.version = version
    with _cache_lock:
        current = _cache.get(_key(area_id))
        if current is None or current.version <= version:
            _cache[_key(area_id)] = entry  # this process swaps at once (development: the same process)
    log.info("similarity index of area %s rebuilt: %d ideas (snapshot %s)", area_id, len(entry.idea_ids), version)
    return len(entry.idea_ids)


# --- snapshots in Redis --------------------------------------------------------------------------

def _redis():
    from idea4gov import jobs

    return jobs.redis_connection()


def _snapshot_key(area_id: int) -> str:
    database = hashlib.sha256(db.engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    return f"{SNAPSHOT_PREFIX}{database}:{area_id}"


def _publish_snapshot(area_id: int, entry: _AreaIndex) -> int:
    redis = _redis()
    if redis is None:
        return 0
    key = _snapshot_key(area_id)
    data = pickle.dumps((entry.index, entry.idea_ids, entry.last_id, entry.built_size), protocol=5)
    version = int(redis.incr(key + ":version"))
    with redis.pipeline() as pipe:
        pipe.set(key + ":data", data, ex=SNAPSHOT_TTL)
        pipe.set(key + ":data-version", version, ex=SNAPSHOT_TTL)
        pipe.execute()
    return version


def _load_snapshot(area_id: int) -> _AreaIndex | None:
    redis = _redis()
    if redis is None:
        return None
    key = _snapshot_key(area_id)
    try:
        version, data = redis.mget(key + ":data-version", key + ":data")
        if not data:
            return None
        index, ids, last_id, built_size = pickle.loads(data)  # noqa: S301 - written by our own worker
    except Exception:  # noqa: BLE001 - no snapshot: build instead
        log.exception("could not load the similarity snapshot of area %s", area_id)
        return None
    return _AreaIndex(index, list(ids), last_id, built_size, version=int(version or 0))


def _maybe_take_snapshot(area_id: int, entry: _AreaIndex) -> None:
    """Every SNAPSHOT_CHECK_SECONDS: if the worker published a newer snapshot, load it in a thread."""
    now = time.monotonic()
    if now - entry.checked_at < SNAPSHOT_CHECK_SECONDS:
        return
    entry.checked_at = now
    redis = _redis()
    if redis is None:
        return
    try:
        published = int(redis.get(_snapshot_key(area_id) + ":data-version") or 0)
    except Exception:  # noqa: BLE001
        return
    if published <= entry.version:
        return
    app = current_app._get_current_object()

    def load() -> None:
        with app.app_context():
            fresh = _load_snapshot(area_id)
            if fresh is None:
                return
            with _cache_lock:
                current = _cache.get(_key(area_id))
                if current is None or current.version < fresh.version:
                    _cache[_key(area_id)] = fresh

    entry.version = published  # ask once; the thread swaps when it has it
    threading.Thread(target=load, name=f"simindex-{area_id}", daemon=True).start()


def warm(app, notify=lambda: None) -> None:  # noqa: ANN001
    """Load what the first requests would otherwise load: the tokenizer, the moderation word
    list, the catalogues, the templates and every area's similarity index (gunicorn workers and
    `make run`, at start-up).

    `notify()` is called between steps (gunicorn's worker heartbeat: a worker silent longer than
    its timeout is killed). With Redis, workers starting together build each area once: one
    builds and publishes a snapshot, the others wait for it and load it."""
    from idea4gov.grouping import warm_up

    started = time.perf_counter()
    warm_up()
    from idea4gov.moderation import filters

    filters.warm_up()  # the listed words every new idea and comment is screened for
    notify()
    with app.app_context():
        from flask_babel import force_locale, get_translations

        for locale in app.config["LANGUAGES"]:
            with app.test_request_context(), force_locale(locale):
                get_translations()
        for name in ("base.html", "areas/show.html", "areas/_listing.html", "ideas/show.html", "ideas/new.html"):
            app.jinja_env.get_template(name)
        try:
            sizes = dict(db.session.execute(
                sa.select(Area.id, sa.func.count(Idea.id)).outerjoin(Idea, Idea.area_id == Area.id).group_by(Area.id)
            ).all())
        except sa.exc.SQLAlchemyError:  # not migrated yet: nothing to warm
            db.session.rollback()
            log.warning("warm-up: no database tables yet")
            return
        area_ids = sorted(sizes)
        for area_id in area_ids:
            entry = _warm_one(area_id, sizes[area_id], notify)
            if entry is not None:
                with _cache_lock:
                    _cache[_key(area_id)] = entry
            notify()
        db.session.remove()
    _first_requests(app, area_ids[:WARM_REQUEST_AREAS])
    notify()
    log.info("warm-up: %d areas' similarity indexes ready in %.1f s", len(area_ids), time.perf_counter() - started)


#: Asked of the app itself at start-up (no network): what is left to do on a first request —
#: compiling SQL statements and templates, opening the connection pool, lazy imports — is done here.
WARM_PATHS = ("/", "/areas/{slug}", "/areas/{slug}?sort=new&page=2", "/areas/{slug}?q=%E0%B8%82%E0%B8%A2%E0%B8%B0",
              "/api/v1/areas/{slug}/ideas", "/api/v1/areas/{slug}/similar?text=%E0%B8%82%E0%B8%A2%E0%B8%B0%E0%B8%A3%E0%B8%B4%E0%B8%A1%E0%B8%AB%E0%B8%B2%E0%B8%94",
              "/ideas/{idea}")


#: Areas whose pages are asked for at start-up (each costs tens of milliseconds).
WARM_REQUEST_AREAS = 20


def _first_requests(app, area_ids: list[int]) -> None:  # noqa: ANN001
    client = app.test_client()
    for area_id in area_ids:
        with app.app_context():
            slug = db.session.scalar(sa.select(Area.slug).where(Area.id == area_id))
            idea = db.session.scalar(sa.select(Idea.id).where(Idea.area_id == area_id, Idea.visible()).limit(1))
            db.session.remove()
        for path in WARM_PATHS:
            if "{idea}" in path and idea is None:
                continue
            try:
                client.get(path.format(slug=slug, idea=idea)).close()
            except Exception:  # noqa: BLE001 - a warm-up never stops a start
                log.exception("warm-up request %s failed", path)


def _warm_one(area_id: int, size: int, notify) -> _AreaIndex | None:  # noqa: ANN001
    entry = _load_snapshot(area_id)
    if entry is not None:
        return entry
    redis = _redis()
    if redis is not None and not redis.set(_snapshot_key(area_id) + ":building", 1, nx=True, ex=300):
        # Another worker is building it: wait for its snapshot (up to a minute).
        for _ in range(600):
            time.sleep(0.1)
            notify()
            entry = _load_snapshot(area_id)
            if entry is not None:
                return entry
    if size > WARM_BUILD_MAX:
        # Too long for a worker's start: the background worker builds it; until its snapshot
        # arrives the first call builds it (only a very large area on a deploy without snapshots).
        from idea4gov import jobs

        jobs.run_in_background(rebuild_job, area_id, kick_key=f"simindex-{area_id}",
                               kick_seconds=REBUILD_EVERY, job_timeout=3600)
        return None
    entry = build(area_id)
    entry.version = _publish_snapshot(area_id, entry)  # the next worker to start loads it
    return entry


def on_published(idea: Idea) -> None:
    """An idea was just published (posted, approved): once it is committed and the response sent,
    this process appends it and asks for a rebuild if the index has drifted (appending is itself
    a search, for the new row's hub value). The other processes, and a request of this one that
    comes first, append it at their next call, which fetches what was published since."""
    if idea.id is not None and idea.id > 0:
        from idea4gov import jobs

        jobs.after_commit(db.session, _append_published, idea.area_id, in_this_process=True)


def _append_published(area_id: int) -> None:
    area = db.session.get(Area, area_id)
    if area is not None:
        area_index(area)


def forget(area: Area | None = None) -> None:
    """Drop cached indexes (all, or one area's): after ids changed under them (a restore, tests,
    a failed import). The next call builds again."""
    with _cache_lock:
        for key in [key for key in _cache if area is None or key[1] == area.id]:
            del _cache[key]


def published_late(idea: Idea) -> None:
    """An idea older than the cached index was published (approved, unmerged): appended here at
    once; the rebuild it asks for brings it to the other workers."""
    with _cache_lock:
        entry = _cache.get(_key(idea.area_id))
    if entry is None:
        return
    if idea.id > entry.last_id:
        return  # a newer id: the next call appends it anyway
    with entry.lock:
        if idea.id not in entry.idea_ids and idea.search_tokens:
            entry.index.add(idea.search_tokens.split())
            entry.idea_ids.append(idea.id)
    entry.asked_at = time.monotonic()  # not before the commit (below)
    # The rebuild must read the idea as published: it is asked for once this transaction commits.
    db.session.info.setdefault(_REBUILD_AFTER_COMMIT, set()).add(idea.area_id)


_REBUILD_AFTER_COMMIT = "idea4gov_similar_rebuild"


@sa.event.listens_for(sa.orm.Session, "after_commit")
def _rebuild_after_commit(session: sa.orm.Session) -> None:
    area_ids = session.info.pop(_REBUILD_AFTER_COMMIT, set())
    if not area_ids or not has_app_context():
        return
    for area_id in area_ids:
        with _cache_lock:
            entry = _cache.get(_key(area_id))
        if entry is not None:
            _maybe_ask_rebuild(area_id, entry, force=True)


@sa.event.listens_for(sa.orm.Session, "after_soft_rollback")
def _no_rebuild_after_rollback(session: sa.orm.Session, _previous) -> None:  # noqa: ANN001
    session.info.pop(_REBUILD_AFTER_COMMIT, None)


@dataclass(frozen=True)
class SimilarIdea:
    idea: Idea
    #: The engine's blended cosine, 0–1 (what CONFIRM_THRESHOLD reads).
    score: float
    #: Probably the same problem at the same place ("อาจเป็นเรื่องเดียวกัน"), not only a similar
    #: one ("เรื่องใกล้เคียง"); such matches come first.
    same_issue: bool


def similar_matches(area: Area, text: str, k: int = 5) -> list[SimilarIdea]:
    """Up to k published ideas of the area most similar to `text`: same-issue matches first, then
    the others best first."""
    tokens = tokenize(text or "")
    if not tokens:
        return []
    entry = area_index(area)
    with entry.lock:
        # Ask for a few more: some may have been hidden since they were indexed.
        found = [(entry.idea_ids[m.position], m.score, m.same_issue)
                 for m in entry.index.matches_tokens(tokens, k=min(k, MAX_K) + 5)]
    if not found:
        return []
    ideas = {
        idea.id: idea
        for idea in db.session.scalars(
            sa.select(Idea).where(Idea.id.in_([idea_id for idea_id, _s, _i in found]), Idea.visible(),
                                  Idea.merged_into_id.is_(None))
        )
    }
    return [SimilarIdea(ideas[idea_id], score, same) for idea_id, score, same in found if idea_id in ideas][:k]


def similar_ideas(area: Area, text: str, k: int = 5) -> list[tuple[Idea, float]]:
    """Up to k published ideas of the area most similar to `text`, best first, with scores."""
    return [(match.idea, match.score) for match in similar_matches(area, text, k)]


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
