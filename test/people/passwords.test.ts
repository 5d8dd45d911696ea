import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { readSecretLine, usersCommand } from "../../src/cli/users.js";
import { UsageError } from "../../src/cli/keys.js";
import { PasswordHasher } from "../../src/services/people/passwords.js";
import { passwordSignIn } from "../../src/services/people/sign-in.js";
import { AuthFailures } from "../../src/services/auth-failures.js";
import { listAudit } from "../../src/services/people/audit.js";
import { userByUsername } from "../../src/services/people/users.js";
import { createHarness } from "../support/harness.js";

const h = await createHarness();
afterAll(() => h.close());

describe("PasswordHasher", () => {
  const hasher = new PasswordHasher({ memoryKib: 8192, passes: 1, concurrency: 2 });

  it("hashes with argon2id in PHC form, with its parameters and a salt of its own", async () => {
    const a = await hasher.hash("a long passphrase to hash");
    const b = await hasher.hash("a long passphrase to hash");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=8192,t=1,p=1\$[\w+/]{22}\$[\w+/]{43}$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, "a long passphrase to hash")).toBe(true);
    expect(await hasher.verify(a, "a long passphrase to hasH")).toBe(false);
    expect(await hasher.verify("not a hash", "x")).toBe(false);
  });

  it("knows a hash made with other parameters, which sign-in re-hashes", async () => {
    const old = await new PasswordHasher({ memoryKib: 16384, passes: 2, concurrency: 1 }).hash("pw");
    expect(hasher.isOutdated(old)).toBe(true);
    expect(hasher.isOutdated(await hasher.hash("pw"))).toBe(false);
  });

  it("runs at most `concurrency` hashes at once and refuses past 32 waiting", async () => {
    const one = new PasswordHasher({ memoryKib: 8192, passes: 1, concurrency: 1 });
    const work = Array.from({ length: 40 }, () =>
      one.hash("queued").then(
        () => "ok",
        (e: Error) => e.message,
      ),
    );
    const results = await Promise.all(work);
    expect(results.filter((r) => r === "ok")).toHaveLength(33);
    expect(results.filter((r) => r !== "ok")[0]).toContain("Too many sign-ins at once");
  });
});

describe("password sign-in", () => {
  it("re-hashes a stored hash made with older parameters at the next sign-in", async () => {
    const p = await h.person("agent", { username: "rehashed" });
    const old = await new PasswordHasher({ memoryKib: 16384, passes: 2, concurrency: 1 }).hash(p.password);
    await h.runtime.db.$client.execute({ sql: "UPDATE users SET password_hash = ? WHERE id = ?", args: [old, p.id] });
    const deps = {
      db: h.runtime.db,
      passwords: h.runtime.passwords,
      authFailures: new AuthFailures({ limit: 5, windowMs: 60_000 }),
    };
    const outcome = await passwordSignIn(
      deps,
      { username: "REHASHED ", password: p.password },
      { address: "a", now: new Date(), ttlMs: 60_000 },
    );
    expect(outcome.ok).toBe(true);
    expect((await userByUsername(h.runtime.db, "rehashed"))!.passwordHash).toMatch(
      /^\$argon2id\$v=19\$m=8192,t=1,p=1\$/,
    );
  });
});

describe("earshot users", () => {
  const out: string[] = [];
  const io = (stdin = "") => ({ print: (s: string) => out.push(s), stdin: Readable.from([stdin]) });
  const run = (args: string[], flags = {}, stdin = "") =>
    usersCommand(h.runtime.db, h.runtime.passwords, args, flags, io(stdin));

  it("creates a person with the password from stdin, lists, changes the role, disables and enables, each audited as the command line", async () => {
    await run(
      ["create", "Cli.Person"],
      { role: "supervisor", name: "Cli Person", "password-stdin": true },
      "orange lamps over the river bend\nignored",
    );
    expect(out.at(-1)).toMatch(/^created usr_\w+ cli.person \(supervisor\)$/);
    await run(["list"]);
    expect(out.some((l) => /\tcli\.person\tsupervisor\tpassword\tactive\tCli Person$/.test(l))).toBe(true);
    await run(["role", "cli.person", "agent"]);
    expect(out.at(-1)).toBe("cli.person is now agent");
    await run(["password", "cli.person"], {}, "a fresh passphrase for the night shift\n");
    await run(["disable", "cli.person"]);
    await run(["enable", "cli.person"]);
    const user = (await userByUsername(h.runtime.db, "cli.person"))!;
    const trail = await listAudit(h.runtime.db, { subjectId: user.id, limit: 10 });
    expect(trail.items.map((e) => [e.action, e.by.id])).toEqual([
      ["user_enabled", "cli"],
      ["user_disabled", "cli"],
      ["password_set", "cli"],
      ["role_changed", "cli"],
      ["user_created", "cli"],
    ]);
  });

  it("refuses bad input with a usage error naming what is wrong", async () => {
    await expect(run(["create", "x y"], { role: "agent" })).rejects.toThrow(/username: must be/);
    await expect(
      run(["create", "weakling"], { role: "agent", "password-stdin": true }, "password1234\n"),
    ).rejects.toThrow(/password: is too easy to guess/);
    await expect(run(["create", "norole"], {})).rejects.toThrow(/role: must be agent, supervisor or admin/);
    await expect(run(["role", "nobody-at-all", "agent"])).rejects.toThrow(UsageError);
    await expect(run(["frobnicate"])).rejects.toThrow(/usage: users create/);
  });

  it("reads only the first line of stdin", async () => {
    expect(await readSecretLine(Readable.from(["first line\r\nsecond"]))).toBe("first line");
  });
});
