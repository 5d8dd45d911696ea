// Live moments: listens to the console's event stream and keeps the header count and the "new
// moments" panel current without a reload. EventSource reconnects by itself and resumes after the
// last event it saw (Last-Event-ID), so nothing is missed across a dropped connection.
(() => {
  const count = document.getElementById("live-count");
  const badge = document.getElementById("live-badge");
  const panel = document.getElementById("live");
  const list = document.getElementById("live-list");
  const pageCustomer = document.body.dataset.customerId;
  if (!count || !list || !window.EventSource) return;

  const refreshCount = async () => {
    const res = await fetch("/console/live/count", { headers: { accept: "application/json" } });
    if (res.ok) count.textContent = String((await res.json()).open);
  };

  // The event names the moment; the panel asks the console for what an agent reads first: who,
  // where, in their words, and why.
  const announce = async (type, m) => {
    const li = document.createElement("li");
    li.className = `live-item severity-${m.severity}`;
    li.dataset.momentId = m.id;
    const link = document.createElement("a");
    link.href = `/console/moments/${encodeURIComponent(m.id)}`;
    let summary = null;
    try {
      const res = await fetch(`/console/live/moments/${encodeURIComponent(m.id)}`, {
        headers: { accept: "application/json" },
      });
      if (res.ok) summary = await res.json();
    } catch {
      // The event alone still says enough to link to the moment.
    }
    const reason = summary?.reason || m.reasons?.[0]?.text || "complaint risk";
    const who = summary?.customer || "A customer";
    const head = document.createElement("strong");
    head.textContent = `${m.severity}${type === "moment.escalated" ? " (escalated)" : ""}: ${who}`;
    link.append(head);
    const where = document.createElement("span");
    where.className = "small";
    where.textContent = ` · ${summary?.channel ?? "journey"} · ${reason}`;
    link.append(where);
    li.append(link);
    if (summary?.excerpt) {
      const quote = document.createElement("q");
      quote.className = "small excerpt";
      quote.textContent = summary.excerpt;
      li.append(quote);
    }
    list.prepend(li);
    while (list.children.length > 5) list.lastElementChild.remove();
    panel.hidden = false;
    badge.classList.add("bump");
    setTimeout(() => badge.classList.remove("bump"), 1500);
    if (pageCustomer && pageCustomer === m.customerId) {
      const note = document.getElementById("live-customer-note");
      if (note) note.hidden = false;
    }
  };

  const stream = new EventSource("/console/live");
  for (const type of ["moment.flagged", "moment.escalated"]) {
    stream.addEventListener(type, (e) => {
      announce(type, JSON.parse(e.data));
      refreshCount();
    });
  }
  for (const type of ["moment.acknowledged", "moment.resolved"]) stream.addEventListener(type, refreshCount);
  stream.addEventListener("open", () => document.body.setAttribute("data-live", "connected"));
})();
