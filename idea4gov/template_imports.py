"""Template imports (`{% from "_macros/forms.html" import post_button %}`) at their cost.

On each import Jinja asks whether the importing page has globals the imported template lacks; if so
it makes the imported template's module again for that page, otherwise it reuses the one made once.
It asks by testing each of the page's globals (some fifty here: `url_for`, `csrf_token`, the
gettext functions, the app's template globals…) against the imported template's globals, a chain of
dictionaries, one lookup chain per name: about a fifth of a bare Flask route for each import on every
page (bench/web.py, the idea page). Here the same question is asked of a plain set, and the answer
is Jinja's own in both cases.
"""
from __future__ import annotations

import jinja2
from flask import Flask


class Template(jinja2.Template):
    def _get_default_module(self, ctx=None):  # noqa: ANN001, ANN202
        if ctx is not None and not ctx.globals_keys - set(self.globals):
            ctx = None  # nothing new for it in the importing page: the module made once
        return super()._get_default_module(ctx)


def init_app(app: Flask) -> None:
    app.jinja_env.template_class = Template
