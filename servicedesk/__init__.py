"""servicedesk: a queue system for the public service desks of Indonesian government offices."""

from __future__ import annotations

import gc
import os

from flask import Flask

from .config import ROOT, Config, origin_list


def create_server_app() -> Flask:
    """The app as a server process runs it (gunicorn's wsgi.py, `python -m servicedesk`).

    Migrations run from `flask db upgrade`, so a server does not import Alembic. What loading the app
    created lives as long as the process: gc.freeze() keeps those objects out of the collector's full
    passes, each of which otherwise stopped every green thread for tens of milliseconds.
    """
    app = create_app({"MIGRATIONS": False})
    gc.freeze()
    return app


def create_app(test_config: dict | None = None) -> Flask:
    """Build an app. Importing the package does nothing; this may run many times in one process."""
    from .persistence.mapping import start_mappers
    from .services.unit_of_work import utc_now

    start_mappers()
    if os.environ.get("LOG_FORMAT"):
        from .ops import logs

        logs.configure(os.environ["LOG_FORMAT"], os.environ.get("LOG_LEVEL", "INFO"))
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.config.from_object(Config(test_config))
    app.config.setdefault("CLOCK", utc_now)

    _init_database(app)
    _init_login(app)
    _init_pages(app)
    _init_proxying(app)
    _init_realtime(app)

    from . import cli, cli_booking, notify

    cli.register(app)
    cli_booking.register(app)
    notify.init_app(app)
    return app


def _init_database(app: Flask) -> None:
    from .extensions import db
    from .persistence.engine import configure_engine

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    if app.config["MIGRATIONS"]:
        # Alembic costs a server process 10 MiB it never uses: the servers leave it out.
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)


def _init_login(app: Flask) -> None:
    from .extensions import db, login_manager

    login_manager.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        from .domain.model import User
        from .persistence.repository import Repository

        # The id and the session generation (User.get_id): a cookie from before a logout, a password
        # reset or a deactivation carries an older generation and is refused, also after reactivation.
        parsed = User.parse_session_id(user_id)
        user = Repository(db.session).user(parsed[0]) if parsed else None
        if user is None or not user.active or (user.session_generation or 0) != parsed[1]:
            return None
        return user


def _init_pages(app: Flask) -> None:
    """Languages, form protection, rate limits, the JSON API and every page's blueprint."""
    from flask_babel import get_locale

    from .extensions import api, babel, csrf, limiter
    from .web import (
        admin,
        assets,
        audit_labels,
        converters,
        csrf_page,
        display,
        health,
        home,
        hostile,
        kiosk,
        labels,
        login,
        metrics,
        notify_pages,
        officer,
        publication,
        reports,
        security,
        skm,
        supervisor,
        visitor,
    )
    from .web import booking as booking_page
    from .web.api import auth, desk, journeys, public
    from .web.api import booking as booking_api
    from .web.api import notify as notify_api
    from .web.api.errors import register_domain_errors, require_json_bodies
    from .web.auth import auditors_only_read
    from .web.i18n import remember_choice, select_locale

    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories=str(ROOT / "servicedesk" / "translations")
    )
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "id")
    app.after_request(remember_choice)
    csrf.init_app(app)
    csrf_page.init_app(app)
    audit_labels.init_app(app)
    limiter.init_app(app)

    api.init_app(app)
    converters.init_app(app, api)
    for blueprint in (public.blp, auth.blp, desk.blp, booking_api.blp, notify_api.blp, journeys.blp):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # JSON only (see require_json_bodies) and SameSite cookies
    app.before_request(require_json_bodies)
    app.before_request(auditors_only_read)  # an auditor reads reports and the audit log only (issue 26)
    hostile.init_app(app)
    register_domain_errors(app)
    for blueprint in (
        health.bp,
        assets.bp,
        home.bp,
        kiosk.bp,
        display.bp,
        visitor.bp,
        notify_pages.bp,
        officer.bp,
        supervisor.bp,
        admin.bp,
        admin.announcements.bp,
        admin.desk.bp,
        reports.bp,
        skm.bp,
        publication.bp,
        booking_page.bp,
        login.bp,  # /login and /logout for the staff pages
    ):
        app.register_blueprint(blueprint)
    metrics.init_app(app)
    labels.init_app(app)
    security.init_app(app)


def _init_proxying(app: Flask) -> None:
    """Behind nginx: trust its forwarded headers; optionally name the answering process."""
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if app.config["SERVED_BY_HEADER"]:
        served_by = f"{os.uname().nodename}:{os.getpid()}"

        @app.after_request
        def _served_by(response):
            response.headers["X-Served-By"] = served_by
            return response


def _init_realtime(app: Flask) -> None:
    """Socket.IO (its message queue, allowed origins), the settings cache and the event publisher."""
    from .extensions import db, socketio
    from .persistence.settings_cache import SettingsCache
    from .realtime import handlers
    from .realtime.publisher import Publisher

    # init_app keeps a message queue manager from an earlier app; each app decides its own.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["REDIS_URL"],
        channel=app.config["SOCKETIO_CHANNEL"],
        # Only the configured public origin(s), or by default (None) the page's own origin: another
        # site cannot open a socket with an officer's cookie.
        cors_allowed_origins=origin_list(app.config.get("ALLOWED_ORIGINS")) or None,
        json=app.json,
    )
    clock = lambda: app.config["CLOCK"]()  # noqa: E731 - tests swap the clock after creation
    app.extensions["servicedesk.settings"] = SettingsCache(app.config["SETTINGS_CACHE_SECONDS"])
    app.extensions["servicedesk.publish"] = Publisher(
        socketio,
        lambda: db.session,
        clock,
        coalesce_seconds=app.config["PUBLISH_COALESCE_SECONDS"],
        context=app.app_context,
        settings=app.extensions["servicedesk.settings"],
    )
    handlers.register(socketio, db.session, clock)
