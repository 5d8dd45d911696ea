// Generates the fictional multi-channel sample data set: `npm run sample-data`.
// Deterministic (seeded PRNG), written from templates in this file; no third-party text.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, dirname } from "node:path";
import { scenarios, type Person, type Step } from "./scenarios.js";

const out = dirname(fileURLToPath(import.meta.url));
let seed = 20260301;
export const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const FIRST = [
  "Maria",
  "James",
  "Aisha",
  "Tom",
  "Priya",
  "Lukas",
  "Chen",
  "Fatima",
  "Oliver",
  "Sofia",
  "Daniel",
  "Amara",
  "Noah",
  "Elena",
  "Kwame",
  "Hannah",
  "Mateo",
  "Yuki",
  "Grace",
  "Omar",
  "Isla",
  "Ravi",
  "Zoe",
  "Ethan",
  "Leila",
  "Jonas",
  "Mei",
  "Samuel",
  "Nora",
  "Diego",
];
const LAST = [
  "Gomez",
  "Walker",
  "Khan",
  "Becker",
  "Patel",
  "Novak",
  "Li",
  "Haddad",
  "Brown",
  "Rossi",
  "Okafor",
  "Silva",
  "Murphy",
  "Tanaka",
  "Mensah",
  "Schmidt",
  "Costa",
  "Evans",
  "Ali",
  "Nielsen",
];
const START = Date.parse("2026-01-05T08:00:00Z");
const DAY = 86_400_000;

const people: Person[] = Array.from({ length: 60 }, (_, i) => {
  const first = i === 0 ? "Maria" : FIRST[i % FIRST.length];
  const last = i === 0 ? "Gomez" : LAST[(i * 7) % LAST.length];
  const n = String(1000 + i);
  return {
    name: `${first} ${last}`,
    customerId: `crm-${n}`,
    email: `${first}.${last}${i}@mail.example`.toLowerCase(),
    phone: `+1 202 555 ${String(100 + i).padStart(4, "0")}`,
    handle: `${first}_${last}_${i}`.toLowerCase(),
    deviceId: `dev-${n}-a`,
    accountNumber: `ACCT${n}77`,
  };
});

const events: unknown[] = [];
const interactions: unknown[] = [];
let seq = 0;
const emit = (p: Person, at: number, step: Step) => {
  const id = `${++seq}`.padStart(5, "0");
  const occurredAt = new Date(at).toISOString();
  if (step.kind === "event") {
    const { kind: _k, who, ...fields } = step;
    events.push({ source: "core-banking", externalId: `ev-${id}`, occurredAt, customer: who(p), ...fields });
  } else {
    const { kind: _k, who, ...fields } = step;
    const source = { chat: "livechat", email: "crm-mail", call_note: "crm-calls", social: "social-listening" }[
      step.channel
    ];
    interactions.push({ source, externalId: `${step.channel}-${id}`, occurredAt, customer: who(p), ...fields });
  }
};

// Every customer's account opening carries all their identifiers, so later records link by any one.
for (const [i, p] of people.entries()) {
  emit(p, START - DAY * 30 + i * 3_600_000, {
    kind: "event",
    who: (x) => ({
      customerId: x.customerId,
      email: x.email,
      phone: x.phone,
      handle: { platform: "twitter", value: x.handle },
      deviceId: x.deviceId,
      accountNumber: x.accountNumber,
      name: x.name,
    }),
    type: "service",
    name: "account_opened",
    status: "succeeded",
  });
}

// The story the brief asks for: Maria tries to withdraw more than her checking balance.
const maria = people[0];
const storyAt = START + 52 * DAY + 10 * 3_600_000;
for (const [offset, step] of scenarios.mariaStory(maria)) emit(maria, storyAt + offset * 1000, step);

const names = Object.keys(scenarios.weighted) as Array<keyof typeof scenarios.weighted>;
while (interactions.length < 1100) {
  const person = people[1 + Math.floor(rand() * (people.length - 1))];
  const name = names[Math.floor(rand() * names.length)];
  const at =
    START + Math.floor(rand() * 60) * DAY + Math.floor(7 + rand() * 14) * 3_600_000 + Math.floor(rand() * 3_600_000);
  for (const [offset, step] of scenarios.weighted[name](person, rand)) emit(person, at + offset * 1000, step);
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
writeFileSync(join(out, "events.jsonl"), jsonl(events));
writeFileSync(join(out, "interactions.jsonl"), jsonl(interactions));
const channels: Record<string, number> = {};
for (const r of interactions as Array<{ channel: string }>) channels[r.channel] = (channels[r.channel] ?? 0) + 1;
console.log(
  `wrote ${interactions.length} interactions (${JSON.stringify(channels)}) and ${events.length} events for ${people.length} customers`,
);
