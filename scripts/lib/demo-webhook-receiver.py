"""A webhook receiver for trying alerts on one machine (scripts/run.sh starts it): checks each delivery's
Standard Webhooks signature with the subscription's secret and prints it, verified or not.

Listens on 127.0.0.1 only. Arguments: port, then the subscription's secret (whsec_...); the demo realm's
by default. Answers 204 to a verified delivery and 401 to one whose signature does not match, as a
real receiver should; the extension retries the latter and finally dead-letters it (the console shows it).
"""
import base64
import hashlib
import hmac
import http.server
import json
import sys
import time

DEMO_SECRET = "whsec_b25ib2FyZGluZy1ndWFyZC1kZW1vLXJlY2VpdmVyLWtleSE="
TOLERANCE_SECONDS = 300


def key_of(secret):
    return base64.b64decode(secret.removeprefix("whsec_"))


def verified(key, message_id, timestamp, body, signatures):
    """Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body">, one of several may match."""
    try:
        if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
            return False
    except (TypeError, ValueError):
        return False
    expected = base64.b64encode(
        hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()).decode()
    return any(part.startswith("v1,") and hmac.compare_digest(part[3:], expected)
               for part in (signatures or "").split())


class Receiver(http.server.BaseHTTPRequestHandler):
    key = key_of(DEMO_SECRET)

    def do_POST(self):
        try:
            length = max(0, min(int(self.headers.get("Content-Length", "0")), 1_000_000))
        except ValueError:
            length = 0
        body = self.rfile.read(length)
        message_id = self.headers.get("webhook-id")
        good = verified(self.key, message_id, self.headers.get("webhook-timestamp"), body,
                        self.headers.get("webhook-signature"))
        try:
            event = json.loads(body)
            summary = f"{event.get('type')} {json.dumps(event.get('data'), ensure_ascii=False)}"
        except ValueError:
            summary = body.decode("utf-8", "replace")
        print(f"[{'verified' if good else 'SIGNATURE DOES NOT MATCH'}] {message_id} {summary}", flush=True)
        self.send_response(204 if good else 401)
        self.end_headers()

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    if len(sys.argv) > 2:
        Receiver.key = key_of(sys.argv[2])
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
