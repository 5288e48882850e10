"""gunicorn entry point: `gunicorn -c gunicorn.conf.py wsgi:app` (see gunicorn.conf.py)."""

from servicedesk import create_server_app

app = create_server_app()
