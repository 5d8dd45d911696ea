/**
 * A live moment's lifecycle buttons (acknowledge while open, resolve while open or acknowledged),
 * each a form that posts to the console and comes back to `back`; nothing for a moment no longer live.
 */
export function MomentActions({ id, status, back }: { id: string; status: string; back: string }) {
  if (status !== "open" && status !== "acknowledged") return null;
  return (
    <div class="actions">
      {status === "open" && (
        <form method="post" action={`/console/moments/${id}/ack`}>
          <input type="hidden" name="back" value={back} />
          <button type="submit">Acknowledge</button>
        </form>
      )}
      <form method="post" action={`/console/moments/${id}/resolve`}>
        <input type="hidden" name="back" value={back} />
        <button type="submit">Resolve</button>
      </form>
    </div>
  );
}
