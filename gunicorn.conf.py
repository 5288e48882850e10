"""Production server settings. Socket.IO needs one worker per process (no sticky sessions inside it);
scale by running more processes behind nginx with REDIS_URL set."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
worker_class = "gevent"
workers = 1
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "10000"))
timeout = 60
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
wsgi_app = "wsgi:app"
# gunicorn's control socket has one default path per user, so the processes of a mall (several per
# machine) would take it from each other: each gets its own next to its port, or none (unset).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def post_request(worker, req, environ, resp):
    """Between two requests of one keep-alive connection, let the other connections have a turn.

    gunicorn's gevent worker reads a connection's next request at once when it has arrived already,
    so under load one client could be served many times in a row while the others wait. A sleep
    longer than 0 resumes this greenlet only after the event loop has polled every socket.
    """
    if type(worker).__module__ == "gunicorn.workers.ggevent":
        import gevent

        gevent.sleep(1e-6)
