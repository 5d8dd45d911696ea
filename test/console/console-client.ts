import type { Harness } from "../support/harness.js";

// What the console's HTTP tests send as a browser would, over app.request().

export const CONSOLE_ORIGIN = "http://localhost";

export interface PageOptions {
  method?: string;
  form?: Record<string, string>;
  /** The session cookie; null: none. */
  cookie?: string | null;
  /** Form posts carry the console's own Origin unless told another; null: none. */
  origin?: string | null;
}

/** A browser-like request: form posts carry the console's Origin, the session cookie rides along. */
export function consolePage(h: Harness, path: string, opts: PageOptions = {}) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  let body: string | undefined;
  if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  }
  if (opts.origin !== null) headers.origin = opts.origin ?? CONSOLE_ORIGIN;
  return h.app.request(`${CONSOLE_ORIGIN}${path}`, {
    method: opts.method ?? (opts.form ? "POST" : "GET"),
    headers,
    body,
    redirect: "manual",
  });
}

/** Signs in through the console's form: the answer, its Set-Cookie and the session cookie it sets. */
export async function consoleSignIn(h: Harness, username: string, password: string, next = "/console") {
  const res = await consolePage(h, "/console/sign-in", { form: { username, password, next } });
  const set = res.headers.get("set-cookie") ?? "";
  return { res, set, cookie: set.split(";")[0] };
}
