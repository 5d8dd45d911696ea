import type { Scope } from "../../db/schema/api-keys.js";
import { roles } from "../../db/schema/people.js";

// The one table of who may do what. People have a role, API keys have scopes; both come down to the
// same permissions, and every route names the permission it needs (`secured()` for the API,
// `permit()` for console pages), so a role or a scope is never tested anywhere else.

/** What a route can require, each with what it allows. */
export const permissionDescriptions = {
  ingest: "send interactions, events and connector deliveries",
  view: "read customers, interactions, events and moments; search and analyse text",
  act: "acknowledge and resolve moments, give verdicts",
  assign: "assign moments to people and teams",
  review: "see quality, verdict lists, calibrations and the agents page",
  export: "export search results, moments and queues as CSV files",
  manage_users: "create people, set their roles, disable them",
  manage_webhooks: "register and remove webhooks, read their deliveries",
  manage_rules: "propose, activate and roll back calibrations; run re-analysis",
  manage_data: "correct identities (merge, split, unmerge), export and erase a customer's data",
  operate: "read /metrics",
} as const;

export type Permission = keyof typeof permissionDescriptions;
export const permissions = Object.keys(permissionDescriptions) as Permission[];

export { roles };
export type Role = (typeof roles)[number];

const agent: Permission[] = ["view", "act"];
// Exports are a supervisor's: a file of thousands of rows leaves the console's reach (and its audit of
// who looked at what), so an agent, who works one customer at a time, reads pages instead.
const supervisor: Permission[] = [...agent, "assign", "review", "export"];

/** A person's permissions by role: each role has everything the one before it has. */
export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  agent: new Set(agent),
  supervisor: new Set(supervisor),
  admin: new Set(permissions.filter((p) => p !== "ingest")),
};

/**
 * A key's permissions by scope. `read` only reads: a system that acknowledges or resolves moments, or
 * gives verdicts, needs `act`; `supervise` and `admin` match the roles of the same rank, and `admin`
 * alone also sends records, so one bootstrap key can do everything.
 */
export const scopePermissions: Record<Scope, ReadonlySet<Permission>> = {
  ingest: new Set(["ingest"]),
  read: new Set(["view"]),
  act: new Set(agent),
  supervise: new Set(supervisor),
  admin: new Set(permissions),
};

/** Everything a set of scopes allows. */
export function permissionsOfScopes(scopes: readonly Scope[]): ReadonlySet<Permission> {
  const out = new Set<Permission>();
  for (const s of scopes) for (const p of scopePermissions[s] ?? []) out.add(p);
  return out;
}

/** The scopes, and the roles, any one of which grants one of `accepted`: what a refusal and the document name. */
export function grantersOf(accepted: readonly Permission[]) {
  const grants = (set: ReadonlySet<Permission>) => accepted.some((p) => set.has(p));
  return {
    scopes: (Object.keys(scopePermissions) as Scope[]).filter((s) => grants(scopePermissions[s])),
    roles: roles.filter((r) => grants(rolePermissions[r])),
  };
}
