"""A web server on this machine that counts what is asked of it, to prove that a document
fetches nothing from the network."""

import http.server
import threading
from contextlib import contextmanager

LEAK = b'body::before { content: "LEAKED" }'


@contextmanager
def counting_server():
    """Yields (address, requests); every request is appended and answered with a stylesheet
    that would print LEAKED into a document that used it."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the library's name)
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(LEAK)))
            self.end_headers()
            self.wfile.write(LEAK)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()
