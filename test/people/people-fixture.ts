import { createHarness, type Harness, type TestPerson } from "../support/harness.js";

// What the people tests start from: a harness with an admin, a supervisor and an agent signed in,
// and requests as a signed-in person's browser sends them to the API.

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

/** A fresh harness with one signed-in person of each role, named as the tests expect them. */
export async function peopleFixture() {
  const h = await createHarness();
  return {
    h,
    admin: await h.person("admin", { name: "Ada Admin" }),
    supervisor: await h.person("supervisor", { name: "Sol Supervisor" }),
    agent: await h.person("agent", { name: "Ana Agent" }),
  };
}
