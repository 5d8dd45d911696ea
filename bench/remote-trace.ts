// Round trips and bytes one batch write costs (--handles: social posts keep their author handles, new
// identifiers of known customers) through a libSQL server over HTTP: counts the Hrana
// requests @libsql/client sends (through src/db/hrana-fetch.ts) while a node ingests batches.
//   SQLD_PATH=…/sqld npx tsx bench/remote-trace.ts [-- --batches 6]
import { parseArgs } from "node:util";
import { hranaTransport } from "../src/db/hrana-fetch.js";
import { createHarness } from "../test/support/harness.js";
import { sampleInteractions, startSqldServer } from "./lib.js";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "6" },
    customers: { type: "string", default: "2000" },
    handles: { type: "boolean", default: false },
    // Every post a handle of its own: from the fifth batch on, new identifiers of known customers.
    "new-handles": { type: "boolean", default: false },
  },
});
const sqld = await startSqldServer();
const counts = { requests: 0, sent: 0, received: 0, statements: 0 };
const kinds = new Map<string, number>();
// Hrana's stored statements (store_sql), so a statement sent by id is named by its text.
const storedSql = new Map<number, string>();
const bytesByKind = new Map<string, number>();
const realFetch = hranaTransport.fetch;
hranaTransport.fetch = async (req: Request) => {
  const body = await req.clone().arrayBuffer();
  counts.requests++;
  counts.sent += body.byteLength;
  if (req.headers.get("content-type") === "application/json") {
    const pipeline = JSON.parse(Buffer.from(body).toString()) as {
      requests: Array<{
        type: string;
        stmt?: { sql?: string; sql_id?: number };
        batch?: { steps: Array<{ stmt: { sql?: string; sql_id?: number } }> };
        sql_id?: number;
        sql?: string;
      }>;
    };
    for (const r of pipeline.requests) {
      if (r.type === "store_sql" && r.sql_id !== undefined && r.sql) storedSql.set(r.sql_id, r.sql);
      const stmts =
        r.type === "execute" && r.stmt ? [r.stmt] : r.type === "batch" ? (r.batch?.steps.map((s) => s.stmt) ?? []) : [];
      for (const st of stmts) {
        counts.statements++;
        const k = (st.sql ?? storedSql.get(st.sql_id ?? -1) ?? `sql_id ${st.sql_id}`).replace(/\s+/g, " ").slice(0, 60);
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
        bytesByKind.set(k, (bytesByKind.get(k) ?? 0) + JSON.stringify(st).length);
      }
    }
  }
  const res = await realFetch(req);
  // Count what is read of the answer, whole (a pipeline) or line by line (a cursor).
  const arrayBuffer = res.arrayBuffer;
  res.arrayBuffer = async () => {
    const b = await arrayBuffer();
    counts.received += b.byteLength;
    return b;
  };
  res.text = async () => Buffer.from(await res.arrayBuffer()).toString("utf8");
  res.json = async () => JSON.parse(await res.text());
  const stream = res.body;
  if (stream)
    res.body = {
      cancel: () => stream.cancel(),
      [Symbol.asyncIterator]: () => {
        const it = stream[Symbol.asyncIterator]();
        return {
          next: async () => {
            const r = await it.next();
            if (!r.done) counts.received += r.value.byteLength;
            return r;
          },
          return: async () => (it.return ? it.return() : { done: true as const, value: undefined }),
        };
      },
    };
  return res;
};
const node = await createHarness({ DATABASE_URL: sqld.url });
const social = sampleInteractions().filter((i) => i.channel === "social");
let n = 0;
const batch = () => ({
  items: Array.from({ length: 500 }, () => ({
    ...social[++n % social.length],
    ...(values["new-handles"] ? { authorHandle: `@trace_${n}` } : values.handles ? {} : { authorHandle: undefined }),
    externalId: `trace-${n}`,
    customer: { customerId: `trace-cus-${n % Number(values.customers)}` },
  })),
});
try {
  for (let b = 0; b < Number(values.batches); b++) {
    const body = batch();
    for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] = 0;
    const res = await node.request("POST", "/v1/interactions/batch", { body });
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    console.log(
      `batch ${b + 1}: ${counts.requests} HTTP requests, ${counts.statements} statements, ${(counts.sent / 1024).toFixed(0)} KiB sent, ${(counts.received / 1024).toFixed(0)} KiB received`,
    );
    for (const [k, c] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`   ${c} × ${k}`);
    for (const [k, c] of [...bytesByKind].sort((a, b) => b[1] - a[1]).slice(0, 6))
      console.log(`   ${(c / 1024).toFixed(0)} KiB in ${k}`);
    kinds.clear();
    bytesByKind.clear();
  }
} finally {
  await node.close();
  await sqld.stop();
}
