import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { sqlList } from "../db/sql-list.js";
import { PACKED } from "../analysis/stored-form.js";

export interface LanguageCountsQuery {
  from: Date;
  to: Date;
  channels?: string[];
}

/** Contacts in languages Earshot does not analyse, in a window: how many, and how many per language. */
export interface NotAnalysedCounts {
  total: number;
  languages: Array<{ code: string; name: string; count: number }>;
}

/** At most this many languages are listed; the total counts them all. */
const MAX_LANGUAGES = 20;

// The language sits at a fixed position of a packed analysis (an array) and under `language` in one
// stored before that form. Only rows with no sentiment score are read: an analysed text always has one,
// so the JSON of the others is never parsed.
const code = sql.raw(
  `CASE WHEN json_type(i.analysis) = 'array' THEN i.analysis ->> '$[${PACKED.language}][0]' ELSE i.analysis ->> '$.language.code' END`,
);
const analysed = sql.raw(
  `CASE WHEN json_type(i.analysis) = 'array' THEN i.analysis ->> '$[${PACKED.language}][2]' ELSE i.analysis ->> '$.language.analysed' END`,
);

const names = new Intl.DisplayNames(["en"], { type: "language" });
const nameOf = (c: string) => {
  try {
    return names.of(c) ?? c;
  } catch {
    return c;
  }
};

/**
 * Interactions in the window whose language Earshot does not analyse, by language, most first. The
 * window is on the indexed `occurred_at`, and the answer holds at most MAX_LANGUAGES rows.
 */
export async function notAnalysedCounts(db: Pick<Db, "all">, q: LanguageCountsQuery): Promise<NotAnalysedCounts> {
  const channelSql = q.channels?.length ? sql` AND i.channel IN ${sqlList(q.channels)}` : sql``;
  const rows = await db.all<{ code: string | null; n: number }>(
    sql`SELECT ${code} AS code, count(*) AS n FROM interactions i
      WHERE i.occurred_at >= ${q.from.getTime()} AND i.occurred_at < ${q.to.getTime()}${channelSql}
        AND i.sentiment_score IS NULL AND i.analysis IS NOT NULL AND ${analysed} = 0
      GROUP BY code ORDER BY n DESC, code`,
  );
  let total = 0;
  for (const r of rows) total += Number(r.n);
  const languages = rows
    .slice(0, MAX_LANGUAGES)
    .map((r) => ({ code: r.code ?? "und", name: nameOf(r.code ?? "und"), count: Number(r.n) }));
  return { total, languages };
}

/** "fr 9, de 3": the console's and the API's short form. */
export const languageList = (c: NotAnalysedCounts) => c.languages.map((l) => `${l.code} ${l.count}`).join(", ");
