"""A webhook receiver for trying webhooks on one machine: it listens on 127.0.0.1:9000 and
prints each delivery (its event type and body), checking its signature when WEBHOOK_SECRET
holds the `whsec_...` secret `createWebhook` answered. Standard library only:

    python examples/webhook_receiver.py            # or: PORT=9001 WEBHOOK_SECRET=whsec_... ...

The server must be allowed to reach it: `WEBHOOK_ALLOWED_HOSTS=127.0.0.1:9000 python server.py`
(webhooks to loopback and private addresses are refused otherwise)."""

import base64
import contextlib
import hashlib
import hmac
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def signed_by(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Whether the Standard Webhooks signature holds (see the README's "Verifying a delivery",
    which also refuses old timestamps)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(expected, signature.removeprefix("v1,"))
        for signature in headers["webhook-signature"].split()
    )


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {name.lower(): value for name, value in self.headers.items()}
        secret = os.environ.get("WEBHOOK_SECRET")
        check = "" if not secret else (" signed" if signed_by(secret, headers, body) else " FORGED")
        event = json.loads(body)
        print(f"{event['type']}{check} {headers['webhook-id']}: {json.dumps(event['data'])}")
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the delivery printed above says it all."""


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "9000"))
    print(f"receiving webhooks at http://127.0.0.1:{port}/ (Ctrl-C stops)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
