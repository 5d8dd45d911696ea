import type { CountryCode } from "libphonenumber-js";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { customers, interactions } from "../db/schema/index.js";
import { liveMoments } from "./moments/views.js";
import { searchCustomers, withIdentifiers } from "./customers/search.js";
import { countInteractions, searchInteractions, type InteractionSearch } from "./interaction-search.js";

export interface AgentSearchQuery {
  from: Date;
  to: Date;
  /** Free text, a name, an email, a phone number or a handle. */
  q?: string;
  /** Narrows the interactions found (a dashboard's drill-down): channel, sentiment, topic, need, flagged. */
  filters?: Pick<InteractionSearch, "channel" | "sentiment" | "topic" | "need" | "flagged">;
  limit: number;
}

/** The most interactions a search page counts: past it the page says "at least". */
export const SEARCH_COUNT_CAP = 100_000;

type FoundInteraction = Awaited<ReturnType<typeof searchInteractions>>["items"][number];

/**
 * What an agent's search box finds in a time window: customers whose identifiers or name match the
 * query, and interactions whose text matches or that belong to those customers, with the customers
 * behind them. Flagged interactions and customers with live moments
 * come first, then the newest.
 */
export async function agentSearch(db: Db, s: AgentSearchQuery, phoneRegion: CountryCode) {
  const q = s.q?.trim() || undefined;
  const matchedCustomers = q ? await searchCustomers(db, q, phoneRegion, s.limit) : [];
  const ids = matchedCustomers.map((c) => c.id);

  const filters = s.filters ?? {};
  const interactions = new Map<string, FoundInteraction>();
  for (const flagged of [true, false]) {
    if (filters.flagged !== undefined && filters.flagged !== flagged) continue;
    const base = { ...filters, from: s.from, to: s.to, flagged, limit: s.limit, order: "desc" as const };
    const pages = q
      ? [
          await searchInteractions(db, { ...base, q }),
          ...(ids.length ? [await searchInteractions(db, { ...base, customerIds: ids })] : []),
        ]
      : [await searchInteractions(db, base)];
    const found = pages.flatMap((p) => p.items).sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
    for (const item of found) if (interactions.size < s.limit * 2) interactions.set(item.id, item);
  }

  // Customers: those whose identifiers or name match, then the people behind the interactions found
  // (without a query: everyone who was in touch in the window).
  const authors = [...new Set([...interactions.values()].map((i) => i.customerId))].filter((id) => !ids.includes(id));
  const customers = [
    ...matchedCustomers,
    ...(await customerCards(db, authors.slice(0, Math.max(0, s.limit - matchedCustomers.length)))),
  ];
  const moments = await liveMoments(
    db,
    customers.map((c) => c.id),
  );
  const withRisk = customers
    .map((c) => ({ ...c, liveMoment: moments.get(c.id) ?? null }))
    .sort(
      (a, b) =>
        Number(!!b.liveMoment) - Number(!!a.liveMoment) || (b.lastContactAt ?? "").localeCompare(a.lastContactAt ?? ""),
    );
  // Without text, how many interactions the window and filters hold in all (the page lists the first
  // ones): the number a dashboard bar drilled down from must match. With text, the list is a union of
  // text matches and matched customers' contacts, and is counted as listed.
  const total = q ? null : await countInteractions(db, { from: s.from, to: s.to, ...filters }, SEARCH_COUNT_CAP);
  return { customers: withRisk, interactions: [...interactions.values()], total };
}

/** Cards for customers by id, as customer search shows them. */
async function customerCards(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: customers.id,
      display_name: customers.displayName,
      last_contact: sql<
        number | null
      >`(SELECT max(${interactions.occurredAt}) FROM ${interactions} WHERE ${interactions.customerId} = ${customers.id})`,
    })
    .from(customers)
    .where(inArray(customers.id, ids));
  return withIdentifiers(db, rows);
}
