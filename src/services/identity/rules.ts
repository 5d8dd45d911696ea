import { join } from "node:path";
import { z } from "zod";
import { identityKinds, type IdentityKind } from "../../db/schema/index.js";
import { defaultLexiconDir, loadRuleFile } from "../lexicons.js";
import type { Identifier } from "./normalise.js";

const kind = z.enum(identityKinds);
const rulesSchema = z.object({
  survivor: z.enum(["older", "newer"]),
  blocked: z.partialRecord(kind, z.array(z.string())),
  blockedPatterns: z.partialRecord(
    kind,
    z.array(
      z.string().refine((s) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      }, "must be a valid regular expression"),
    ),
  ),
  maxPerKind: z.record(kind, z.number().int().min(1)),
  neverMerge: z.array(kind),
});

export interface IdentityRules {
  survivor: "older" | "newer";
  maxPerKind: Record<IdentityKind, number>;
  neverMerge: Set<IdentityKind>;
  isBlocked(id: Identifier): boolean;
}

export function compileIdentityRules(r: z.infer<typeof rulesSchema>): IdentityRules {
  const blocked = new Set(
    Object.entries(r.blocked).flatMap(([k, vs]) => vs.map((v) => `${k}\u0000${v.toLowerCase()}`)),
  );
  const patterns = Object.entries(r.blockedPatterns).flatMap(([k, ps]) =>
    ps.map((p) => ({ kind: k, re: new RegExp(p, "i") })),
  );
  return {
    survivor: r.survivor,
    maxPerKind: r.maxPerKind,
    neverMerge: new Set(r.neverMerge),
    isBlocked: (id) =>
      blocked.has(`${id.kind}\u0000${id.value.toLowerCase()}`) ||
      patterns.some((p) => p.kind === id.kind && p.re.test(id.value)),
  };
}

export function loadIdentityRules(dir = defaultLexiconDir): IdentityRules {
  return compileIdentityRules(loadRuleFile(join(dir, "identity.json"), rulesSchema).data);
}
