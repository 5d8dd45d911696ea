import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrationList, calibrationSchema } from "../../src/contracts/calibrations.js";
import { qualitySchema } from "../../src/contracts/quality.js";
import { analysisFrom } from "../../src/analysis/stored-form.js";
import { covariatesOf } from "../../src/calibration/covariates.js";
import { probabilityOf } from "../../src/calibration/probability.js";
import { severityOf } from "../../src/journeys/journey-risk.js";
import { loadSampleData } from "../../src/services/sample-data.js";
import { socialInput } from "../support/factories.js";
import { createHarness, type Harness } from "../support/harness.js";
import { judgeAll } from "../support/simulated-agent.js";

// Calibration over HTTP: the sample data, judged by a simulated agent whose deployment counts fewer
// things as complaints than the shipped rules do; a proposal, its effect, activation and rollback.

const NOW = new Date("2026-06-01T00:00:00Z");
// Each reading of the clock a millisecond later, so audit entries are in the order they happened.
let tick = NOW.getTime() - 3_600_000;
let h: Harness;
const admin = () => h.keys.admin;
const post = (path: string, body: unknown, key = admin()) => h.request("POST", path, { key, body });

beforeAll(async () => {
  h = await createHarness({}, { clock: () => new Date((tick += 1)) });
  await loadSampleData(h.runtime.ingest, undefined, { endAt: NOW });
  await h.runtime.momentQueue.idle();
  const db = h.runtime.db.$client;
  const moments = (
    await db.execute(
      "SELECT m.id, m.reasons, coalesce(i.external_id, e.external_id) AS key FROM moments m LEFT JOIN interactions i ON i.id = m.trigger_id LEFT JOIN journey_events e ON e.id = m.trigger_id",
    )
  ).rows.map((r) => ({
    id: String(r.id),
    key: String(r.key),
    codes: (JSON.parse(String(r.reasons)) as Array<{ code: string }>).map((x) => x.code),
  }));
  const interactions = (await db.execute("SELECT id, external_id, flagged, analysis FROM interactions")).rows.map(
    (r) => ({
      id: String(r.id),
      key: String(r.external_id),
      flagged: Number(r.flagged) === 1,
      codes: analysisFrom(JSON.parse(String(r.analysis))).complaint.reasons.map((x) => x.code),
    }),
  );
  await judgeAll((path, body) => h.request("POST", path, { body }), { moments, interactions });
}, 240_000);
afterAll(() => h.close());

let proposal: ReturnType<typeof calibrationSchema.parse>;

