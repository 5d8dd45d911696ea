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

  const announce = (type, m) => {
    const li = document.createElement("li");
    li.className = "live-item";
    li.dataset.momentId = m.id;
    const link = document.createElement("a");
    link.href = `/console/customers/${encodeURIComponent(m.customerId)}#item-${m.id}`;
    const reason = (m.reasons && m.reasons[0] && m.reasons[0].text) || "complaint risk";
    link.textContent = `${m.severity} ${type === "moment.escalated" ? "(escalated)" : ""} — ${reason}`;
    li.append(link);
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
