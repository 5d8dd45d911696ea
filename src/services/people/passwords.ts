import { Algorithm, hash, verify } from "@node-rs/argon2";
import { overloaded } from "../../lib/domain-error.js";

export interface PasswordCost {
  memoryKib: number;
  passes: number;
  /** Hashes computed at once (each holds `memoryKib` while it runs). */
  concurrency: number;
}

/** Sign-ins waiting for a hash beyond this are refused (503): each waiting one is a held request. */
const MAX_WAITING = 32;

/**
 * Password hashing with argon2id, memory-hard so that guessing offline needs memory as well as time
 * for every guess. Hashing runs on libuv's thread pool (the binding's async task), never on the event
 * loop; at most `concurrency` run at once, so a burst of sign-ins costs bounded memory.
 * @see https://www.rfc-editor.org/rfc/rfc9106#section-4
 */
export class PasswordHasher {
  #running = 0;
  #waiting: Array<() => void> = [];
  /** A hash of nothing anyone types, verified when a username matches no one, so both take as long. */
  #decoy: Promise<string> | undefined;

  constructor(readonly cost: PasswordCost) {}

  get #options() {
    return {
      algorithm: Algorithm.Argon2id,
      memoryCost: this.cost.memoryKib,
      timeCost: this.cost.passes,
      parallelism: 1,
    };
  }

  hash(password: string): Promise<string> {
    return this.#limited(() => hash(password, this.#options));
  }

  /** Whether `password` matches `stored`; a malformed stored hash matches nothing. */
  verify(stored: string, password: string): Promise<boolean> {
    return this.#limited(() => verify(stored, password).catch(() => false));
  }

  /** Spends a verification's time on no one (an unknown username). */
  async verifyDecoy(password: string): Promise<void> {
    this.#decoy ??= this.hash(`decoy ${Math.random()}`);
    await this.verify(await this.#decoy, password);
  }

  /** Whether a stored hash was made with other parameters than today's, and so is re-hashed at sign-in. */
  isOutdated(stored: string): boolean {
    const o = this.#options;
    return !stored.startsWith(`$argon2id$v=19$m=${o.memoryCost},t=${o.timeCost},p=${o.parallelism}$`);
  }

  async #limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.cost.concurrency) {
      if (this.#waiting.length >= MAX_WAITING) throw overloaded("Too many sign-ins at once; retry in a moment.");
      // The slot is handed over by the hash that finishes, so none can be taken in between.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else this.#running++;
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
