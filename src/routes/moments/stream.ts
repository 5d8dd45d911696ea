import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "../../app-env.js";

type Row = Record<string, string | number | null>;
const STREAM_POLL_MS = 250;
const KEEPALIVE_MS = 15_000;

/**
 * Moment changes as Server-Sent Events, read from the durable `moment_events` log: a client that
 * reconnects with `Last-Event-ID` gets everything it missed; a new client starts from now. The API
 * stream and the console's live view both use it.
 */
export async function streamMomentEvents(c: Context<AppEnv>) {
  const { db, shutdown, metrics } = c.var.deps;
  const header = c.req.header("last-event-id");
  // The starting point is fixed before the response opens, so an event emitted just after the client
  // sees the stream open is never skipped.
  let seq = header && /^\d+$/.test(header) ? Number(header) : Number(((await db.$client.execute("SELECT coalesce(max(seq), 0) AS s FROM moment_events")).rows[0] as unknown as Row).s);
  return streamSSE(c, async (stream) => {
    let lastWrite = Date.now();
    let open = true;
    metrics.sseClients.inc();
    stream.onAbort(() => {
      open = false;
    });
    // A shutdown ends the stream; the client's EventSource reconnects (to another process, or to
    // this one once it is back) and resumes from its Last-Event-ID.
    try {
      while (open && !shutdown.aborted) {
        const rows = (await db.$client.execute({ sql: "SELECT seq, type, payload FROM moment_events WHERE seq > ? ORDER BY seq LIMIT 200", args: [seq] })).rows as unknown as Row[];
        if (rows.length) {
          // One write per poll, not per event: a busy minute has thousands of events and many clients.
          // Payloads are single-line JSON, so each is one `data:` line.
          await stream.write(rows.map((r) => `id: ${r.seq}\nevent: ${r.type}\ndata: ${r.payload}\n\n`).join(""));
          seq = Number(rows[rows.length - 1].seq);
          lastWrite = Date.now();
        }
        if (Date.now() - lastWrite > KEEPALIVE_MS) {
          await stream.write(": keep-alive\n\n");
          lastWrite = Date.now();
        }
        if (rows.length < 200) await stream.sleep(STREAM_POLL_MS);
      }
    } finally {
      metrics.sseClients.dec();
    }
  });
}
