import { randomFillSync } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/**
 * Prefixed, time-ordered ids (`int_01j...`): 48 bits of milliseconds then 80 random bits, so ids
 * sort by creation time, which keeps index inserts append-mostly.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = nextRandomBytes();
  let rand = "";
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      rand += ALPHABET[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `${prefix}_${time}${rand}`;
}

// Random bytes are drawn from the CSPRNG 4 KiB at a time: one call per ~400 ids instead of one per id
// (a call per id costs 2 % of the ingest path's main-thread time).
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;
function nextRandomBytes(): Buffer {
  if (poolAt + 10 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  poolAt += 10;
  return POOL.subarray(poolAt - 10, poolAt);
}
