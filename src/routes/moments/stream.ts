import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../lib/problem.js";

const KEEPALIVE_MS = 15_000;

/**
 * Moment changes as Server-Sent Events from the process's moment event feed (the durable
 * `moment_events` log): a client that reconnects with `Last-Event-ID` gets everything it missed; a new
 * client starts from now. The API stream and the console's live view both use it.
 */
export function streamMomentEvents(c: Context<AppEnv>) {
  const { momentFeed: feed, shutdown, metrics, liveStreams, config } = c.var.deps;
  // Registered before the response opens, so a key over its cap gets a 429 rather than an empty stream.
  const { principal } = c.var;
  const held = liveStreams.open({ holderId: principal.id, kind: principal.kind, sessionHash: c.var.sessionHash });
  if (!held) {
    throw new ApiError(
      "rate_limited",
      `This ${principal.kind === "key" ? "key" : "person"} already has ${config.STREAMS_PER_KEY} live streams open, the most allowed; close one first.`,
      undefined,
      { "retry-after": "5" },
    );
  }
  // The stream ends at shutdown, or when the key is revoked or the console session ends (LiveStreams).
  const ended = AbortSignal.any([shutdown, held.signal]);
  const header = c.req.header("last-event-id");
  // The starting point is fixed before the response opens, so an event emitted just after the client
  // sees the stream open is never skipped.
  let seq = header && /^\d+$/.test(header) ? Number(header) : feed.head;
  return streamSSE(c, async (stream) => {
    let open = true;
    metrics.sseClients.inc();
    stream.onAbort(() => {
      open = false;
      held.release();
    });
    // A shutdown ends the stream; the client's EventSource reconnects (to another process, or to
    // this one once it is back) and resumes from its Last-Event-ID.
    try {
      while (open && !ended.aborted) {
        const { frames, last } = await feed.after(seq);
        if (frames) {
          // One write per batch, not per event: a busy minute has thousands of events and many clients.
          await stream.write(frames);
          seq = last;
          continue;
        }
        await feed.wait(KEEPALIVE_MS, ended);
        if (open && !ended.aborted && seq >= feed.head) await stream.write(": keep-alive\n\n");
      }
    } finally {
      held.release();
      metrics.sseClients.dec();
    }
  });
}
