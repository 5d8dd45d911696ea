import { expect } from "vitest";
import { chatInput, eventInput, socialInput } from "./factories.js";
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

/**
 * The other journey tests flag: the app shows the customer an error, then they post about it in
 * public. Both are stored through the API; the post's response is returned.
 */
export async function appErrorThenPost(
  h: Harness,
  customer: Record<string, unknown>,
  post: { errorAt: string; postAt: string; text: string },
) {
  const event = await h.request("POST", "/v1/events", {
    body: eventInput({ customer, type: "error", status: "shown", occurredAt: post.errorAt }),
  });
  expect(event.status, await event.clone().text()).toBe(201);
  const res = await h.request("POST", "/v1/interactions", {
    body: socialInput({ customer, occurredAt: post.postAt, text: post.text }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res;
}
