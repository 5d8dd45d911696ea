// The texts benches send: the sample data, with fresh ids, spread over many customers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./root.js";

/** The sample interactions, as a realistic mixed corpus. */
export function sampleInteractions(): Array<Record<string, unknown>> {
  return readFileSync(join(root, "sample-data/interactions.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/**
 * An endless supply of the sample texts with fresh external ids, spread over `customers` customers as
 * production traffic is (the sample data's 60 customers would each get hundreds of contacts inside
 * the 72-hour moment window).
 */
export function spreadOverCustomers(prefix: string, customers = 10_000): () => Record<string, unknown> {
  const corpus = sampleInteractions();
  let n = 0;
  return () => {
    const item = corpus[n % corpus.length];
    const i = ++n;
    return {
      ...item,
      externalId: `${prefix}-${i}`,
      customer: { customerId: `${prefix}-cus-${i % customers}` },
      ...(item.channel === "social" ? { authorHandle: undefined } : {}),
    };
  };
}

/**
 * Social posts (the corpus's complaint-heavy channel) over a fixed set of customers: after a warm-up
 * every customer is known, so a measured round links records, never creates customers.
 */
export function socialOverCustomers(prefix: string, customers: number): () => Record<string, unknown> {
  const social = sampleInteractions().filter((i) => i.channel === "social");
  let n = 0;
  return () => {
    const i = ++n;
    return {
      ...social[i % social.length],
      authorHandle: undefined,
      externalId: `${prefix}-${i}`,
      customer: { customerId: `${prefix}-cus-${i % customers}` },
    };
  };
}
