import PostalMime from "postal-mime";
const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");
for (const n of [10_000, 20_000, 40_000, 80_000]) {
  const raw = crlf(`Message-ID: <h@e>\nFrom: a@example.com\nContent-Type: text/plain\n\n` + "> >\n".repeat(n));
  const t = performance.now(); await PostalMime.parse(new TextEncoder().encode(raw)); console.log(n, (performance.now() - t).toFixed(0));
}
for (const n of [10_000, 40_000]) {
  const raw = crlf(`Message-ID: <h@e>\nFrom: a@example.com\nContent-Type: text/plain\n\n` + "a fairly normal line of text that is about seventy characters long ok\n".repeat(n));
  const t = performance.now(); await PostalMime.parse(new TextEncoder().encode(raw)); console.log("long lines", n, raw.length, (performance.now() - t).toFixed(0));
}
