import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";

const require = createRequire(import.meta.url);
// Swagger UI is served from node_modules so the docs page works offline (no CDN).
const swaggerDir = dirname(require.resolve("swagger-ui-dist/package.json"));
// A Map, not an object literal: a name from the URL must not find inherited keys (`constructor`, `__proto__`).
const assets = new Map([
  ["swagger-ui.css", "text/css; charset=utf-8"],
  ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
]);
// The repository's package.json (beside build/ once built, where the build links it).
const { version } = require("../../../package.json") as { version: string };

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Earshot API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;
/**
 * Swagger UI runs only its bundled script and our init script, both from this origin, and fetches only
 * /openapi.json. Its inline styles are set through the DOM (React `style` props), which `style-src`
 * does not govern, and it draws its icons as data: SVG images. test/e2e/docs.browser.test.ts renders
 * it in Chromium under this policy and fails on any violation.
 */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
const init = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#ui" });`;

/**
 * The OpenAPI 3.1 document of every route declared on `app` (call once all are mounted) and the
 * Swagger UI page that browses it.
 */
export function serveDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An Earshot API key whose scopes grant the route's permission (`x-required-scope`)",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "earshot_session",
    description:
      "A person's console session, whose role grants the route's permission (`x-roles`); requests that change something must come from the console's own origin",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "queryKey", {
    type: "apiKey",
    in: "query",
    name: "key",
    description: "The same key in `?key=`, for connector senders whose webhook settings hold only a URL",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Earshot API",
      version,
      description: "Ingests customer interactions and journey events, analyses them and links them to customers.",
    },
  });
  app
    .get("/docs", (c) =>
      c.html(page, 200, { "content-security-policy": DOCS_CSP, "cache-control": "public, max-age=3600" }),
    )
    .get("/docs/assets/init.js", (c) =>
      c.body(init, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" }),
    )
    .get("/docs/assets/:file", async (c) => {
      const file = c.req.param("file");
      const type = assets.get(file);
      if (!type) return c.notFound();
      return c.body(await readFile(join(swaggerDir, file)), 200, {
        "content-type": type,
        "cache-control": "public, max-age=86400",
      });
    });
}
