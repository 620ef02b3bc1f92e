"""idea4gov: an idea-submission and voting platform for Thai local government."""
from __future__ import annotations

import os

from flask import Flask

from config import CONFIGS, INSTANCE_DIR


class App(Flask):
    """Flask, with each hook's and view's sync check made once. Flask asks `inspect.iscoroutinefunction`
    of every before-, after- and teardown-request function and of the view on every request (some
    twenty times a page here), a fifth of a bare route's time on the bench; they do not change."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._sync_functions: dict = {}

    def ensure_sync(self, func):  # noqa: ANN001, ANN201
        try:
            return self._sync_functions[func]
        except KeyError:
            if len(self._sync_functions) >= 4096:  # a function made per call would otherwise pile up
                self._sync_functions.clear()
            sync = self._sync_functions[func] = super().ensure_sync(func)
            return sync
        except TypeError:  # unhashable
            return super().ensure_sync(func)


def create_app(config_class: type | object | None = None) -> Flask:
    """Build the application; `IDEA4GOV_ENV` picks the config when none is given."""
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    app = App(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(INSTANCE_DIR),
    )
    if config_class is None:
        config_class = CONFIGS[os.environ.get("IDEA4GOV_ENV", "development")]
    app.config.from_object(config_class() if isinstance(config_class, type) else config_class)
    os.makedirs(app.instance_path, exist_ok=True)

    from idea4gov import (
        a11y,
        cache,
        chrome,
        csrf_token,
        database,
        db_errors,
        errors,
        httpcache,
        i18n,
        jobs,
        nav,
        pagecache,
        ratelimit,
        security,
        static_files,
        template_imports,
        template_urls,
    )
    from idea4gov.extensions import csrf, db, login_manager, migrate

    database.configure_engine_options(app)
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    db_errors.init_app(app)
    security.init_app(app)
    nav.init_app(app)
    ratelimit.init_app(app)
    cache.init_app(app)
    pagecache.init_app(app)
    a11y.init_app(app)  # before httpcache: its after_request then runs after httpcache's
    httpcache.init_app(app)
    jobs.init_app(app)
    static_files.init_app(app)
    template_urls.init_app(app)
    template_imports.init_app(app)
    chrome.init_app(app)
    csrf_token.init_app(app)

    from idea4gov import backup as _backup  # noqa: F401  (adds `flask db backup` and `flask db restore`)
    from idea4gov import models  # noqa: F401  (register every model)
    from idea4gov.account import bp as account_bp
    from idea4gov.account import routes as _account_routes  # noqa: F401  (attach views to blueprints)
    from idea4gov.admin import areas as _admin_areas  # noqa: F401
    from idea4gov.admin import bp as admin_bp
    from idea4gov.admin import routes as _admin_routes  # noqa: F401
    from idea4gov.api import auth as _api_auth  # noqa: F401
    from idea4gov.api import bp as api_bp
    from idea4gov.api import projects as _api_projects  # noqa: F401
    from idea4gov.api import routes as _api_routes  # noqa: F401
    from idea4gov.areas import bp as areas_bp
    from idea4gov.areas import routes as _areas_routes  # noqa: F401
    from idea4gov.areas.cli import areas_cli
    from idea4gov.auth import bp as auth_bp
    from idea4gov.auth import routes as _auth_routes  # noqa: F401
    from idea4gov.auth.cli import users_cli
    from idea4gov.deadlines import bp as deadlines_bp
    from idea4gov.deadlines import routes as _deadlines_routes  # noqa: F401
    from idea4gov.deadlines.cli import holidays_cli
    from idea4gov.events import bp as events_bp
    from idea4gov.events import judging_routes as _events_judging  # noqa: F401
    from idea4gov.events import manage_bp as events_manage_bp
    from idea4gov.events import manage_routes as _events_manage  # noqa: F401
    from idea4gov.events import participant_routes as _events_participant  # noqa: F401
    from idea4gov.events import report_routes as _events_report  # noqa: F401
    from idea4gov.events import routes as _events_routes  # noqa: F401
    from idea4gov.events.cli import events_cli
    from idea4gov.groups import bp as groups_bp
    from idea4gov.groups import routes as _groups_routes  # noqa: F401
    from idea4gov.groups.cli import grouping_cli, jobs_cli
    from idea4gov.ideas import bp as ideas_bp
    from idea4gov.ideas import events as ideas_events
    from idea4gov.ideas import routes as _ideas_routes  # noqa: F401
    from idea4gov.ideas import similar
    from idea4gov.ideas.cli import ideas_cli
    from idea4gov.joincodes import bp as joincodes_bp
    from idea4gov.joincodes import routes as _joincodes_routes  # noqa: F401
    from idea4gov.line import bp as line_bp
    from idea4gov.line import channel as _line_channel  # noqa: F401  (the outbox's `line` channel)
    from idea4gov.line import routes as _line_routes  # noqa: F401
    from idea4gov.mail import bp as mail_bp
    from idea4gov.mail import routes as _mail_routes  # noqa: F401
    from idea4gov.mail import sender as _mail_sender  # noqa: F401  (sends queued mail after commit)
    from idea4gov.moderation import bp as moderation_bp
    from idea4gov.moderation import routes as _moderation_routes  # noqa: F401
    from idea4gov.notifications import bp as notifications_bp
    from idea4gov.notifications import routes as _notifications_routes  # noqa: F401
    from idea4gov.oidc import bp as oidc_bp
    from idea4gov.oidc import registry as oidc_registry
    from idea4gov.oidc import routes as _oidc_routes  # noqa: F401
    from idea4gov.opendata import bp as opendata_bp
    from idea4gov.opendata import routes as _opendata_routes  # noqa: F401
    from idea4gov.outbox import bp as outbox_bp
    from idea4gov.outbox import routes as _outbox_routes  # noqa: F401
    from idea4gov.outbox.cli import outbox_cli
    from idea4gov.pages import bp as pages_bp
    from idea4gov.programme import bp as programme_bp
    from idea4gov.programme import routes as _programme_routes  # noqa: F401
    from idea4gov.projects import bp as projects_bp
    from idea4gov.projects import manage as _projects_manage  # noqa: F401
    from idea4gov.projects import manage_bp as project_manage_bp
    from idea4gov.projects import routes as _projects_routes  # noqa: F401
    from idea4gov.receipts import bp as receipts_bp
    from idea4gov.receipts import routes as _receipts_routes  # noqa: F401
    from idea4gov.satisfaction import bp as satisfaction_bp
    from idea4gov.satisfaction import routes as _satisfaction_routes  # noqa: F401
    from idea4gov.seed import seed_cli
    from idea4gov.shortlists import bp as shortlists_bp
    from idea4gov.shortlists import manage_routes as _shortlists_manage  # noqa: F401
    from idea4gov.shortlists import routes as _shortlists_routes  # noqa: F401
    from idea4gov.shortlists.cli import shortlists_cli
    from idea4gov.triage import bp as triage_bp
    from idea4gov.triage import issue_routes as _triage_issues  # noqa: F401
    from idea4gov.triage import manage as _triage_manage  # noqa: F401
    from idea4gov.triage import routes as _triage_routes  # noqa: F401
    from idea4gov.triage import stats_routes as _triage_stats  # noqa: F401
    from idea4gov.triage.cli import agencies_cli, triage_cli
    from idea4gov.triage.public import public_bp as evidence_bp
    from idea4gov.triage.services.routing import on_idea_published
    from idea4gov.verification import bp as verification_bp
    from idea4gov.verification import routes as _verification_routes  # noqa: F401

    # Routing rules act on every idea that becomes public: at posting, or on approval; the
    # similarity index of this process takes it in at once.
    ideas_events.on_published(on_idea_published)
    # A workshop's join code lifts the per-address rate limits (never the per-account ones).
    from idea4gov.joincodes.services import exempt_from_address_limits

    ratelimit.exempt_from_address_limits(exempt_from_address_limits)
    ideas_events.on_published(similar.on_published)

    app.register_blueprint(areas_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(receipts_bp)  # before ideas: /ideas/lookup
    app.register_blueprint(ideas_bp)
    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(groups_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(opendata_bp)
    app.register_blueprint(shortlists_bp, url_prefix="/shortlists")
    app.register_blueprint(mail_bp)
    app.register_blueprint(outbox_bp)
    app.cli.add_command(outbox_cli)
    app.register_blueprint(triage_bp, url_prefix="/triage")
    app.register_blueprint(evidence_bp)
    app.cli.add_command(triage_cli)
    app.cli.add_command(agencies_cli)
    app.register_blueprint(pages_bp)
    app.register_blueprint(deadlines_bp)
    app.register_blueprint(programme_bp)
    app.register_blueprint(joincodes_bp)
    # Sign-in providers from the environment (none: `make run` shows no provider buttons).
    oidc_registry.init_app(app)
    app.register_blueprint(oidc_bp)
    app.register_blueprint(line_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(project_manage_bp, url_prefix="/triage")
    app.register_blueprint(verification_bp)
    app.register_blueprint(satisfaction_bp)
    app.register_blueprint(events_manage_bp)  # before the public pages: /events/manage, /events/new
    app.register_blueprint(events_bp)
    app.cli.add_command(holidays_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(grouping_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(areas_cli)
    app.cli.add_command(ideas_cli)
    app.cli.add_command(shortlists_cli)
    app.cli.add_command(events_cli)
    if app.config.get("WARM_UP"):
        from idea4gov.ideas import similar

        similar.warm(app)
    return app
