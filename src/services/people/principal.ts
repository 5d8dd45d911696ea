import type { Scope } from "../../db/schema/index.js";
import type { Permission, Role } from "./permissions.js";

/** Who a request acts for: a system's API key, or a person signed in to the console. */
export type Principal =
  | { kind: "key"; id: string; name: string; scopes: Scope[]; permissions: ReadonlySet<Permission> }
  | { kind: "person"; id: string; name: string; role: Role; permissions: ReadonlySet<Permission> };

/** Someone who did something, as records keep them: a reference (`user:<id>`, `key:<id>`) and a name. */
export interface Actor {
  ref: string;
  name: string;
}

export const actorOf = (p: Principal): Actor => ({
  ref: `${p.kind === "person" ? "user" : "key"}:${p.id}`,
  name: p.name,
});

/** What the command line acts as: no person or key stands behind it, only whoever runs it on the host. */
export const CLI_ACTOR: Actor = { ref: "cli", name: "command line" };
