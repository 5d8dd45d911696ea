import { randomBytes } from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "earshot-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: root,
    input: opts.input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `file:${join(dir, "cli.db")}`, LOG_LEVEL: "silent", ...opts.env },
  });

describe("earshot analyze (JSON lines)", () => {
  it("answers exactly one line per input line, in order, reporting bad lines on stderr", () => {
    const lines = [
      JSON.stringify({ id: "a", text: "I was charged twice and nobody answered my emails." }),
      "this is not json",
      JSON.stringify({
        id: "b",
        channel: "chat",
        turns: [
          { speaker: "customer", text: "app crashed" },
          { speaker: "agent", text: "sorry" },
        ],
      }),
      JSON.stringify({ id: "c" }),
      ...Array.from({ length: 450 }, (_, i) =>
        JSON.stringify({ id: `n${i}`, text: i % 2 ? "Thanks, all good now" : "Still waiting for my card" }),
      ),
    ];
    const out = cli(["analyze", "--workers", "2"], { input: lines.join("\n") + "\n" });
    expect(out.status).toBe(0);
    const rows = out.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(lines.length);
    expect(rows.map((r) => r.id).slice(0, 6)).toEqual(["a", null, "b", "c", "n0", "n1"]);
    expect(rows[0]).toMatchObject({
      language: "en",
      sentiment: { label: "negative" },
      complaint: { flagged: expect.any(Boolean) },
    });
    expect(Object.keys(rows[0])).toEqual(["id", "language", "sentiment", "emotions", "topics", "needs", "complaint"]);
    expect(rows[2].turns).toHaveLength(2);
    expect(rows[1].error).toContain("not JSON");
    expect(rows[3].error).toContain("text");
    expect(rows.at(-1)).toMatchObject({ id: "n449", sentiment: { label: "positive" } });
    expect(out.stderr).toMatch(/line 2: not JSON/);
    expect(out.stderr).toMatch(/line 4: text/);
  });
});

describe("earshot keys", () => {
  it("creates a key, prints it once, and lists it without the secret", () => {
    const created = cli(["keys", "create", "--scopes", "ingest,read", "--name", "crm"]);
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^es_[A-Za-z0-9_-]{43}$/);
    const listed = cli(["keys", "list"]);
    expect(listed.stdout).toContain("ingest,read");
    expect(listed.stdout).toContain("crm");
    expect(listed.stdout).not.toContain(key);
  });

  it("refuses unknown scopes", () => {
    const bad = cli(["keys", "create", "--scopes", "everything"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown scope");
  });
});

describe("configuration", () => {
  it("stops with a message naming a bad value", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PORT: "seventy" },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("PORT");
  });
});

describe("npm run demo", () => {
  it("migrates, loads the sample data, serves and prints a working dev key", async () => {
    const port = String(30000 + Math.floor(Math.random() * 20000));
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "demo"], {
      cwd: root,
      env: {
        ...process.env,
        PORT: port,
        HOST: "127.0.0.1",
        DATABASE_URL: `file:${join(dir, "demo.db")}`,
        LOG_LEVEL: "silent",
      },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    try {
      for (let i = 0; i < 300 && !out.includes("Press Ctrl+C"); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain(`http://127.0.0.1:${port}`);
      const key = /Dev API key \(all scopes\): (\S+)/.exec(out)![1];
      const res = await fetch(`http://127.0.0.1:${port}/v1/analyze`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ text: "hello" }),
      });
      expect(res.status).toBe(200);
      const db = (await import("@libsql/client")).createClient({ url: `file:${join(dir, "demo.db")}` });
      const counts = await db.execute(
        "SELECT (SELECT count(*) FROM interactions) AS i, (SELECT count(*) FROM customers) AS c",
      );
      expect(Number(counts.rows[0].i)).toBeGreaterThanOrEqual(1000);
      expect(Number(counts.rows[0].c)).toBeGreaterThanOrEqual(50);
      db.close();
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }, 60_000);
});

describe("npm start (the compiled build)", () => {
  it("builds, migrates, serves the API and the console, and analyses on a worker thread", async () => {
    const build = spawnSync("npm", ["run", "-s", "build"], { cwd: root, encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const port = String(30000 + Math.floor(Math.random() * 20000));
    const key = `es_${randomBytes(32).toString("base64url")}`;
    const child = spawn(process.execPath, ["build/src/index.js"], {
      cwd: root,
      env: {
        ...process.env,
        PORT: port,
        HOST: "127.0.0.1",
        DATABASE_URL: `file:${join(dir, "build.db")}`,
        LOG_LEVEL: "silent",
        ANALYSIS_WORKERS: "1",
        EARSHOT_ADMIN_KEY: key,
      },
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      let ready = false;
      for (let i = 0; i < 200 && !ready; i++) {
        ready = await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(true);
      const analysed = await fetch(`${url}/v1/analyze`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ text: "Charged twice. Refund me now!" }),
      });
      expect((await analysed.json()).sentiment.label).toBe("negative");
      expect((await fetch(`${url}/console/assets/chart.umd.min.js`)).status).toBe(200);
      expect((await fetch(`${url}/console/sign-in`)).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      expect(await new Promise((r) => child.once("exit", r))).toBe(0);
    }
  }, 60_000);
});
