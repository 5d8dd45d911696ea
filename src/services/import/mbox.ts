import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { DomainError } from "../../lib/domain-error.js";
import { ingestRawEmail } from "../inbound-email.js";
import type { IngestService } from "../ingest/ingest-service.js";
import type { Db } from "../../db/client.js";

export interface MboxResult {
  messages: number;
  created: number;
  existing: number;
  failed: Array<{ message: number; error: string }>;
}

/** Largest message taken from an archive, in bytes; a bigger one is reported, not read into memory whole. */
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** Lines of such a message: base64 attachments in 76-character lines (a CLI run may take its time over them). */
const MAX_MESSAGE_LINES = Math.ceil(MAX_MESSAGE_BYTES / 76);

/**
 * Imports an mbox archive (mboxrd / mboxo: messages after "From " lines, ">From " unescaped) one
 * message at a time through the raw-email path: idempotent on each Message-ID, so a rerun after an
 * interruption stores nothing twice.
 */
export async function importMbox(
  deps: { ingest: IngestService; db: Db },
  file: string,
  opts: { source: string; now: Date },
): Promise<MboxResult> {
  const result: MboxResult = { messages: 0, created: 0, existing: 0, failed: [] };
  let lines: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!lines.length) return;
    result.messages++;
    const n = result.messages;
    const raw = Buffer.from(lines.join("\r\n") + "\r\n");
    lines = [];
    if (size > MAX_MESSAGE_BYTES) {
      result.failed.push({ message: n, error: `larger than ${MAX_MESSAGE_BYTES} bytes` });
      return;
    }
    try {
      const r = await ingestRawEmail(deps, raw, {
        source: opts.source,
        direction: "inbound",
        now: opts.now,
        maxLines: MAX_MESSAGE_LINES,
      });
      if (r.result.outcome === "created") result.created++;
      else result.existing++;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      result.failed.push({ message: n, error: e.fields.map((f) => `${f.field} ${f.message}`).join("; ") || e.message });
    }
  };
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.startsWith("From ")) {
      await flush();
      size = 0;
      continue;
    }
    size += line.length + 2;
    if (size <= MAX_MESSAGE_BYTES) lines.push(/^>+From /.test(line) ? line.slice(1) : line);
  }
  await flush();
  return result;
}
