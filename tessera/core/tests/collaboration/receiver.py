"""A local HTTP receiver for webhook tests: a threaded http.server on 127.0.0.1 that answers 500 to the
first `fail_first` requests, then `status`, and keeps every request it got."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    fail_first: int = 0
    status: int = 200
    requests: list = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/tessera?source=test"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests.append(Received(self.path, dict(self.headers), body))
                failing = len(receiver.requests) <= receiver.fail_first
                status = 500 if failing else receiver.status
                answer = b"temporarily broken" if failing else b'{"ok": true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
