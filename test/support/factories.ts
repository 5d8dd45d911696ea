let seq = 0;
const next = () => `${process.pid}-${++seq}`;

/** A valid interaction of each channel; override any field. */
export function chatInput(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    source: "chat-system",
    externalId: `chat-${next()}`,
    channel: "chat",
    occurredAt: "2026-03-01T10:00:00Z",
    customer: { email: `customer-${next()}@example.com` },
    turns: [
      { speaker: "customer", text: "Hi, my card payment failed twice today." },
      { speaker: "agent", text: "Sorry about that, let me check." },
    ],
    session: { queue: "cards", waitSeconds: 30, agentId: "agent-7" },
    ...overrides,
  };
}

export function emailInput(overrides: Record<string, unknown> = {}) {
  return {
    source: "crm",
    externalId: `email-${next()}`,
    channel: "email",
    occurredAt: "2026-03-01T11:00:00Z",
    customer: { email: `customer-${next()}@example.com` },
    subject: "Question about my statement",
    body: "Hello,\n\nCould you explain the fee on my last statement?\n\nThanks,\nSam",
    from: "sam@example.com",
    ...overrides,
  };
}

export function callNoteInput(overrides: Record<string, unknown> = {}) {
  return {
    source: "crm",
    externalId: `call-${next()}`,
    channel: "call_note",
    occurredAt: "2026-03-01T12:00:00Z",
    customer: { phone: "+44 7700 900123" },
    text: "Customer called about a delayed transfer. Explained the processing times.",
    durationSeconds: 420,
    holdSeconds: 60,
    disposition: "resolved",
    ...overrides,
  };
}

export function socialInput(overrides: Record<string, unknown> = {}) {
  return {
    source: "social-feed",
    externalId: `post-${next()}`,
    channel: "social",
    occurredAt: "2026-03-01T13:00:00Z",
    platform: "twitter",
    authorHandle: `@user_${next().replace(/-/g, "_")}`,
    text: "Loving the new app update, transfers are so quick now!",
    url: "https://social.example/post/1",
    public: true,
    ...overrides,
  };
}

export function eventInput(overrides: Record<string, unknown> = {}) {
  return {
    source: "core-banking",
    externalId: `evt-${next()}`,
    occurredAt: "2026-03-01T09:59:00Z",
    customer: { customerId: `crm-${next()}` },
    type: "transaction",
    name: "withdrawal",
    status: "failed",
    amount: 500,
    currency: "EUR",
    attributes: { reason: "insufficient funds" },
    ...overrides,
  };
}
