import type { PiiRules } from "./analysis/masking.js";
import type { Config } from "./config.js";
import type { Db } from "./db/client.js";
import type { BatchAnalyzer } from "./workers/analysis-pool.js";
import type { DashboardRunner } from "./workers/dashboard-pool.js";
import type { ApiKeyVerifier } from "./services/api-keys.js";
import type { Principal } from "./services/people/principal.js";
import type { PasswordHasher } from "./services/people/passwords.js";
import type { OidcSignIn } from "./services/people/oidc.js";
import type { IngestService } from "./services/ingest/ingest-service.js";
import type { Logger } from "./lib/logger.js";
import type { Metrics } from "./lib/metrics.js";
import type { RateLimiter } from "./services/rate-limiter.js";
import type { AuthFailures } from "./services/auth-failures.js";
import type { IdentityRules } from "./services/identity/rules.js";
import type { MomentScorer } from "./services/moments/scoring.js";
import type { FlagThresholds } from "./services/verdicts/quality.js";
import type { CalibrationState } from "./services/calibration/state.js";
import type { BackgroundJobs } from "./services/reanalysis/background.js";
import type { ReanalysisRunner } from "./services/reanalysis/runner.js";
import type { MomentEventFeed } from "./services/moments/event-feed.js";
import type { DeliveryWorker } from "./services/webhooks/delivery-worker.js";
import type { LiveStreams } from "./services/live-streams.js";
import type { HostResolver } from "./services/webhooks/ssrf.js";
import type { AckTargets } from "./services/moments/ack-targets.js";

/** Everything the app needs, created once at start-up (or per test) and handed in. */
export interface AppDeps {
  config: Config;
  db: Db;
  /** Analysis on the worker pool (or in-process with ANALYSIS_WORKERS=0). */
  analyzer: BatchAnalyzer;
  /** The console dashboard's aggregates, on a worker thread (DASHBOARD_WORKER) or in-process. */
  dashboards: DashboardRunner;
  keys: ApiKeyVerifier;
  /** argon2id for people's passwords, at the configured cost and concurrency. */
  passwords: PasswordHasher;
  /** Sign-in through the OpenID Provider; absent when OIDC_* is not configured. */
  oidc?: OidcSignIn;
  ingest: IngestService;
  identityRules: IdentityRules;
  /** The masks applied to free text the API stores outside ingest (verdict notes); absent with REDACT_PII=false. */
  maskRules?: PiiRules;
  momentScorer: MomentScorer;
  /** Minutes to acknowledge a moment, per severity (MOMENT_ACK_TARGET_MINUTES). */
  ackTargets: AckTargets;
  /** The thresholds flags are raised at now, which quality measures. */
  flagThresholds: () => FlagThresholds;
  /** The calibration in force; activating one puts it in force here at once, in other processes within a poll. */
  calibration: CalibrationState;
  /** Re-analysis of stored interactions, page by page (the CLI runs it in the foreground). */
  reanalysis: ReanalysisRunner;
  /** Jobs running in this process's background, resumed at start-up when a run left them unfinished. */
  jobs: BackgroundJobs;
  /** Live moment events for SSE clients: one poll of the log per process. */
  momentFeed: MomentEventFeed;
  /** Open live streams by key and session, ended when either is revoked or expires. */
  liveStreams: LiveStreams;
  /** Absent when deliveries are not sent from this process (tests drive it by hand). */
  deliveries?: DeliveryWorker;
  logger: Logger;
  metrics: Metrics;
  rateLimiter: RateLimiter;
  /** Failed authentications per client address and key prefix (429 past the limit). */
  authFailures: AuthFailures;
  /** Aborted when the process begins to shut down: live streams end, readiness turns false. */
  shutdown: AbortSignal;
  /** The time "now" for windows and trends; tests hand in a fixed one. */
  clock: () => Date;
  /** Resolves webhook hosts; absent: the system resolver. Tests hand in one that answers without DNS. */
  resolveHost?: HostResolver;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    /** Who the request acts for: a key, or a person signed in to the console. */
    principal: Principal;
    /** The console session's token hash, when the request came with a session cookie. */
    sessionHash?: string;
    /** What the request's JSON body is called in a 422's detail (set by `checkedJsonBody`). */
    bodyName?: string;
    /** The JSON body's bytes as sent (set by `checkedJsonBody` when asked): what a sender's signature covers. */
    rawBody?: Uint8Array;
  };
}
