"""What happens when an idea becomes public, wherever that happens (posting, approval).

Features that act on newly published ideas (e.g. routing rules) hook in here, so the
posting and moderation code need not know about them.
"""
from __future__ import annotations

from collections.abc import Callable

from idea4gov.ideas.models import Idea

_published_hooks: list[Callable[[Idea], None]] = []


def on_published(hook: Callable[[Idea], None]) -> Callable[[Idea], None]:
    """Register `hook(idea)` to run, in the same transaction, when an idea is published."""
    if hook not in _published_hooks:
        _published_hooks.append(hook)
    return hook


def idea_published(idea: Idea) -> None:
    for hook in list(_published_hooks):
        hook(idea)
