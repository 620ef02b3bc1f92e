"""Rendered parts of public pages, reused until what they show changes.

An area page, an idea page and the API's list spend most of their time turning the same rows
into the same HTML or JSON for every visitor. Those parts are rendered once per process and
reused while the *content versions* they were made from still hold:

* every committed change to what public pages show (ideas, votes, comments, statuses, photos,
  groups, areas, themes, names) bumps the version of its area, or the global version when the
  area cannot be told (`touch`, applied after the commit; a rollback drops it);
* a part is keyed by what it shows (area, sort, page, language, …) and stored with the
  versions read *before* its rows were read, so a change that commits meanwhile makes it
  stale at once.

Versions live in Redis when `REDIS_URL` is set, so every app server sees a change at once;
rendered parts stay in each process (no network, no pickling), bounded in number and age.
Without Redis both live in the process, which is right for one process (`make run`, tests);
production without Redis turns this cache off (`PAGE_CACHE`), as several gunicorn workers
could not see each other's changes.

Changes are noticed on the session: objects flushed (`after_flush`) and UPDATE/INSERT/DELETE
statements run through it (`do_orm_execute`). A statement names its area with
`in_area(area_id)` around it (votes, comments, new ideas); a statement no public page can see
says so with the execution option `UNSEEN`; any other write to a content table bumps the
global version — slower to re-render, never stale.
"""
from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

log = logging.getLogger(__name__)

#: Tables whose rows public pages show; writes elsewhere (sessions, tokens, audit, outbox…) never
#: invalidate anything.
CONTENT_TABLES = frozenset({
    "areas", "themes", "ideas", "votes", "comments", "idea_groups", "status_changes", "evidence_photos",
    "merges", "merged_votes", "agencies", "users",
    # the programme: rounds and their themes, area settings (rounds for votes), the holiday calendar
    # (due dates on idea pages)
    "rounds", "round_themes", "area_settings", "holidays",
    # issues inside groups ("N others reported this" on idea pages, the public list)
    "idea_issues",
    # what came of an idea (issue 16): its project, its point, the residents' confirmations and disputes
    # (idea pages, the API's ideas); ratings are shown only as averages on pages never cached whole
    "projects", "project_ideas", "idea_locations", "verifications", "verification_responses",
    # events: an idea's page says where it was developed (its event, the final proposal and outcome)
    "events", "event_proposals", "proposal_ideas",
})
#: Execution option of a statement writing a content table that changes nothing a public page
#: shows (an event's seat counter): `.execution_options(pagecache_unseen=True)`.
UNSEEN = "pagecache_unseen"
#: User columns that public pages show (an author's name, their verified badge); logins and the like
#: change nothing.
_USER_COLUMNS = ("display_name", "deleted_at", "verified_at", "show_verified_badge")
ALL = 0  # the global version's "area"
_PENDING = "idea4gov_pagecache_touched"
_area_scope: contextvars.ContextVar[int | None] = contextvars.ContextVar("pagecache_area", default=None)


@contextlib.contextmanager
def in_area(area_id: int) -> Iterator[None]:
    """Writes made inside change only this area's pages (hot paths: votes, comments, new ideas)."""
    token = _area_scope.set(area_id)
    try:
        yield
    finally:
        _area_scope.reset(token)


def touch(session: Session, area_id: int | None = None) -> None:
    """Bump the area's version (None: everything) once this session commits."""
    session.info.setdefault(_PENDING, set()).add(ALL if area_id is None else area_id)


# --- version stores ------------------------------------------------------------------------------

class LocalVersions:
    """Versions in this process (one process only: the development server, the tests)."""

    def __init__(self) -> None:
        self._versions: dict[int, int] = {}
        self._lock = threading.Lock()

    def read(self, area_id: int) -> tuple[int, int]:
        return self._versions.get(ALL, 0), self._versions.get(area_id, 0)

    def bump(self, area_ids: set[int]) -> None:
        with self._lock:
            for area_id in area_ids:
                self._versions[area_id] = self._versions.get(area_id, 0) + 1


class RedisVersions:
    """Versions in Redis, shared by every app server: one round trip to read both."""

    PREFIX = "idea4gov:pagever:"

    def __init__(self, url: str) -> None:
        from redis import Redis

        self._redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def read(self, area_id: int) -> tuple[int, int] | None:
        try:
            everything, area = self._redis.mget(f"{self.PREFIX}{ALL}", f"{self.PREFIX}{area_id}")
        except Exception:  # noqa: BLE001 - Redis away: render fresh, never serve a stale part
            log.warning("page cache: Redis unreachable, rendering without the cache")
            return None
        return int(everything or 0), int(area or 0)

    def bump(self, area_ids: set[int]) -> None:
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                for area_id in area_ids:
                    pipe.incr(f"{self.PREFIX}{area_id}")
                pipe.execute()
        except Exception:  # noqa: BLE001
            # Parts made before this change would be served until they age out (PAGE_CACHE_SECONDS).
            log.error("page cache: could not bump versions %s in Redis", sorted(area_ids))


class Parts:
    """Rendered parts of this process: least recently used dropped first, each kept at most `ttl` s."""

    def __init__(self, size: int, ttl: float) -> None:
        self.size, self.ttl = size, ttl
        self._items: OrderedDict[tuple, tuple[float, tuple, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, versions: tuple) -> object | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            made, made_from, value = item
            if made_from != versions or time.monotonic() - made > self.ttl:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: tuple, versions: tuple, value: object) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), versions, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# --- the cache -----------------------------------------------------------------------------------

