import PostalMime from "postal-mime";
import { parseRawEmail } from "../../src/channels/raw-email.js";
const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");
const raw = crlf(`Message-ID: <huge@example.com>\nFrom: a@example.com\nSubject: huge\nContent-Type: text/plain\n\n`) + "> >\n".repeat(110_000);
const bytes = new TextEncoder().encode(raw);
let t = performance.now(); await PostalMime.parse(bytes); console.log("postal-mime", (performance.now() - t).toFixed(0));
t = performance.now(); await PostalMime.parse(new TextEncoder().encode(crlf(raw))); console.log("postal-mime crlf", (performance.now() - t).toFixed(0));
t = performance.now(); await parseRawEmail(bytes); console.log("parseRawEmail", (performance.now() - t).toFixed(0));
