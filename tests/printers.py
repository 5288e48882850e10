"""Stand-ins for a kiosk's thermal printer that are real network peers, and a reader for what it got."""

from __future__ import annotations

import queue
import socket
import threading

from PIL import Image

RASTER_IMAGE = b"\x1dv0"  # GS v 0: a raster bit image (the slip's QR code)


class NetworkPrinter:
    """A TCP server on a free port of 127.0.0.1 that takes print jobs as a printer's raw port 9100
    does: each connection is one job, read until the sender closes it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.host, self.port = self.server.getsockname()
        self.jobs: queue.Queue[bytes] = queue.Queue()
        self.thread = threading.Thread(target=self._serve, name="network-printer", daemon=True)

    def __enter__(self) -> NetworkPrinter:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.close()
        self.thread.join(5)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return  # closed
            with connection:
                connection.settimeout(10)
                chunks = []
                try:
                    while chunk := connection.recv(65536):
                        chunks.append(chunk)
                except OSError:
                    pass
            self.jobs.put(b"".join(chunks))

    def next_job(self, timeout: float = 10) -> bytes:
        """The next job received; waits for the reading to finish (the sender may have closed already)."""
        return self.jobs.get(timeout=timeout)

    def received_nothing(self) -> bool:
        return self.jobs.empty()


def closed_port() -> int:
    """A port of 127.0.0.1 where nothing listens: a printer switched off answers the same way."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def _raster_blocks(data: bytes):
    """(start, end, width in bytes, height) of each GS v 0 image in an ESC/POS stream."""
    start = 0
    while (at := data.find(RASTER_IMAGE, start)) >= 0:
        width_bytes = data[at + 4] + 256 * data[at + 5]
        height = data[at + 6] + 256 * data[at + 7]
        end = at + 8 + width_bytes * height
        yield at, end, width_bytes, height
        start = end


def raster_images(data: bytes) -> list[Image.Image]:
    """The GS v 0 images in an ESC/POS stream, as black-on-white pictures."""
    images = []
    for at, end, width_bytes, height in _raster_blocks(data):
        # ESC/POS: a set bit is a black dot; PIL's "1" mode: a set bit is white.
        bits = bytes(b ^ 0xFF for b in data[at + 8 : end])
        images.append(Image.frombytes("1", (width_bytes * 8, height), bits))
    return images


def printable(data: bytes) -> str:
    """The text a thermal printer would print: images left out, commands and line breaks turned into spaces."""
    text, last = b"", 0
    for at, end, _width, _height in _raster_blocks(data):
        text += data[last:at] + b" "
        last = end
    text += data[last:]
    return " ".join(bytes(b if b >= 0x20 else 0x20 for b in text).decode("cp437").split())