def _state(app: Flask | None = None):
    return (app or current_app).extensions.get("idea4gov_pagecache")


def versions(area_id: int) -> tuple[int, int] | None:
    """The content versions of an area now (None: cache off or unreachable)."""
    state = _state()
    return state["versions"].read(area_id) if state else None


def cached(key: tuple, area_id: int, render: Callable[[], object]) -> object:
    """`render()`'s result for `key`, reused while the area's content is unchanged."""
    state = _state()
    current = state["versions"].read(area_id) if state else None
    if current is None:
        return render()
    value = state["parts"].get(key, current)
    if value is None:
        value = render()
        state["parts"].put(key, current, value)
    return value


def get(key: tuple, current: tuple[int, int]) -> object | None:
    state = _state()
    return state["parts"].get(key, current) if state else None


def put(key: tuple, made_from: tuple[int, int], value: object) -> None:
    state = _state()
    if state:
        state["parts"].put(key, made_from, value)


def clear() -> None:
    """Forget every rendered part and hint of this process (tests)."""
    state = _state()
    if state:
        state["parts"].clear()
    _hints.clear()


#: Which area an area slug or an idea id belongs to, as far as this process has seen: lets a
#: cached page be found before any query. A stale hint only costs a render (the versions of the
#: hinted area were bumped when the slug changed).
_hints: dict[tuple[str, object], int] = {}
_HINTS_MAX = 100_000


def hint(kind: str, value: object) -> int | None:
    return _hints.get((kind, value))


def remember(kind: str, value: object, area_id: int) -> None:
    if len(_hints) >= _HINTS_MAX:
        _hints.clear()
    _hints[(kind, value)] = area_id


# --- noticing changes ----------------------------------------------------------------------------

def _area_of(session: Session, obj: object) -> int | None:
    """The area an object belongs to, without a query; None when it cannot be told."""
    area_id = getattr(obj, "area_id", None)
    if area_id is not None:
        return area_id
    idea_id = getattr(obj, "idea_id", None)
    if idea_id is not None:
        from idea4gov.ideas.models import Idea

        idea = session.identity_map.get(identity_key(Idea, idea_id))
        return idea.area_id if idea is not None else None
    return None


def _final_before_or_after(proposal: object) -> bool:
    """Is this event proposal final now, or was it before this flush (sent back to draft)?"""
    state = sa.inspect(proposal)
    if "status" in state.unloaded:
        return True  # not known without a query: assume it shows
    history = state.attrs["status"].history
    return any(getattr(status, "value", status) == "final"
               for status in (*history.added, *history.unchanged, *history.deleted))


def _after_flush(session: Session, _flush_context) -> None:  # noqa: ANN001
    scoped = _area_scope.get()
    touched = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table not in CONTENT_TABLES:
            continue
        if table == "users":
            state = sa.inspect(obj)
            if not any(state.attrs[name].history.has_changes() for name in _USER_COLUMNS):
                continue
        if table == "areas":
            touched.add(obj.id)
            continue
        if table == "event_proposals" and not _final_before_or_after(obj):
            continue  # drafts (saved often during an event) show on no public page
        area_id = _area_of(session, obj)
        touched.add(area_id if area_id is not None else (scoped if scoped is not None else ALL))


def _on_execute(state) -> None:  # noqa: ANN001
    if state.is_select:  # most statements: asked first
        return
    if not (state.is_insert or state.is_update or state.is_delete):
        if state.is_select or not isinstance(state.statement, sa.TextClause):
            return
        # Raw SQL: assume the worst unless it plainly reads.
        if state.statement.text.lstrip()[:6].upper() in ("SELECT", "PRAGMA"):
            return
    else:
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table not in CONTENT_TABLES or state.execution_options.get(UNSEEN):
            return
    scoped = _area_scope.get()
    state.session.info.setdefault(_PENDING, set()).add(ALL if scoped is None else scoped)


def _after_commit(session: Session) -> None:
    touched = session.info.pop(_PENDING, None)
    if not touched:
        return
    from flask import has_app_context

    state = _state() if has_app_context() else None
    if state:
        state["versions"].bump(touched)
    for hook in _listeners:
        hook(touched)


def _after_rollback(session: Session, _previous) -> None:  # noqa: ANN001
    session.info.pop(_PENDING, None)


#: Called with the set of touched area ids (0: everything) after each commit that changed content.
_listeners: list[Callable[[set[int]], None]] = []


def on_change(hook: Callable[[set[int]], None]) -> None:
    _listeners.append(hook)


_listening = False


def init_app(app: Flask) -> None:
    global _listening
    redis_url = app.config.get("REDIS_URL")
    if app.config.get("PAGE_CACHE"):
        app.extensions["idea4gov_pagecache"] = {
            "versions": RedisVersions(redis_url) if redis_url else LocalVersions(),
            "parts": Parts(app.config.get("PAGE_CACHE_ENTRIES", 2000), app.config.get("PAGE_CACHE_SECONDS", 300)),
        }
    if not _listening:
        sa.event.listen(Session, "after_flush", _after_flush)
        sa.event.listen(Session, "do_orm_execute", _on_execute)
        sa.event.listen(Session, "after_commit", _after_commit)
        sa.event.listen(Session, "after_soft_rollback", _after_rollback)
        _listening = True
