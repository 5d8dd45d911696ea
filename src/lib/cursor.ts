import { invalid } from "./domain-error.js";

/** Keyset position: the last item's time and id (ids break ties, so the order is total). */
export interface Cursor {
  t: number;
  id: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

export function decodeCursor(raw: string | undefined, field = "cursor"): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Cursor;
    if (typeof c.t === "number" && Number.isFinite(c.t) && typeof c.id === "string") return c;
  } catch {
    /* falls through to the error below */
  }
  throw invalid("The cursor is not one this API returned.", [
    { field, pointer: `/${field}`, message: "is not a valid cursor" },
  ]);
}
