"""`python -m servicedesk`: the embedded Socket.IO server (socketio.run).

Production runs gunicorn with gevent (gunicorn.conf.py). This entry point is for eventlet, which
gunicorn >= 26 no longer runs, and for a quick start with whatever async mode is configured.
"""

import os

mode = os.environ.get("SOCKETIO_ASYNC_MODE", "")
if mode == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif mode == "gevent":
    from gevent import monkey

    monkey.patch_all()


def main() -> None:
    from servicedesk import create_server_app
    from servicedesk.extensions import socketio

    app = create_server_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
