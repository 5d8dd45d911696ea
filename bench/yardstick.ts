// The units the benches report in: latency percentiles, and VADER-js's time per message on this
// machine, which makes a bench's times comparable across machines and days.
import vader from "vader-sentiment";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summarise(latencies: number[]) {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] };
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/**
 * Short customer messages of many kinds (praise, complaints, questions, negation, emphasis, mixed),
 * written for this yardstick and never changed: a change would change the unit every bench reports in.
 */
const VADER_CORPUS = [
  "Thanks so much, the new card arrived two days early!",
  "I have been on hold for forty minutes and nobody has picked up.",
  "Can you tell me when my refund will show up on my statement?",
  "The app keeps crashing every time I try to open my statements. Really annoying.",
  "Not bad, but the checkout page could be a lot clearer.",
  "Absolutely furious. You charged me twice for the same order!!!",
  "Your agent Maria was patient and very helpful, please pass on my thanks.",
  "I want to close my account; this is the third time the delivery has been late.",
  "Is there a fee for sending money abroad?",
  "The parcel was damaged and half the items were missing.",
  "Great service as always :)",
  "I'm not unhappy with the product, I just expected it sooner.",
  "Why was my payment declined when I have plenty of money in the account?",
  "The update fixed the login problem, works perfectly now.",
  "Honestly the worst support experience I have ever had.",
  "Could someone call me back tomorrow morning about the broken heater?",
  "I love the product but the delivery fee is way too high.",
  "Still waiting for an answer to my email from last week...",
  "Password reset link doesn't work, it says the token has expired.",
  "Quick question: do you ship to Canada?",
  "Everything was fine until the technician left without finishing the job.",
  "Super happy with the upgrade, thank you for sorting it out so quickly!",
  "The invoice shows the wrong address, please correct it.",
  "I was told I would get a discount and it never appeared. Very disappointing.",
];

/**
 * VADER-js's µs per message over VADER_CORPUS on this machine now: the unit that makes a bench's
 * times comparable across machines and days. Three passes warm it up, then the median of nine
 * (about a second in all). Each pass scores fresh copies of the texts, because V8 caches some string
 * operations by a string's identity.
 */
export function vaderUsPerMessage(): number {
  const copies = 20;
  const passes: number[] = [];
  let sink = 0;
  for (let pass = 0; pass < 12; pass++) {
    const texts = JSON.parse(JSON.stringify(Array.from({ length: copies }, () => VADER_CORPUS).flat())) as string[];
    const t0 = performance.now();
    for (const t of texts) sink += vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
    if (pass >= 3) passes.push(((performance.now() - t0) * 1000) / texts.length);
  }
  if (Number.isNaN(sink)) throw new Error("VADER returned NaN");
  return passes.sort((a, b) => a - b)[Math.floor(passes.length / 2)];
}

/**
 * A time given in µs, and in VADER units (multiples of VADER-js's time per message): "342 µs = 1.8
 * VADER"; latencies of 10 ms and more in ms ("10.2 ms = 53 VADER").
 */
export function inVader(us: number, vaderUs: number): string {
  const units = us / vaderUs;
  const time = us >= 10_000 ? `${(us / 1000).toFixed(1)} ms` : `${us >= 100 ? Math.round(us) : us.toFixed(1)} µs`;
  return `${time} = ${units.toFixed(units < 1 ? 2 : units < 100 ? 1 : 0)} VADER`;
}

/**
 * Measures VADER-js at the start of a run and prints it; the function returned measures it again at
 * the end and prints the run's headline figures (label, µs) in VADER units of the mean of the two,
 * since the machine's speed drifts during a run.
 */
export function vaderYardstick(): (figures: Array<[label: string, us: number]>) => void {
  const start = vaderUsPerMessage();
  console.log(`VADER-js at the start of the run: ${start.toFixed(1)} µs per message`);
  return (figures) => {
    const end = vaderUsPerMessage();
    const unit = (start + end) / 2;
    console.log(
      `VADER-js at the end of the run: ${end.toFixed(1)} µs per message; in VADER units of the mean (${unit.toFixed(1)} µs):`,
    );
    for (const [label, us] of figures) console.log(`  ${label}: ${inVader(us, unit)}`);
  };
}
