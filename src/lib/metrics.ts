import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { LiveLatency } from "./live-latency.js";

/** What the runtime can report about its queues when Prometheus scrapes. */
export interface MetricProbes {
  writerQueued: () => number;
  momentQueued: () => number;
  analysisInFlight: () => number;
  outboxPending: () => Promise<number>;
  scoringBacklog: () => Promise<number>;
  searchIndexPending: () => Promise<number>;
}

/**
 * The service's Prometheus metrics, in a registry of its own per runtime (tests build many runtimes in
 * one process). Route labels are Hono's route patterns, never raw paths, so ids cannot explode the
 * label space.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: "earshot_http_requests_total",
    help: "HTTP requests by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  /** The latest live write requests' latency (records in), which background re-analysis backs off on. */
  readonly liveWrites = new LiveLatency();
  readonly httpDuration = new Histogram({
    name: "earshot_http_request_duration_seconds",
    help: "HTTP request latency by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly ingested = new Counter({
    name: "earshot_ingested_total",
    help: "Records accepted or refused by ingest: created, duplicate (idempotent retry) or invalid",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  readonly analysisDuration = new Histogram({
    name: "earshot_analysis_batch_duration_seconds",
    help: "Time to analyse one ingest request's interactions (worker pool or in-process)",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly analysed = new Counter({
    name: "earshot_analysed_total",
    help: "Interactions analysed",
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: "earshot_webhook_deliveries_total",
    help: "Webhook delivery attempts by outcome: delivered, failed (will retry), gave_up",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly dbErrors = new Counter({
    name: "earshot_db_errors_total",
    help: "Database errors: busy_exhausted (answered 503) or other",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly dbBusyRetries = new Counter({
    name: "earshot_db_busy_retries_total",
    help: "Writes retried because another process held the database lock",
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: "earshot_rate_limited_total",
    help: "Requests answered 429",
    labelNames: ["bucket"] as const,
    registers: [this.registry],
  });
  readonly sseClients = new Gauge({
    name: "earshot_sse_clients",
    help: "Open live-stream connections",
    registers: [this.registry],
  });
  readonly walCheckpoints = new Counter({
    name: "earshot_wal_checkpoints_total",
    help: "Background WAL checkpoint passes: complete (the whole WAL copied back), partial (a reader or the writer held frames back; retried) or failed",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly momentScoringDeferred = new Counter({
    name: "earshot_moment_scoring_deferred_total",
    help: "Stored records whose moment scoring failed inside their ingest transaction and went to the scoring backlog (retried); it should stay at zero",
    registers: [this.registry],
  });
  readonly searchIndexed = new Counter({
    name: "earshot_search_indexed_total",
    help: "Interactions this process added to the full-text index (in bulk, behind ingest)",
    registers: [this.registry],
  });
  readonly walFrames = new Gauge({
    name: "earshot_wal_frames",
    help: "Frames in the WAL at the last background checkpoint (one page each); it should stay small",
    registers: [this.registry],
  });

  constructor(probes: MetricProbes) {
    collectDefaultMetrics({ register: this.registry, prefix: "earshot_" });
    new Gauge({
      name: "earshot_ingest_queue_records",
      help: "Records waiting for the group-commit writer",
      registers: [this.registry],
      collect() {
        this.set(probes.writerQueued());
      },
    });
    new Gauge({
      name: "earshot_moment_queue_records",
      help: "Backlog records waiting for this process to score them (ingest scores its records in their own transaction)",
      registers: [this.registry],
      collect() {
        this.set(probes.momentQueued());
      },
    });
    new Gauge({
      name: "earshot_analysis_in_flight",
      help: "Analysis chunks handed to worker threads and not yet back",
      registers: [this.registry],
      collect() {
        this.set(probes.analysisInFlight());
      },
    });
    this.#sharedTableGauge(
      "earshot_scoring_backlog_records",
      "Committed records not yet scored for moments (shared by every process; it should stay near zero)",
      probes.scoringBacklog,
    );
    this.#sharedTableGauge(
      "earshot_search_index_pending",
      "Stored interactions not yet in the full-text index (shared by every process; searches index them first)",
      probes.searchIndexPending,
    );
    this.#sharedTableGauge(
      "earshot_webhook_outbox_pending",
      "Webhook deliveries waiting to be sent (shared by every process)",
      probes.outboxPending,
    );
  }

  /** A gauge read from a table every process shares: across a cluster the figure is one, not a sum. */
  #sharedTableGauge(name: string, help: string, read: () => Promise<number>) {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      aggregator: "max",
      async collect() {
        this.set(await read());
      },
    });
  }
}
