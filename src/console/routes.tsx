import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env.js";
import { consoleAsset } from "./assets.js";
import { refuseCrossSite } from "./cross-site.js";
import { customerRoutes } from "./customer-routes.js";
import { liveRoutes } from "./live-routes.js";
import { momentRoutes } from "./moment-routes.js";
import { queueRoutes } from "./queue-routes.js";
import { reportRoutes } from "./report-routes.js";
import { searchRoutes } from "./search-routes.js";
import { requireSession } from "./session.js";
import { signInRoutes } from "./sign-in-routes.js";
import { verdictRoutes } from "./verdict-routes.js";

/**
 * Scripts and styles come only from this origin; nothing inline runs. Data for the charts travels in
 * a JSON script block, which the browser never executes.
 */
const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/**
 * The console: its assets and sign-in open to all, every other page behind a session and its own
 * permission (`permit`, in each sub-app).
 */
export const consoleRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    await next();
    c.header("content-security-policy", CONSOLE_CSP);
    c.header("cache-control", c.res.headers.get("cache-control") ?? "no-store");
  })
  // Form posts must come from the console's own pages (Origin check), in small bodies.
  .use(refuseCrossSite)
  .use(bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text("Form too large.", 413) }))
  .get("/assets/:name", (c) => {
    const asset = consoleAsset(c.req.param("name"));
    if (!asset) return c.notFound();
    return c.body(new Uint8Array(asset.body), 200, {
      "content-type": asset.type,
      "cache-control": "public, max-age=3600",
    });
  })
  .route("/", signInRoutes)
  .use(requireSession)
  .route("/", searchRoutes)
  .route("/", customerRoutes)
  .route("/", momentRoutes)
  .route("/", queueRoutes)
  .route("/", verdictRoutes)
  .route("/", reportRoutes)
  .route("/", liveRoutes);
