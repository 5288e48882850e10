"""Extensions are created once here and bound to an app in create_app() with init_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .persistence.engine import remove_session
from .persistence.tables import metadata
from .web.api.errors import ServiceDeskApi


class ServiceDeskSQLAlchemy(SQLAlchemy):
    def _teardown_session(self, exc: BaseException | None) -> None:
        # Flask-SQLAlchemy's end of every app context (requests, socket events, background tasks).
        remove_session(self.session)


# expire_on_commit=False: events are published after the commit from the objects in hand,
# without a reload query per attribute.
db = ServiceDeskSQLAlchemy(metadata=metadata, session_options={"expire_on_commit": False})
migrate = Migrate()
socketio = SocketIO()
login_manager = LoginManager()
api = ServiceDeskApi()
babel = Babel()
csrf = CSRFProtect()
# Limits are declared on the views that need them (login, issuing); storage is Redis when configured.
limiter = Limiter(key_func=get_remote_address)
