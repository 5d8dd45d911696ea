import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config.js";
import { openDb } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import { keysCommand, UsageError } from "./cli/keys.js";
import { backupDatabase } from "./services/backup.js";

// Commands that analyse, serve or load lexicons import what they need when they run: the analysis
// engine and its language model take about a second of CPU to load, which `keys` and `migrate` skip.

const HELP = `earshot <command>

  demo                              migrate, load sample data when empty, serve, print a dev key
  migrate                           apply the database migrations
  keys create --scopes S [--name N] create an API key for a system; prints it once
  keys list | keys revoke <id>      list or revoke keys (scopes: ingest,read,act,supervise,admin)
  users create <username> --role R [--name N] [--password-stdin]
                                    add a console user (roles: agent, supervisor, admin);
                                    the password is read from stdin, never an argument
  users list | users role <username> R | users password <username> (stdin)
  users disable <username> | users enable <username>
  analyze [--workers N]             JSON lines on stdin → one analysis line per input line on stdout
  backup <file>                     online backup of the database (VACUUM INTO), checked
  mask-stored                       mask personal data, by the current rules, in records stored
                                    before a field or detector was masked (see docs/privacy.md)
  seed [--original-dates]           load sample-data/ into the database, moved to end now
                                    (or at the dates in the files)
  import <file> [--format csv|jsonl] [--kind interaction|event] [--map mapping.json]
         [--field target=column ...] [--sender NAME] [--batch N] [--restart]
                                    import an export through the ingest path: idempotent,
                                    resumable, bad lines in <file>.errors.jsonl (docs/import.md)
  import-mbox <file> [--source S]   import an mbox archive as raw emails (docs/email.md)
  reanalyze [--from T] [--to T] [--channel C,C] [--dry-run] [--job ID]
                                    analyse stored interactions again with the lexicons and
                                    calibration in force; progress on stderr, summary on stdout;
                                    --job resumes an interrupted run (docs/verdicts-and-calibration.md)
`;

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scopes: { type: "string" },
      role: { type: "string" },
      "password-stdin": { type: "boolean" },
      name: { type: "string" },
      workers: { type: "string" },
      "original-dates": { type: "boolean" },
      format: { type: "string" },
      kind: { type: "string" },
      map: { type: "string" },
      field: { type: "string", multiple: true },
      sender: { type: "string" },
      batch: { type: "string" },
      restart: { type: "boolean" },
      source: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      channel: { type: "string" },
      "dry-run": { type: "boolean" },
      job: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case "demo":
      return (await import("./cli/demo.js")).demoCommand(config);
    case "migrate": {
      const db = await openDb({
        url: config.DATABASE_URL,
        authToken: config.DATABASE_AUTH_TOKEN,
        busyDeadlineMs: config.DATABASE_BUSY_TIMEOUT_MS,
      });
      await runMigrations(db);
      process.stderr.write("migrations applied\n");
      return db.$client.close();
    }
    case "keys": {
      const db = await openDb({
        url: config.DATABASE_URL,
        authToken: config.DATABASE_AUTH_TOKEN,
        busyDeadlineMs: config.DATABASE_BUSY_TIMEOUT_MS,
      });
      await runMigrations(db);
      try {
        await keysCommand(db, rest, values, (s) => process.stdout.write(s + "\n"));
      } finally {
        db.$client.close();
      }
      return;
    }
    case "users": {
      const db = await openDb({
        url: config.DATABASE_URL,
        authToken: config.DATABASE_AUTH_TOKEN,
        busyDeadlineMs: config.DATABASE_BUSY_TIMEOUT_MS,
      });
      await runMigrations(db);
      const [{ usersCommand }, { PasswordHasher }] = await Promise.all([
        import("./cli/users.js"),
        import("./services/people/passwords.js"),
      ]);
      const hasher = new PasswordHasher({
        memoryKib: config.PASSWORD_HASH_MEMORY_KIB,
        passes: config.PASSWORD_HASH_PASSES,
        concurrency: config.PASSWORD_HASH_CONCURRENCY,
      });
      try {
        await usersCommand(db, hasher, rest, values, {
          print: (s) => process.stdout.write(s + "\n"),
          stdin: process.stdin,
        });
      } finally {
        db.$client.close();
      }
      return;
    }
    case "analyze": {
      const workers = values.workers === undefined ? undefined : Number(values.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1))
        throw new UsageError("--workers must be a whole number ≥ 1");
      const { analyzeJsonLines } = await import("./cli/analyze.js");
      const { errors } = await analyzeJsonLines({
        input: process.stdin,
        output: process.stdout,
        log: (line) => process.stderr.write(line + "\n"),
        workers: workers ?? (await import("node:os")).availableParallelism(),
      });
      // Bad lines are answered in place and reported on stderr; they do not fail the run.
      void errors;
      return;
    }
    case "backup": {
      if (!rest[0]) throw new UsageError("usage: earshot backup <file>");
      const db = await openDb({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
      try {
        const result = await backupDatabase(db, rest[0]);
        process.stdout.write(JSON.stringify(result) + "\n");
      } finally {
        db.$client.close();
      }
      return;
    }
    case "mask-stored": {
      const db = await openDb({
        url: config.DATABASE_URL,
        authToken: config.DATABASE_AUTH_TOKEN,
        busyDeadlineMs: config.DATABASE_BUSY_TIMEOUT_MS,
      });
      try {
        await runMigrations(db);
        const [{ maskStoredRecords }, { loadPiiRules }] = await Promise.all([
          import("./services/mask-stored.js"),
          import("./services/lexicons.js"),
        ]);
        const result = await maskStoredRecords(db, loadPiiRules());
        process.stdout.write(JSON.stringify(result) + "\n");
      } finally {
        db.$client.close();
      }
      return;
    }
    case "seed": {
      const [{ createRuntime }, { createLogger }, { loadSampleData }] = await Promise.all([
        import("./deps.js"),
        import("./lib/logger.js"),
        import("./services/sample-data.js"),
      ]);
      const runtime = await createRuntime(config, { logger: createLogger("warn") });
      const loaded = await loadSampleData(
        runtime.ingest,
        undefined,
        values["original-dates"] ? {} : { endAt: new Date() },
      );
      process.stderr.write(`loaded ${loaded.interaction} interactions and ${loaded.event} events\n`);
      return runtime.close();
    }
    case "import": {
      const { createRuntime } = await import("./deps.js");
      const { createLogger } = await import("./lib/logger.js");
      const { importCommand } = await import("./cli/import.js");
      const runtime = await createRuntime(config, { logger: createLogger("warn") });
      // Ctrl-C stops after the batch being written; the state file lets the next run resume.
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      try {
        const result = await importCommand(runtime.ingest, rest[0], values, process.stderr, stop.signal, {
          db: runtime.db,
          ingest: runtime.ingest,
          scorer: runtime.momentScorer,
        });
        process.exitCode = result.interrupted ? 130 : 0;
      } finally {
        await runtime.close();
      }
      return;
    }
    case "import-mbox": {
      if (!rest[0]) throw new UsageError("usage: earshot import-mbox <file> [--source S]");
      const { createRuntime } = await import("./deps.js");
      const { createLogger } = await import("./lib/logger.js");
      const { importMbox } = await import("./services/import/mbox.js");
      const runtime = await createRuntime(config, { logger: createLogger("warn") });
      try {
        const result = await importMbox(runtime, rest[0], { source: values.source ?? "email", now: new Date() });
        process.stdout.write(JSON.stringify(result) + "\n");
      } finally {
        await runtime.close();
      }
      return;
    }
    case "reanalyze":
      return (await import("./cli/reanalyze.js")).reanalyzeCommand(config, {
        from: values.from,
        to: values.to,
        channel: values.channel,
        "dry-run": values["dry-run"],
        job: values.job,
      });
    default:
      throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof ConfigError || e instanceof UsageError) {
    process.stderr.write(e.message + "\n");
    process.exit(2);
  }
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
