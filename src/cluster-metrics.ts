import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type Registry } from "prom-client";

const REQUEST = "earshot:metrics-request";
const REPLY = "earshot:metrics-reply";

/** In a cluster worker: report this registry when the primary gathers everyone's metrics. */
export function joinClusterMetrics(registry: Registry) {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's listener that answers the primary's requests.
  new AggregatorRegistry();
}

/**
 * In a cluster worker: every process's metrics, summed by the primary (Prometheus scrapes whichever
 * process the connection lands on). Outside a cluster: null, and the caller answers with its own.
 */
export function clusterMetricsText(timeoutMs = 5000): Promise<string | null> {
  if (!cluster.isWorker || !process.send) return Promise.resolve(null);
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error("the primary did not answer with cluster metrics"));
    }, timeoutMs);
    const onMessage = (msg: { type?: string; id?: string; text?: string; error?: string }) => {
      if (msg?.type !== REPLY || msg.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (msg.error) reject(new Error(msg.error));
      else resolve(msg.text ?? "");
    };
    process.on("message", onMessage);
    process.send!({ type: REQUEST, id });
  });
}

/** In the primary: answer workers' requests with the cluster-wide metrics. */
export function serveClusterMetrics() {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", async (worker, msg: { type?: string; id?: string }) => {
    if (msg?.type !== REQUEST) return;
    try {
      worker.send({ type: REPLY, id: msg.id, text: await aggregator.clusterMetrics() });
    } catch (e) {
      worker.send({ type: REPLY, id: msg.id, error: (e as Error).message });
    }
  });
}
