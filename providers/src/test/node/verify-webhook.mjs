// Verifies one received webhook with the Standard Webhooks library, as a receiver would.
// Input on stdin: {"secret": "whsec_...", "headers": {...}, "body": "..."}. Exit 0 if the signature holds.
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) {
  input += chunk;
}
const { secret, headers, body } = JSON.parse(input);
try {
  const payload = new Webhook(secret).verify(body, headers);
  process.stdout.write(JSON.stringify({ verified: true, type: payload.type }));
} catch (error) {
  process.stdout.write(JSON.stringify({ verified: false, error: String(error.message || error) }));
  process.exitCode = 1;
}
