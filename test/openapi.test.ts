import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";

// The OpenAPI document is made from the routes' own declarations; these checks hold it to the routes
// the app really serves, so a route can neither go undocumented nor drift from its document.

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { enum?: string[] };
}
interface Operation {
  parameters?: Parameter[];
  security?: unknown[];
  "x-required-scope"?: string;
  "x-required-permission"?: string;
  "x-roles"?: string;
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
}
type Spec = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

let h: Harness;
let spec: Spec;
beforeAll(async () => {
  h = await createHarness();
  spec = await (await h.request("GET", "/openapi.json", { key: null })).json();
});
afterAll(() => h.close());

/** Every method and path the app answers under /v1, in the document's `{param}` form. */
function servedRoutes() {
  const seen = new Set<string>();
  for (const r of h.app.routes) {
    if (r.method === "ALL" || !r.path.startsWith("/v1")) continue;
    seen.add(`${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
  }
  return [...seen].map((s) => s.split(" ") as [string, string]);
}

const operations = () =>
  Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
const queryNames = (op: Operation) => (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);

describe("the OpenAPI document", () => {
  it("documents every route the app serves under /v1, with its path parameters", () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(25);
    for (const [method, path] of served) {
      const op = spec.paths[path]?.[method];
      expect(op, `${method.toUpperCase()} ${path}`).toBeDefined();
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const documented = (op.parameters ?? []).filter((p) => p.in === "path");
      expect(documented.map((p) => p.name).sort(), `${method} ${path}`).toEqual(pathParams.sort());
      for (const p of documented) expect(p.required).toBe(true);
    }
  });

  it("serves every operation it documents", () => {
    const served = new Set(servedRoutes().map(([m, p]) => `${m} ${p}`));
    for (const { path, method } of operations())
      if (path.startsWith("/v1")) expect(served.has(`${method} ${path}`), `${method} ${path}`).toBe(true);
  });

  it("gives every response a schema and every body a schema", () => {
    for (const { path, method, op } of operations()) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (status === "204") continue;
        expect(r.content, `${method} ${path} ${status}`).toBeDefined();
        for (const [type, media] of Object.entries(r.content!))
          expect(media.schema, `${method} ${path} ${status} ${type}`).toBeDefined();
      }
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        expect(media.schema, `${method} ${path} body ${type}`).toBeDefined();
    }
  });

  it("says which permission each protected operation needs, the scopes and roles that grant it, with its 401 and 403", () => {
    const scoped = operations().filter(({ op }) => op["x-required-permission"]);
    expect(scoped.length).toBeGreaterThan(25);
    for (const { path, method, op } of scoped) {
      expect(op["x-required-scope"], `${method} ${path}`).toBeTruthy();
      expect(op["x-roles"], `${method} ${path}`).toBeTruthy();
      // Connector senders whose webhook settings hold only a URL may put the key in ?key=; a person's
      // console session is accepted everywhere (and refused by the permission where no role has it).
      expect(op.security, `${method} ${path}`).toEqual(
        path.startsWith("/v1/connectors/")
          ? [{ bearer: [] }, { queryKey: [] }, { session: [] }]
          : [{ bearer: [] }, { session: [] }],
      );
      expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(["401", "403"]));
      expect(op.responses["401"].content!["application/problem+json"].schema).toEqual({
        $ref: "#/components/schemas/Problem",
      });
    }
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(spec.components.securitySchemes.queryKey).toMatchObject({ type: "apiKey", in: "query", name: "key" });
    expect(spec.components.securitySchemes.session).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "earshot_session",
    });
    const analyze = spec.paths["/v1/analyze"].post;
    expect(analyze["x-required-permission"]).toBe("view or ingest");
    expect(analyze["x-required-scope"]).toBe("ingest or read or act or supervise or admin");
    const ack = spec.paths["/v1/moments/{id}/ack"].post;
    expect([ack["x-required-permission"], ack["x-required-scope"], ack["x-roles"]]).toEqual([
      "act",
      "act or supervise or admin",
      "agent or supervisor or admin",
    ]);
    const erase = spec.paths["/v1/customers/{id}"].delete;
    expect([erase["x-required-permission"], erase["x-required-scope"], erase["x-roles"]]).toEqual([
      "manage_data",
      "admin",
      "admin",
    ]);
  });

  it("documents the timeline's filters, the erasure window and the deliveries' status", () => {
    expect(queryNames(spec.paths["/v1/customers/{id}/timeline"].get).sort()).toEqual([
      "channels",
      "cursor",
      "flaggedOnly",
      "from",
      "limit",
      "order",
      "to",
      "types",
    ]);
    const erase = spec.paths["/v1/customers/{id}/data"].delete.parameters!.filter((p) => p.in === "query");
    expect(erase.map((p) => [p.name, p.required])).toEqual([
      ["from", true],
      ["to", true],
    ]);
    const status = spec.paths["/v1/webhooks/{id}/deliveries"].get.parameters!.find((p) => p.name === "status")!;
    expect(status.schema?.enum).toEqual(["pending", "delivered", "failed"]);
  });

  it("describes a validation failure with the problem schema the API answers with", async () => {
    const problem = spec.components.schemas.Problem as { properties: Record<string, unknown>; required: string[] };
    expect(problem.required).toEqual(expect.arrayContaining(["type", "title", "status", "code"]));
    const res = await h.request("GET", "/v1/webhooks/whk_x/deliveries?status=lost", { key: h.keys.admin });
    expect(res.status).toBe(422);
    const body = await res.json();
    for (const key of Object.keys(body)) expect(Object.keys(problem.properties)).toContain(key);
    expect(body.errors).toEqual([{ field: "status", pointer: "/status", message: expect.stringContaining("pending") }]);
  });

  it("takes its version from package.json and documents the batch items by reference", async () => {
    const { version } = (await import("../package.json", { with: { type: "json" } })).default;
    expect((spec as unknown as { info: { version: string } }).info.version).toBe(version);
    const batch = spec.paths["/v1/interactions/batch"].post.requestBody!.content["application/json"].schema as {
      properties: { items: { items: unknown; maxItems: number } };
    };
    expect(batch.properties.items.items).toEqual({ $ref: "#/components/schemas/InteractionInput" });
    expect(batch.properties.items.maxItems).toBe(h.runtime.config.BATCH_MAX_ITEMS);
  });
});
