import { createHash } from "node:crypto";
import { join } from "node:path";
import { momentRulesSchema, type MomentRules } from "../../journeys/journey-risk.js";
import { defaultLexiconDir, loadRuleFile } from "../lexicons.js";

/** The moment rules (lexicons/moments.json) and a short hash of the file, stored with each moment it scores. */
export function loadMomentRules(dir = defaultLexiconDir): { rules: MomentRules; version: string } {
  const { data, raw } = loadRuleFile(join(dir, "moments.json"), momentRulesSchema);
  return { rules: data, version: createHash("sha256").update(raw).digest("hex").slice(0, 12) };
}
