import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { verdictInputSchema } from "../contracts/verdicts.js";
import { DomainError } from "../lib/domain-error.js";
import { recordVerdict } from "../services/verdicts/record.js";
import { backWithNotice, consoleActor } from "./page-context.js";
import { permit, safeBack } from "./session.js";
import { verdictLabel } from "./verdict-form.js";

/** An agent's verdict on a flag (a moment or an interaction), posted from its form and recorded as theirs. */
export const verdictRoutes = new Hono<AppEnv>().post(
  "/:kind{moments|interactions}/:id/verdict",
  permit("act"),
  async (c) => {
    const form = await c.req.parseBody();
    const back = safeBack(form.back);
    const { deps } = c.var;
    const parsed = verdictInputSchema.safeParse({
      verdict: form.verdict,
      ...(typeof form.reason === "string" && form.reason ? { reason: form.reason } : {}),
    });
    if (!parsed.success) return backWithNotice(c, back, "Pick right, false alarm or missed.");
    const kind = c.req.param("kind") === "moments" ? "moment" : "interaction";
    let notice: string;
    try {
      await recordVerdict(
        deps.db,
        { kind, id: c.req.param("id") },
        parsed.data,
        consoleActor(c),
        deps.clock(),
        deps.maskRules,
      );
      notice = `Verdict recorded: ${verdictLabel[parsed.data.verdict].toLowerCase()}.`;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      notice = e.fields[0] ? `${e.message} The ${e.fields[0].field} ${e.fields[0].message}.` : e.message;
    }
    return backWithNotice(c, back, notice);
  },
);
