import { pino, type Logger as PinoLogger } from "pino";
import { requestContext } from "./request-context.js";

export type Logger = PinoLogger;

/**
 * Paths that may hold secrets or personal data. Earshot's own log calls never pass such values; this
 * is the net under them (an error object that carries a request, a future log call).
 */
const REDACT = [
  "key",
  "apiKey",
  "*.key",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "authorization",
  "headers.authorization",
  "req.headers.authorization",
  "headers.cookie",
  "req.headers.cookie",
  "text",
  "*.text",
  "body",
  "*.body",
  "subject",
  "*.subject",
  "turns",
  "*.turns",
  "email",
  "*.email",
  "phone",
  "*.phone",
  "handle",
  "*.handle",
  "name",
  "customer",
  "*.customer",
];

/**
 * Structured JSON logs on stderr (stdout stays clean for the CLI's JSON lines). Every line written
 * while a request is being served carries its request id.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { service: "earshot", pid: process.pid },
      redact: { paths: REDACT, censor: "[redacted]" },
      mixin: () => {
        const ctx = requestContext.getStore();
        return ctx ? { requestId: ctx.requestId } : {};
      },
    },
    destination,
  );
}
