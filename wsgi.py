"""gunicorn entry point: `gunicorn -c gunicorn.conf.py wsgi:app` (see gunicorn.conf.py)."""

from servicedesk import create_app

app = create_app({"MIGRATIONS": False})  # migrations run from `flask db upgrade`, not from a server
