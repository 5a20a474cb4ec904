"""The demo realm's webhook receiver for scripts/run.sh: prints every delivery it accepts.

Listens on 127.0.0.1 only (port from the first argument) and answers 204, so the demo's alerts and
case events settle; the signature headers are printed with the body for a look at Standard Webhooks.
"""
import http.server
import sys


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        try:
            length = max(0, min(int(self.headers.get("Content-Length", "0")), 1_000_000))
        except ValueError:
            length = 0
        body = self.rfile.read(length).decode("utf-8", "replace")
        print(f"webhook-id: {self.headers.get('webhook-id')} webhook-timestamp: {self.headers.get('webhook-timestamp')}\n"
              f"webhook-signature: {self.headers.get('webhook-signature')}\n{body}\n", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