describe("POST /v1/calibrations", () => {
  it("fits both parts from the verdicts and answers the effect on the window", async () => {
    const res = await post("/v1/calibrations", { days: 120 });
    expect(res.status).toBe(201);
    proposal = calibrationSchema.parse(await res.json());
    expect(proposal).toMatchObject({ version: "c1", status: "proposed", windowDays: 120, activated: null });
    const fit = proposal.fit as Record<string, any>;
    expect(fit.minVerdicts).toBe(30);
    expect(fit.interaction).toMatchObject({
      fitted: true,
      chosen: expect.stringMatching(/^(platt|isotonic|logistic)$/),
    });
    // With enough verdicts all three methods were measured on held-out verdicts; the chosen one had the
    // lowest log loss. This deployment does not count negative sentiment or a refund alone, so the
    // reasons and needs carry what the risk does not: the covariates win here.
    const measured = fit.interaction.measured as Record<string, { logLoss: number }>;
    expect(Object.keys(measured).sort()).toEqual(["isotonic", "logistic", "platt"]);
    for (const m of Object.values(measured))
      expect(measured[fit.interaction.chosen].logLoss).toBeLessThanOrEqual(m.logLoss);
    expect(fit.interaction.chosen).toBe("logistic");
    // The moment weights: both fits measured by held-out ranking, the better one chosen.
    const mm = fit.moment.measured as Record<string, { auc: number }>;
    expect(mm.noisy_or.auc).toBeGreaterThan(0.5);
    expect(mm[fit.moment.chosen].auc).toBeGreaterThanOrEqual(Math.max(mm.noisy_or.auc, mm.logistic.auc));
    // Below the threshold agents only report misses; the unflagged interactions nobody reported count
    // as rightly unflagged, so low risks do not read as certain complaints (which would flag everything).
    expect(fit.interaction.presumedNotComplaints).toBeGreaterThan(0);
    expect(proposal.effect && (proposal.effect as Record<string, any>).interactions.curve[0].probability).toBeLessThan(
      0.5,
    );
    expect(fit.moment.fitted).toBe(true);
    expect(proposal.complaint!.map.method).toBe(fit.interaction.chosen);
    expect(proposal.momentRules!.signals.escalation.weight).toBeGreaterThan(0);

    const effect = proposal.effect as Record<string, any>;
    for (const part of [effect.interactions, effect.moments]) {
      expect(part.flagsBefore).toBeGreaterThan(0);
      expect(part.recallAfter.value).toBeGreaterThanOrEqual(0.95 * part.recallBefore.value - 1e-9);
      expect(part.precisionAfter.value).toBeGreaterThanOrEqual(part.precisionBefore.value);
    }
    // This deployment counts fewer flags as real: the proposal raises fewer.
    expect(effect.interactions.flagsAfter).toBeLessThan(effect.interactions.flagsBefore);
    // A probability curve that never falls as risk rises.
    const curve = effect.interactions.curve as Array<{ risk: number; probability: number }>;
    for (let i = 1; i < curve.length; i++)
      expect(curve[i].probability).toBeGreaterThanOrEqual(curve[i - 1].probability);
    // Which covariates move the probability, largest first, and the weight of a reason the deployment
    // does not count on its own goes down.
    const covariates = effect.interactions.covariates as Array<{ name: string; weight: number }>;
    expect(covariates.length).toBeGreaterThan(0);
    expect(Math.abs(covariates[0].weight)).toBeGreaterThanOrEqual(Math.abs(covariates[covariates.length - 1].weight));
    // Which reasons gain and lose weight, largest change first.
    const reasons = effect.moments.reasons as Array<{ code: string; before: number; after: number; change: number }>;
    expect(reasons.map((r) => r.code)).toContain("escalation");
    expect(Math.abs(reasons[0].change)).toBeGreaterThanOrEqual(Math.abs(reasons[reasons.length - 1].change));
    const sev = proposal.momentRules!.severity;
    expect(sev.low).toBe(proposal.momentRules!.threshold);
    expect(sev.low < sev.medium && sev.medium < sev.high && sev.high <= sev.critical).toBe(true);
    // The bands are cut on the window's moments as the new weights score them: each holds about its
    // share, and "critical" is rare (the refitted scores pile up above 0.99, so shown to two decimals
    // a third of the flags would tie at the top).
    expect(proposal.momentRules!.severityShares).toEqual({ critical: 0.05, high: 0.15, medium: 0.3 });
    const mix = effect.moments.severityAfter as Record<string, number>;
    expect(Object.values(mix).reduce((a, b) => a + b, 0)).toBe(effect.moments.flagsAfter);
    const n = effect.moments.flagsAfter;
    expect(mix.critical).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.1 * n)));
    expect(mix.critical + mix.high).toBeLessThanOrEqual(Math.ceil(0.3 * n));
    expect(mix.low).toBeGreaterThan(mix.critical);
    expect(effect.moments.critical).toMatchObject({
      before: effect.moments.severityBefore.critical,
      after: mix.critical,
      target: 0.05,
    });
    expect(effect.moments.critical.shareAfter).toBeLessThan(effect.moments.critical.shareBefore);
    expect(effect.moments.severityCuts.after).toEqual(sev);
    // Nothing changed: a proposal is not in force.
    expect(h.runtime.momentScorer.currentRules.version).not.toMatch(/^c1:/);
    expect(proposal.audit).toEqual([]);
  });

  it("refuses to fit from too few verdicts, saying how many there are and how many it needs", async () => {
    const res = await post("/v1/calibrations", { days: 1 });
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toMatch(/needs 30, with at least 5 each way/);
  });

  it("refuses bad input naming the field, and needs the admin scope", async () => {
    const bad = await post("/v1/calibrations", { days: 0, keepRecall: 2, extra: true });
    expect(bad.status).toBe(422);
    const fields = (await bad.json()).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["days", "keepRecall"]));
    expect((await post("/v1/calibrations", {}, h.keys.read)).status).toBe(403);
    expect((await h.request("POST", "/v1/calibrations", { key: null })).status).toBe(401);
    expect((await h.request("GET", "/v1/calibrations", { key: h.keys.ingest })).status).toBe(403);
  });
});

