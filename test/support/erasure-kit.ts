import type { Harness } from "./harness.js";
import { eventInput, socialInput } from "./factories.js";

type Row = Record<string, unknown>;

/** Queries and journeys the erasure tests share; `harness` is read when they run (after beforeAll). */
export function erasureKit(harness: () => Harness) {
  const settle = () => harness().runtime.momentQueue.idle();
  const all = async (sql: string, args: Array<string | number> = []) =>
    (await harness().runtime.db.$client.execute({ sql, args })).rows as unknown as Row[];
  const customerOf = async (crmId: string) =>
    String(
      (await all("SELECT customer_id FROM identities WHERE kind = 'customer_id' AND value = ?", [crmId]))[0]
        .customer_id,
    );

  /** A failed withdrawal, then a furious public post minutes later: a moment, with the post's id. */
  async function troubledJourney(customer: Record<string, unknown>, day: string) {
    await harness().request("POST", "/v1/events", {
      body: eventInput({ customer, type: "error", status: "shown", occurredAt: `${day}T08:00:00Z` }),
    });
    const post = await harness().request("POST", "/v1/interactions", {
      body: socialInput({
        customer,
        authorHandle: `@h_${String(customer.customerId).replace(/-/g, "_")}_${day.replace(/-/g, "")}`,
        occurredAt: `${day}T08:05:00Z`,
        text: "Your app crashed again and took my money. I want a manager NOW. Disgraceful!",
      }),
    });
    await settle();
    return (await post.json()).id as string;
  }

  return { settle, all, customerOf, troubledJourney };
}
