/** One step of a journey: what happened, as a short label ("chat", "transaction failed"). */
export interface PathStep {
  label: string;
  at: number;
}

export interface CommonPath {
  steps: string[];
  count: number;
}

/**
 * The most common sequences of steps that end in a flagged moment. Each journey is the steps before
 * (and including) the moment's trigger, oldest first; repeats in a row collapse ("chat, chat" → "chat"),
 * because three chat messages in a row are one contact, not a path. Only the last `maxSteps` count.
 */
export function commonPaths(journeys: PathStep[][], maxSteps = 4, top = 8): CommonPath[] {
  const counts = new Map<string, CommonPath>();
  for (const journey of journeys) {
    const ordered = [...journey].sort((a, b) => a.at - b.at);
    const steps: string[] = [];
    for (const s of ordered) if (steps[steps.length - 1] !== s.label) steps.push(s.label);
    const path = steps.slice(-maxSteps);
    if (path.length === 0) continue;
    const key = path.join("\u0000");
    const entry = counts.get(key) ?? { steps: path, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.steps.join().localeCompare(b.steps.join()))
    .slice(0, top);
}

/** Statuses that make an event a different step: a failed login is not a login. */
const FAILURE_STATUS = /fail|declin|reject|denied|error|timeout|timed_out|cancel|revers|bounce/i;

/** How a journey event reads as a path step: its type, plus its status when that status is a failure. */
export function eventStepLabel(type: string, status: string | null): string {
  const what = type.replace(/_/g, " ");
  return status && FAILURE_STATUS.test(status) ? `${what} ${status.replace(/_/g, " ")}` : what;
}