describe("activation and rollback", () => {
  it("puts a calibration in force for new records, versioned, and audits it", async () => {
    expect((await post(`/v1/calibrations/${proposal.id}/activate`, undefined, h.keys.read)).status).toBe(403);
    expect((await post("/v1/calibrations/cal_nope/activate", undefined)).status).toBe(404);
    const res = await post(`/v1/calibrations/${proposal.id}/activate`, undefined);
    expect(res.status).toBe(200);
    const active = calibrationSchema.parse(await res.json());
    expect(active.status).toBe("active");
    expect(active.audit.map((a) => a.action)).toEqual(["proposed", "activated"]);
    // Who proposed and activated it, by the key's name rather than its `key:<id>` reference.
    expect(active.audit.map((a) => a.byName)).toEqual(["test admin (API key)", "test admin (API key)"]);
    expect(active.activated?.byName).toBe("test admin (API key)");
    expect(active.createdByName).toBe("test admin (API key)");
    expect((await post(`/v1/calibrations/${proposal.id}/activate`, undefined)).status).toBe(409);

    expect(h.runtime.momentScorer.currentRules.version).toMatch(/^c1:[0-9a-f]{12}$/);
    expect(h.runtime.momentScorer.currentRules.rules).toEqual(proposal.momentRules);
    const created = await (
      await h.request("POST", "/v1/interactions", {
        body: socialInput({
          customer: { customerId: "crm-after-calibration" },
          occurredAt: "2026-05-31T10:00:00Z",
          text: "Charged twice AGAIN and nobody answers. Disgraceful, I want a manager NOW or I close my account!",
        }),
      })
    ).json();
    await h.runtime.momentQueue.idle();
    const stored = await (await h.request("GET", `/v1/interactions/${created.id}`)).json();
    expect(stored.analysisVersion).toMatch(/\+c1$/);
    expect(stored.analysis.complaint.threshold).toBe(proposal.complaint!.threshold);
    // The flag follows the map with the interaction's own covariates (channel, reasons, needs).
    const covariatesOfStored = covariatesOf(
      "social",
      stored.analysis.complaint.reasons.map((r: { code: string }) => r.code),
      stored.analysis.needs.map((n: { id: string }) => n.id),
    );
    expect(stored.flagged).toBe(
      probabilityOf(proposal.complaint!.map, stored.analysis.complaint.risk, covariatesOfStored) >=
        proposal.complaint!.threshold,
    );
    const [moment] = (
      await h.runtime.db.$client.execute({
        sql: "SELECT rules_version FROM moments WHERE customer_id = ?",
        args: [created.customerId],
      })
    ).rows;
    expect(String(moment.rules_version)).toMatch(/^c1:/);
    // New moments are banded by the calibrated cuts, on their unrounded score (1 − Π(1 − weight)).
    for (const text of [
      "Still waiting for my refund, this is the third time I write.",
      "You lost my bag and nobody calls back. I am cancelling and telling everyone.",
    ])
      await h.request("POST", "/v1/interactions", {
        body: socialInput({ customer: { customerId: "crm-banded" }, occurredAt: "2026-05-31T11:00:00Z", text }),
      });
    await h.runtime.momentQueue.idle();
    const banded = (
      await h.runtime.db.$client.execute("SELECT severity, reasons FROM moments WHERE rules_version LIKE 'c1:%'")
    ).rows;
    expect(banded.length).toBeGreaterThan(0);
    for (const m of banded) {
      const weights = (JSON.parse(String(m.reasons)) as Array<{ weight: number }>).map((r) => r.weight);
      const score = 1 - weights.reduce((calm, w) => calm * (1 - w), 1);
      expect(m.severity).toBe(severityOf(score, proposal.momentRules!.severity));
    }

    const list = calibrationList.parse(
      await (await h.request("GET", "/v1/calibrations", { key: h.keys.supervise })).json(),
    );
    expect(list.active).toEqual({ id: proposal.id, version: "c1" });
    expect(list.audit.map((a) => a.action)).toEqual(["activated", "proposed"]);
    // Quality measures the thresholds now in force.
    const q = qualitySchema.parse(
      await (await h.request("GET", "/v1/quality?from=2026-02-01T00:00:00Z&to=2026-06-01T00:00:00Z")).json(),
    );
    expect(q.current.interaction.threshold).toBe(proposal.complaint!.threshold);
    // A logistic map is measured verdict by verdict, each with its interaction's covariates.
    expect(q.current.interaction.judgedFlags).toBeGreaterThan(0);
    expect(q.current.interaction.precision.value).toBeGreaterThan(0.2);
    expect(q.current.moment.threshold).toBe(proposal.momentRules!.threshold);
  });

  it("rolls back to what was in force before, and then refuses to roll back past the shipped rules", async () => {
    const second = calibrationSchema.parse(
      await (await post("/v1/calibrations", { days: 120, keepRecall: 0.8 })).json(),
    );
    expect(second.version).toBe("c2");
    await post(`/v1/calibrations/${second.id}/activate`, undefined);
    expect(h.runtime.momentScorer.currentRules.version).toMatch(/^c2:/);

    const back = await post("/v1/calibrations/rollback", undefined);
    expect(back.status).toBe(200);
    expect((await back.json()).active).toMatchObject({ id: proposal.id, status: "active" });
    expect(h.runtime.momentScorer.currentRules.version).toMatch(/^c1:/);

    const shipped = await (await post("/v1/calibrations/rollback", undefined)).json();
    expect(shipped.active).toBeNull();
    expect(h.runtime.momentScorer.currentRules.version).toBe(h.runtime.calibration.shippedRules.momentRulesVersion);
    expect(h.runtime.calibration.active).toBeNull();
    expect((await post("/v1/calibrations/rollback", undefined)).status).toBe(409);
    const trail = calibrationSchema.parse(await (await h.request("GET", `/v1/calibrations/${second.id}`)).json()).audit;
    expect(trail.map((a) => a.action)).toEqual(["proposed", "activated"]);
  });

  it("activates a retired calibration again: the older version is back in force, audited", async () => {
    const res = await post(`/v1/calibrations/${proposal.id}/activate`, undefined);
    expect(res.status).toBe(200);
    const again = calibrationSchema.parse(await res.json());
    expect(again.status).toBe("active");
    expect(again.audit.map((a) => a.action)).toEqual(["proposed", "activated", "rolled_back", "activated"]);
    expect(h.runtime.momentScorer.currentRules.version).toMatch(/^c1:/);
    expect(h.runtime.calibration.active?.complaint?.map).toEqual(proposal.complaint!.map);
  });
});
