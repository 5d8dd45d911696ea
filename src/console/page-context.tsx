import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { decodeCursor } from "../lib/cursor.js";
import { actorOf } from "../services/people/principal.js";
import { openMomentCount } from "../services/moments/views.js";
import { Layout } from "./layout.js";
import { consoleWindow } from "./window.js";

// What every console page handler needs from its request: the layout's shell, the readable 404 and
// 400 pages, the page's time window, cursor and channels, who is acting, and the redirect back to a
// form's page with a notice.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const CHANNELS = new Set(["chat", "email", "call_note", "social"]);

/** The query's `channel` filter: known channels, each once (each becomes a bound SQL parameter). */
export const channelsFrom = (c: Context<AppEnv>) =>
  [...new Set(c.req.queries("channel") ?? [])].filter((ch) => CHANNELS.has(ch));

/** The signed-in person, as a verdict records them. */
export const consoleActor = (c: Context<AppEnv>) => ({ ...actorOf(c.var.principal), via: "console" as const });

/** The layout's header: who is signed in, what they may see, the live count. */
export async function shell(c: Context<AppEnv>) {
  const p = c.var.principal;
  return {
    user: p.name,
    role: p.kind === "person" ? p.role : undefined,
    canReview: p.permissions.has("review"),
    canExport: p.permissions.has("export"),
    openMoments: await openMomentCount(c.var.deps.db),
  };
}

export const notFound = async (c: Context<AppEnv>, what: string) =>
  c.html(
    <Layout title="Not found" {...(await shell(c))}>
      <h1>Not found</h1>
      <p>{what}</p>
      <p>
        <a href="/console">Back to search</a>
      </p>
    </Layout>,
    404,
  );

export const badWindow = async (c: Context<AppEnv>, field: "from" | "to", message: string) =>
  c.html(
    <Layout title="Invalid time window" {...(await shell(c))}>
      <h1>Invalid time window</h1>
      <p class="notice" role="alert" id="window-error">
        {field === "from" ? "From" : "To"} {message}.
      </p>
      <p>
        <a href={c.req.path}>Start again with the default window</a>
      </p>
    </Layout>,
    400,
  );

/** A page's window (src/console/window.ts), or the readable 400 page naming the input to correct. */
export async function pageWindow(c: Context<AppEnv>, defaultSpanMs: number) {
  const w = consoleWindow({ from: c.req.query("from"), to: c.req.query("to") }, c.var.deps.clock(), defaultSpanMs);
  if ("field" in w) return { refused: await badWindow(c, w.field, w.message) };
  return { window: w };
}

/** Back to the page a form came from, with a notice saying what happened (it rides in the query). */
export function backWithNotice(c: Context<AppEnv>, back: string, notice: string) {
  const [path, hash] = back.split("#");
  const target = new URL(path, "http://console.local");
  target.searchParams.set("notice", notice);
  return c.redirect(`${target.pathname}${target.search}${hash ? `#${hash}` : ""}`, 303);
}

/** A tampered, stale or oversized cursor (the API takes 500 characters) starts from the newest item rather than failing the page. */
export function pageCursor(raw: string | undefined) {
  if (raw && raw.length > 500) return undefined;
  try {
    return decodeCursor(raw);
  } catch {
    return undefined;
  }
}
