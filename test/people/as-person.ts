import type { Harness, TestPerson } from "../support/harness.js";

// Requests as a signed-in person's browser sends them to the API, for the people tests.

export const ORIGIN = "http://localhost";

/** A request as a signed-in person's browser sends it: the session cookie, the console's Origin. */
export function asPerson(h: Harness, p: TestPerson, method: string, path: string, body?: unknown) {
  return h.app.request(`${ORIGIN}${path}`, {
    method,
    headers: {
      cookie: p.cookie,
      origin: ORIGIN,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
