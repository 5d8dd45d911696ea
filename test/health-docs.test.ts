import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { json } from "./support/http.js";

interface Readiness {
  status: string;
  checks: { database: boolean; migrations: boolean };
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("health", () => {
  it("reports liveness", async () => {
    const res = await h.request("GET", "/healthz", { key: null });
    expect(res.status).toBe(200);
    expect(await json<{ status: string }>(res)).toEqual({ status: "ok" });
  });
  it("reports readiness with the database and migrations checked", async () => {
    const res = await h.request("GET", "/readyz", { key: null });
    expect(res.status).toBe(200);
    expect(await json<Readiness>(res)).toEqual({ status: "ready", checks: { database: true, migrations: true } });
  });
  it("is not ready when the migrations are missing", async () => {
    await h.runtime.db.$client.execute("ALTER TABLE __drizzle_migrations RENAME TO __drizzle_migrations_moved");
    try {
      const res = await h.request("GET", "/readyz", { key: null });
      expect(res.status).toBe(503);
      expect((await json<Readiness>(res)).checks.migrations).toBe(false);
    } finally {
      await h.runtime.db.$client.execute("ALTER TABLE __drizzle_migrations_moved RENAME TO __drizzle_migrations");
    }
  });
});

describe("API docs", () => {
  it("serves an OpenAPI 3.1 document generated from the schemas", async () => {
    const spec = await (await h.request("GET", "/openapi.json", { key: null })).json();
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/v1/interactions",
        "/v1/interactions/batch",
        "/v1/events",
        "/v1/events/batch",
        "/v1/analyze",
        "/healthz",
        "/readyz",
      ]),
    );
    const body = spec.paths["/v1/interactions"].post.requestBody.content["application/json"].schema;
    expect(body).toEqual({ $ref: "#/components/schemas/InteractionInput" });
    expect(JSON.stringify(spec.components.schemas.InteractionInput)).toContain("call_note");
    expect(spec.paths["/v1/events"].post.responses["422"]).toBeDefined();
  });
  it("serves a browsable page with local assets", async () => {
    const page = await h.request("GET", "/docs", { key: null });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("/docs/assets/swagger-ui-bundle.js");
    expect(html).not.toMatch(/https?:\/\//);
    const js = await h.request("GET", "/docs/assets/swagger-ui-bundle.js", { key: null });
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
  });
  it("answers 404 for asset names that are keys every object inherits", async () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
      const res = await h.request("GET", `/docs/assets/${name}`, { key: null });
      expect(res.status, name).toBe(404);
      expect(res.headers.get("content-type"), name).toContain("application/problem+json");
    }
  });
});
