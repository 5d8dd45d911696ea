import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { appErrorThenPost } from "../support/journeys.js";

// The live stream of moment events over SSE, resumed after Last-Event-ID.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("GET /v1/moments/stream", () => {
  it("streams new moments and resumes after Last-Event-ID", async () => {
    const read = async (res: Response, until: (text: string) => boolean) => {
      const reader = res.body!.getReader();
      let text = "";
      const deadline = Date.now() + 5000;
      while (!until(text) && Date.now() < deadline) {
        const { value, done } = await Promise.race([
          reader.read(),
          new Promise<{ value: undefined; done: boolean }>((r) =>
            setTimeout(() => r({ value: undefined, done: false }), 300),
          ),
        ]);
        if (done) break;
        if (value) text += new TextDecoder().decode(value);
      }
      await reader.cancel();
      return text;
    };
    const live = await h.request("GET", "/v1/moments/stream");
    expect(live.headers.get("content-type")).toContain("text/event-stream");
    const customer = { customerId: "crm-stream-1" };
    setTimeout(async () => {
      await appErrorThenPost(h, customer, {
        errorAt: "2026-03-13T08:00:00Z",
        postAt: "2026-03-13T08:01:00Z",
        text: "App down AGAIN, payment failed, this is a disgrace. Closing my account!",
      });
    }, 50);
    const text = await read(live, (t) => t.includes("event: moment.flagged"));
    expect(text).toContain("event: moment.flagged");
    const id = /id: (\d+)/.exec(text)![1];

    const replay = await h.request("GET", "/v1/moments/stream", {
      headers: { "last-event-id": String(Number(id) - 1) },
    });
    const again = await read(replay, (t) => t.includes(`id: ${id}`));
    expect(again).toContain(`id: ${id}`);
  });
});
