import type { InStatement, ResultSet, Transaction } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { LiveMoments } from "../../src/services/moments/merge-moments.js";

// A moment's opened_at and signal_at columns are nullable; folding two moments that lack them must
// keep NULL, not write Infinity or the epoch.
const live = (id: string, customer: string, times: { opened_at: number | null; signal_at: number | null }) => ({
  id,
  customer_id: customer,
  status: "open",
  severity: "high",
  risk: 0.8,
  reasons: "[]",
  trigger_id: `int_${id}`,
  trigger_at: 1_000,
  channels: null,
  needs: null,
  assignee_id: null,
  assignee_name: null,
  team: null,
  ...times,
});

const answer = (rows: object[]) => ({ rows, columns: [], columnTypes: [], rowsAffected: 0 }) as unknown as ResultSet;
// Statement planning reads only the connection's protocol (the insert shape): a file connection.
const tx = { protocol: "file" } as unknown as Transaction;

function foldUpdate(rows: object[]) {
  const statements = new LiveMoments(answer(rows)).foldStatements(tx, "cus_a", "cus_b", "mrg_1", 5_000);
  const update = statements.find(
    (s): s is Exclude<InStatement, string> =>
      typeof s !== "string" && s.sql.startsWith("UPDATE moments SET customer_id"),
  );
  if (!update) throw new Error("no fold update");
  const args = update.args as unknown[];
  return { opened: args[8], signal: args[9] };
}

describe("folding moments' times", () => {
  it("keeps NULL when neither moment has the time", () => {
    expect(
      foldUpdate([
        live("mom_a", "cus_a", { opened_at: null, signal_at: null }),
        live("mom_b", "cus_b", { opened_at: null, signal_at: null }),
      ]),
    ).toEqual({ opened: null, signal: null });
  });

  it("takes the earliest opening and the latest signal of those known", () => {
    expect(
      foldUpdate([
        live("mom_a", "cus_a", { opened_at: 300, signal_at: null }),
        live("mom_b", "cus_b", { opened_at: 200, signal_at: 900 }),
      ]),
    ).toEqual({ opened: 200, signal: 900 });
  });
});
