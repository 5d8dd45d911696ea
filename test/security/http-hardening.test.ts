import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput, eventInput, socialInput } from "../support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const fieldsOf = async (res: Response) =>
  ((await res.json()).errors as Array<{ field: string; message: string }>).map((e) => [e.field, e.message]);

describe("ingest input", () => {
  it("accepts only http and https URLs for a social post, naming the field", async () => {
    for (const url of [
      "javascript:alert(document.cookie)",
      "JavaScript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox",
      "file:///etc/passwd",
      "ftp://files.example/x",
    ]) {
      const res = await h.request("POST", "/v1/interactions", { body: socialInput({ url }) });
      expect(res.status, url).toBe(422);
      expect(await fieldsOf(res)).toEqual([["url", "must be an http or https URL"]]);
    }
    for (const url of ["https://social.example/post/1", "http://social.example/p?id=2"])
      expect((await h.request("POST", "/v1/interactions", { body: socialInput({ url }) })).status).toBe(201);
  });

  it("refuses occurredAt outside 1970–2100, naming the field, as every time window does", async () => {
    for (const occurredAt of [
      "1969-12-31T23:59:59Z",
      "2100-01-01T00:00:00Z",
      "9999-12-31T00:00:00Z",
      "0001-01-01T00:00:00Z",
    ]) {
      const interaction = await h.request("POST", "/v1/interactions", { body: chatInput({ occurredAt }) });
      expect(interaction.status, occurredAt).toBe(422);
      expect(await fieldsOf(interaction)).toEqual([
        ["occurredAt", "must be between 1970-01-01T00:00:00Z and 2100-01-01T00:00:00Z"],
      ]);
      expect((await h.request("POST", "/v1/events", { body: eventInput({ occurredAt }) })).status).toBe(422);
      const batch = await (
        await h.request("POST", "/v1/events/batch", { body: { items: [eventInput({ occurredAt })] } })
      ).json();
      expect(batch.results[0].problem.errors[0].field).toBe("items.0.occurredAt");
    }
    for (const occurredAt of ["1970-01-01T00:00:00Z", "2099-12-31T23:59:59Z"])
      expect((await h.request("POST", "/v1/interactions", { body: chatInput({ occurredAt }) })).status).toBe(201);
  });
});

describe("response headers", () => {
  it("marks API answers, errors included, Cache-Control: no-store, and leaves static assets cacheable", async () => {
    const created = await h.request("POST", "/v1/interactions", { body: chatInput() });
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { id } = await created.json();
    for (const [path, key] of [
      [`/v1/interactions/${id}`, h.keys.read],
      ["/v1/moments", h.keys.read],
      ["/v1/moments", null],
      ["/v1/nope", h.keys.read],
      ["/openapi.json", null],
      ["/healthz", null],
    ] as const) {
      expect((await h.request("GET", path, { key })).headers.get("cache-control"), path).toBe("no-store");
    }
    expect((await h.request("GET", "/docs/assets/swagger-ui.css", { key: null })).headers.get("cache-control")).toBe(
      "public, max-age=86400",
    );
    expect((await h.request("GET", "/console/assets/console.css", { key: null })).headers.get("cache-control")).toBe(
      "public, max-age=3600",
    );
  });

  it("serves /docs with a content security policy that runs only its own scripts", async () => {
    const res = await h.request("GET", "/docs", { key: null });
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
  });

  it("titles a cross-site console form post as what it is", async () => {
    const res = await h.app.request("/console/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ key: h.keys.read }),
    });
    expect(res.status).toBe(403);
    const problem = await res.json();
    expect(problem).toMatchObject({ code: "cross_site", title: "Cross-site request refused", status: 403 });
    expect(problem.title).not.toContain("scope");
  });
});
