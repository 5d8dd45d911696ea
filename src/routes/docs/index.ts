import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { buildOpenApi } from "./openapi.js";

const require = createRequire(import.meta.url);
// Swagger UI is served from node_modules so the docs page works offline (no CDN).
const swaggerDir = dirname(require.resolve("swagger-ui-dist/package.json"));
// A Map, not an object literal: a name from the URL must not find inherited keys (`constructor`, `__proto__`).
const assets = new Map([
  ["swagger-ui.css", "text/css; charset=utf-8"],
  ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
]);

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Earshot API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;
const init = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#ui" });`;

export function docsRoutes(operations: Operation[], version: string) {
  const spec = buildOpenApi(operations, version);
  return new Hono<AppEnv>()
    .get("/openapi.json", (c) => c.json(spec))
    .get("/docs", (c) => c.html(page))
    .get("/docs/assets/init.js", (c) => c.body(init, 200, { "content-type": "text/javascript; charset=utf-8" }))
    .get("/docs/assets/:file", async (c) => {
      const file = c.req.param("file");
      const type = assets.get(file);
      if (!type) return c.notFound();
      return c.body(await readFile(join(swaggerDir, file)), 200, { "content-type": type, "cache-control": "public, max-age=86400" });
    });
}
