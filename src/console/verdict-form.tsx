import type { VerdictView } from "../contracts/verdicts.js";

export const verdictLabel: Record<string, string> = {
  confirmed: "Right",
  false_alarm: "False alarm",
  missed: "Missed",
};

/**
 * An agent's verdict on one flag, in one click: a button per verdict that fits (right or false alarm
 * on a flag, missed on an unflagged interaction), with an optional reason picked from the flag's own.
 * Plain buttons and a select in a form, so the keyboard reaches and works every part without a script.
 */
export function VerdictForm(p: {
  subject: "moments" | "interactions";
  id: string;
  flagged: boolean;
  reasons: Array<{ code: string; text: string }>;
  /** Where the post sends the agent back to. */
  back: string;
  mine?: VerdictView;
}) {
  const choices = p.flagged ? (["confirmed", "false_alarm"] as const) : (["missed"] as const);
  const selectId = `verdict-reason-${p.id}`;
  return (
    <form
      method="post"
      action={`/console/${p.subject}/${p.id}/verdict`}
      class="verdict"
      aria-label={p.flagged ? "Was this flag right?" : "Should this have been flagged?"}
    >
      <input type="hidden" name="back" value={p.back} />
      {p.reasons.length > 0 && (
        <span class="verdict-reason">
          <label for={selectId}>Reason</label>{" "}
          <select id={selectId} name="reason">
            <option value="">(optional)</option>
            {p.reasons.map((r) => (
              <option value={r.code} selected={p.mine?.reason === r.code}>
                {r.text}
              </option>
            ))}
          </select>
        </span>
      )}
      {choices.map((v) => (
        <button
          type="submit"
          name="verdict"
          value={v}
          class={`verdict-${v}`}
          aria-pressed={p.mine?.verdict === v ? "true" : "false"}
        >
          {verdictLabel[v]}
        </button>
      ))}
      {p.mine && (
        <span class="small muted verdict-mine" role="status">
          Your verdict: {verdictLabel[p.mine.verdict]}
          {p.mine.reason ? ` (${p.reasons.find((r) => r.code === p.mine?.reason)?.text ?? p.mine.reason})` : ""}
        </span>
      )}
    </form>
  );
}
