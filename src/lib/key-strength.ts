/**
 * The fewest guesses, as a power of ten, that an attacker must be expected to make for a key chosen by
 * an operator (EARSHOT_ADMIN_KEY): 10^30, about 100 bits. `openssl rand -base64 32` and the keys of
 * `earshot keys create` (256 random bits) estimate at 10^43 and more; a phrase made of words, dates,
 * keyboard walks or counting runs ("fault-admin-key-0123456789abcdef": 10^19.5) falls far short.
 */
export const MIN_GUESSES_LOG10 = 30;

/**
 * Why `key` is too guessable to be an admin key, or null. The estimate is zxcvbn's (common passwords
 * and diceware words, sequences, repeats, dates, keyboard patterns, brute force for the rest), loaded
 * only when a key is to be judged, at start-up; the English word list would add ~50 MB of heap.
 * @see https://zxcvbn-ts.github.io/zxcvbn/
 */
export async function keyWeakness(key: string): Promise<string | null> {
  const [{ ZxcvbnFactory }, common] = await Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
  ]);
  const zxcvbn = new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
  const { guessesLog10, sequence } = zxcvbn.check(key);
  if (guessesLog10 >= MIN_GUESSES_LOG10) return null;
  const patterns = [...new Set(sequence.map((m) => m.pattern).filter((p) => p !== "bruteforce"))];
  return `is too easy to guess (about 10^${guessesLog10.toFixed(0)} guesses, at least 10^${MIN_GUESSES_LOG10} needed${patterns.length ? `; it contains ${patterns.join(", ")} patterns` : ""}); use a random value such as \`openssl rand -base64 32\``;
}

/**
 * The fewest guesses, as a power of ten, a person's password must be expected to need: 10^10, zxcvbn's
 * "very unguessable" band. Online guessing is throttled (src/services/auth-failures.ts) and offline
 * guessing is slowed by argon2id, so this refuses the common and patterned passwords guessed first.
 */
export const MIN_PASSWORD_GUESSES_LOG10 = 10;

let passwordChecker: Promise<(pw: string, hints: string[]) => number> | undefined;

/** Why `password` is too guessable, or null; `hints` (the username, the name) count as known to an attacker. */
export async function passwordWeakness(password: string, hints: string[]): Promise<string | null> {
  passwordChecker ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(
    ([{ ZxcvbnFactory }, common]) => {
      const zxcvbn = new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
      return (pw, words) => zxcvbn.check(pw, words).guessesLog10;
    },
  );
  const guesses = (await passwordChecker)(password, hints);
  if (guesses >= MIN_PASSWORD_GUESSES_LOG10) return null;
  return `is too easy to guess (about 10^${guesses.toFixed(0)} guesses, at least 10^${MIN_PASSWORD_GUESSES_LOG10} needed); a few unrelated words make a good one`;
}
