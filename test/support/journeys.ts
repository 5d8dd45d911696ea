import { expect } from "vitest";
import { chatInput, eventInput } from "./factories.js";
import type { Harness } from "./harness.js";

type Turn = { speaker: "customer" | "agent"; text: string };

/**
 * The journey behind most tests' moments: the customer's withdrawal fails (the event factory's
 * default), then they write in by chat. Both are stored through the API; the chat's response is
 * returned (its body names the customer).
 */
export async function failedWithdrawalThenChat(
  h: Harness,
  customer: Record<string, unknown>,
  chat: { failedAt: string; chatAt: string; session?: Record<string, unknown>; turns: Turn[] },
) {
  const event = await h.request("POST", "/v1/events", { body: eventInput({ customer, occurredAt: chat.failedAt }) });
  expect(event.status, await event.clone().text()).toBe(201);
  const res = await h.request("POST", "/v1/interactions", {
    body: chatInput({ customer, occurredAt: chat.chatAt, session: chat.session, turns: chat.turns }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res;
}
