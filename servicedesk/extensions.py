"""Extensions are created once here and bound to an app in create_app() with init_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .persistence.engine import remove_session
from .persistence.tables import metadata
from .realtime.message_queue import RedisQueue
from .web.api.errors import ServiceDeskApi


class ServiceDeskSQLAlchemy(SQLAlchemy):
    def _teardown_session(self, exc: BaseException | None) -> None:
        # Flask-SQLAlchemy's end of every app context (requests, socket events, background tasks).
        remove_session(self.session)


# expire_on_commit=False: events are published after the commit from the objects in hand,
# without a reload query per attribute.
db = ServiceDeskSQLAlchemy(metadata=metadata, session_options={"expire_on_commit": False})


class ServiceDeskSocketIO(SocketIO):
    def init_app(self, app, **kwargs):
        """A Redis message queue that brings this process's screens up to date when Redis comes back."""
        url = kwargs.get("message_queue")
        if app is not None and url and url.startswith(("redis://", "rediss://")):
            del kwargs["message_queue"]

            def resync(since):
                with app.app_context():
                    app.extensions["servicedesk.publish"].resync(since)

            kwargs["client_manager"] = RedisQueue(
                url,
                channel=kwargs.pop("channel", "flask-socketio"),
                on_resubscribed=resync,
                timeout=app.config.get("REDIS_TIMEOUT_SECONDS", 1.0),
                outbox_size=app.config.get("REDIS_OUTBOX_SIZE", 10_000),
                outbox_max_age=app.config.get("REDIS_OUTBOX_MAX_AGE_SECONDS", 30.0) or None,
            )
        super().init_app(app, **kwargs)


socketio = ServiceDeskSocketIO()
login_manager = LoginManager()
api = ServiceDeskApi()
babel = Babel()
csrf = CSRFProtect()
# Limits are declared on the views that need them (login, issuing); storage is Redis when configured.
limiter = Limiter(key_func=get_remote_address)
