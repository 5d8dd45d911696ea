import { z } from "zod";
import { formatIssues } from "./lib/field-errors.js";

// Every setting Earshot reads from the environment, parsed once at start-up.
// A bad value stops start-up with a message naming the variable.
const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|libsql:|https?:|wss?:)/, "must start with file:, libsql:, http(s): or ws(s):")
    .default("file:./data/earshot.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /**
   * A replica of the libSQL server at DATABASE_URL (sqld started with --primary-grpc-url): read-only
   * requests read from it (src/db/read-routing.ts). Same auth token.
   */
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^(libsql:|https?:|wss?:)/, "must start with libsql:, http(s): or ws(s):")
    .optional(),
  /** How long a write keeps retrying while another process holds the database's write lock (then 503). */
  DATABASE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /**
   * How often a thread of its own checkpoints the WAL of a local database file, in ms; 0 leaves it to
   * SQLite (inside the writer's COMMIT, on the event loop).
   */
  DATABASE_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(100),
  /**
   * How often stored interactions are added to the full-text index in bulk, in ms. A search indexes
   * what is waiting first when that is little, so this bounds how far search trails heavy ingest.
   */
  SEARCH_INDEX_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** A key with this value and every scope; at least 24 characters and hard to guess (src/lib/key-strength.ts), or start-up stops. */
  EARSHOT_ADMIN_KEY: z.string().min(24, "must be at least 24 characters").optional(),
  /**
   * How long an idle keep-alive connection stays open, in ms (Node's default, 5 s). Behind a load
   * balancer it must be longer than the balancer's own idle timeout, or the balancer may send a
   * request on a connection this server is closing and answer its client 502.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(5000),
  /**
   * How long a client may take to send a request's headers, in ms (Node answers 408 and closes). It is
   * raised to HTTP_KEEP_ALIVE_TIMEOUT_MS + 1 s when shorter, so a kept-alive connection's next request
   * can still arrive.
   */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(10_000),
  /**
   * How long a client may take to send a whole request, headers and body, in ms (Node answers 408 and
   * closes), so a slow upload cannot hold a connection for Node's default five minutes. Responses, such
   * as live streams, are not limited by it. At least the headers timeout.
   */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Largest request body accepted, in bytes (413 above it). */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Largest number of items in one batch request. */
  BATCH_MAX_ITEMS: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** Store the redacted text instead of the original (PII the service does not need). */
  REDACT_PII: booleanFlag.default(true),
  /** Region for phone numbers written without a country code (ISO 3166 alpha-2). */
  PHONE_DEFAULT_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166 country code such as US or GB")
    .default("US"),
  /** Server processes sharing the port and the database (`npm start` only). */
  EARSHOT_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Worker threads that analyse ingested text; 0 analyses on the main thread. Default: each process's share of the cores, less one for its main thread (at least 1). */
  ANALYSIS_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  /**
   * Compute the console dashboard on a worker thread of its own (local database files only), so its
   * aggregates never hold the event loop.
   */
  DASHBOARD_WORKER: booleanFlag.default(true),
  /** Active webhooks a deployment may have (409 on registering one more); each gets a copy of every event it subscribes to. */
  WEBHOOKS_MAX: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Let webhooks target private, loopback and link-local addresses (off: SSRF guard). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanFlag.default(false),
  /** How long a console sign-in lasts, in hours. */
  CONSOLE_SESSION_HOURS: z.coerce
    .number()
    .min(0.05)
    .max(24 * 30)
    .default(12),
  /** Live streams (`/v1/moments/stream`, `/console/live`) one API key and its console sessions may hold open at once (429 beyond). */
  STREAMS_PER_KEY: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Requests per second each API key (or console session's key) may make; 0 turns limits off. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(500),
  /** Requests a key may make at once before the rate applies. */
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /** Shared secrets connectors verify deliveries with, one per sender that signs (see docs/connectors.md). */
  CONNECTOR_CHATWOOT_SECRET: z.string().min(1).optional(),
  CONNECTOR_ZENDESK_SECRET: z.string().min(1).optional(),
  CONNECTOR_INTERCOM_SECRET: z.string().min(1).optional(),
  CONNECTOR_X_SECRET: z.string().min(1).optional(),
  /** Senders whose unsigned deliveries are accepted (comma-separated, e.g. "x,reddit"); every other delivery must be signed. */
  CONNECTOR_UNSIGNED: z
    .string()
    .default("")
    .transform(
      (v) =>
        new Set(
          v
            .split(",")
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        ),
    ),
  /** How far a signed delivery's timestamp may be from now, in seconds, before it is refused as stale (replays). */
  CONNECTOR_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400 * 7)
    .default(300),
  /**
   * Lines a raw email (`POST /v1/inbound/email`) may hold; more are refused with a 422 before parsing.
   * The MIME parser's time grows with lines (~50 µs each on a loaded two-core machine): a 1 MB message
   * of normal 76-character lines holds ~14,000, one of 4-byte lines 250,000.
   */
  EMAIL_MAX_LINES: z.coerce.number().int().min(1000).max(10_000_000).default(25_000),
  /**
   * Minutes after its last turn an open conversation is closed and finally analysed (docs/connectors.md);
   * 0 leaves conversations open until the sender closes them.
   */
  CONVERSATION_QUIET_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 90)
    .default(60 * 24),
  /** How often the quiet-period sweep runs, in ms, and how many conversations it closes a run. */
  CONVERSATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  CONVERSATION_SWEEP_BATCH: z.coerce.number().int().min(1).max(10_000).default(100),
  /**
   * Failed authentications (API keys, console sign-in) allowed per client address and per key prefix
   * in AUTH_FAILURE_WINDOW_SECONDS; past it, 429 until the window ends. 0 turns the throttle off.
   */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(20),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /**
   * argon2id's cost for people's passwords: memory in KiB and passes. 64 MiB and 3 passes (RFC 9106's
   * second recommended setting, one lane) take about 0.2 s a hash on a 2-core server (docs/people-and-sign-in.md).
   * Stored hashes keep their own parameters and are re-hashed with these at the next sign-in.
   */
  PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(8192).max(1_048_576).default(65_536),
  PASSWORD_HASH_PASSES: z.coerce.number().int().min(1).max(20).default(3),
  /** Password hashes computed at once; more wait their turn, and past 32 waiting a sign-in is answered 503. */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** The OpenID Provider's issuer URL; sign-in through it is offered when this and OIDC_CLIENT_ID are set. */
  OIDC_ISSUER_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Absent for a public client (PKCE alone). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider sends people back: this server's `/console/oidc/callback`, as the provider has it registered. */
  OIDC_REDIRECT_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  OIDC_SCOPES: z.string().default("openid profile email"),
  /** The ID token or userinfo claim whose values decide a person's role (a string or a list of strings). */
  OIDC_ROLE_CLAIM: z.string().min(1).default("groups"),
  /**
   * Claim values and the role each gives, e.g. `earshot-admins=admin,support-leads=supervisor,support=agent`;
   * a person matching several gets the highest. Whoever matches none gets OIDC_DEFAULT_ROLE, or is refused.
   */
  OIDC_ROLE_MAP: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const map = new Map<string, "agent" | "supervisor" | "admin">();
      for (const pair of v
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean)) {
        const at = pair.lastIndexOf("=");
        const role = pair.slice(at + 1).trim();
        if (at <= 0 || (role !== "agent" && role !== "supervisor" && role !== "admin")) {
          ctx.addIssue({ code: "custom", message: `"${pair}" must be value=agent, value=supervisor or value=admin` });
          return z.NEVER;
        }
        map.set(pair.slice(0, at).trim(), role);
      }
      return map;
    }),
  OIDC_DEFAULT_ROLE: z.enum(["agent", "supervisor", "admin"], "must be agent, supervisor or admin").optional(),
  /**
   * Time to acknowledge a moment, per severity, in minutes ("critical=15,high=60,…"): a moment still
   * open past its target, or acknowledged later than it, is a breach. Severities left out keep their default.
   */
  MOMENT_ACK_TARGET_MINUTES: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const out: Record<string, number> = { critical: 15, high: 60, medium: 240, low: 1440 };
      for (const part of v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)) {
        const m = /^(critical|high|medium|low)=(\d{1,6})$/.exec(part);
        if (!m || Number(m[2]) < 1) {
          ctx.addIssue({ code: "custom", message: `"${part}" is not severity=minutes (e.g. critical=15)` });
          return z.NEVER;
        }
        out[m[1]] = Number(m[2]);
      }
      return out as Record<"critical" | "high" | "medium" | "low", number>;
    }),
  /** Hours without a new signal after which a live moment is closed by the sweep (recorded as `quiet`); 0 never closes. */
  MOMENT_QUIET_CLOSE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(72),
  /** How often the sweep looks for quiet moments, in ms (each pass closes at most 500). */
  MOMENT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** The console's address as agents reach it, for the links in Slack and Teams alerts. */
  CONSOLE_PUBLIC_URL: z.url("must be a URL such as https://earshot.example.com").optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

// OpenID sign-in is configured whole or not at all: a half-set one would fail only when someone signs in.
const checkedSchema = configSchema.superRefine((c, ctx) => {
  const oidc = ["OIDC_ISSUER_URL", "OIDC_CLIENT_ID", "OIDC_REDIRECT_URL"] as const;
  if (!oidc.some((k) => c[k])) return;
  for (const k of oidc)
    if (!c[k])
      ctx.addIssue({ code: "custom", path: [k], message: `is required with ${oidc.filter((o) => c[o]).join(", ")}` });
});

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = checkedSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${formatIssues(parsed.error)}`);
  }
  return parsed.data;
}
