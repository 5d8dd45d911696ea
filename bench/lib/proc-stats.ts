// The CPU and memory of a bench's processes (the server and its cluster workers), read from Linux /proc.
import { readdirSync, readFileSync } from "node:fs";

/** The pids of a process and all its descendants (cluster workers), from Linux /proc; [] once it ended. */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const c of children ? children.split(" ") : []) out.push(...processTree(Number(c)));
    }
  } catch {
    return [];
  }
  return out;
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function rssTree(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      /* the process ended */
    }
  }
  return total;
}

/** Clock ticks (user + system) in a /proc stat line: the 12th and 13th fields after the command name. */
function statTicks(path: string): number {
  const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * CPU time of one process's main thread (the event loop: HTTP, validation, SQLite, moment scoring), in
 * ms; the rest of its CPU is analysis workers, the checkpoint thread and V8's GC and compiler threads.
 * Linux /proc: the main thread's task id is the pid.
 */
export function mainThreadCpuMs(pid: number): number {
  try {
    return statTicks(`/proc/${pid}/task/${pid}/stat`) * 10;
  } catch {
    return 0; // the process ended
  }
}

/**
 * The CPU time of a process and its descendants once they have gone quiet (under 5% of a core for half
 * a second; at most 30 s): what a bench round cost includes the work the server deferred past its
 * answers, or a rate that leaves work behind passes for one it can sustain.
 */
export async function cpuUntilQuiet(pid: number): Promise<number> {
  let last = cpuTreeMs(pid);
  for (let waited = 0; waited < 30_000; waited += 500) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuTreeMs(pid);
    if (now - last < 25) return now;
    last = now;
  }
  return last;
}

/** CPU time (user + system, every thread) of a process and all its descendants, in ms (Linux /proc). */
export function cpuTreeMs(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      ticks += statTicks(`/proc/${p}/stat`);
    } catch {
      /* the process ended */
    }
  }
  // Linux reports clock ticks of 1/100 s (USER_HZ) to user space.
  return ticks * 10;
}

/** CPU time of this process (every thread), in ms. */
export const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
