import { pino, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

/**
 * Structured JSON logs on stderr (stdout stays clean for the CLI's JSON lines). Authorization
 * headers and key material are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: "earshot" },
      redact: { paths: ["req.headers.authorization", "headers.authorization", "key", "apiKey", "*.key"], censor: "[redacted]" },
    },
    pino.destination(2),
  );
}
