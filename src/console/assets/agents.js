// Draws the agents page's charts with Chart.js from the JSON the server embedded in the page. One row
// per agent in every chart, in the same order, so a person is found at the same height in each.
(() => {
  const data = JSON.parse(document.getElementById("agents-data").textContent);
  const Chart = window.Chart;
  if (data.items.length === 0) return;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#1d2330";

  const items = data.items;
  const labels = items.map((i) => (i.agent.kind === "transcript" ? `${i.agent.name} (transcript)` : i.agent.name));
  const horizontal = (stacked, extra = {}) => ({
    indexAxis: "y",
    scales: { x: { stacked, beginAtZero: true, ...extra }, y: { stacked, ticks: { autoSkip: false } } },
    plugins: { legend: { position: "bottom" } },
  });

  const draw = (id, config, summary) => {
    const figure = document.getElementById(id);
    const canvas = figure.querySelector("canvas");
    canvas.setAttribute("aria-label", summary);
    // Tall enough for every agent's row.
    figure.querySelector(".canvas-box").style.height = `${Math.max(180, 60 + items.length * 32)}px`;
    // eslint-disable-next-line no-new
    new Chart(canvas, config);
    figure.dataset.drawn = "true";
  };
  const list = (f) => items.map((i, k) => `${labels[k]} ${f(i)}`).join("; ");

  draw(
    "chart-handled",
    {
      type: "bar",
      data: {
        labels,
        datasets: [
          { label: "acknowledged", data: items.map((i) => i.handled.acknowledged), backgroundColor: "#1f4fbf" },
          { label: "resolved", data: items.map((i) => i.handled.resolved), backgroundColor: "#067647" },
          { label: "closed while theirs", data: items.map((i) => i.handled.closed), backgroundColor: "#667085" },
        ],
      },
      options: horizontal(true, { ticks: { precision: 0 } }),
    },
    `Moments handled: ${list((i) => `${i.handled.acknowledged} acknowledged, ${i.handled.resolved} resolved, ${i.handled.closed} closed`)}`,
  );

  const minutes = (v) => (v === null ? "none" : `${v} min`);
  draw(
    "chart-ack",
    {
      type: "bar",
      data: {
        labels,
        datasets: [
          { label: "median", data: items.map((i) => i.timeToAcknowledge.medianMinutes), backgroundColor: "#1f4fbf" },
          { label: "90th percentile", data: items.map((i) => i.timeToAcknowledge.p90Minutes), backgroundColor: "#1f4fbf66" },
        ],
      },
      options: horizontal(false, { title: { display: true, text: "minutes" } }),
    },
    `Time to acknowledge: ${list((i) => `median ${minutes(i.timeToAcknowledge.medianMinutes)}, p90 ${minutes(i.timeToAcknowledge.p90Minutes)}`)}`,
  );

  // Breaches by severity, stacked: the severity's target is in its label, never colour alone.
  const severities = ["critical", "high", "medium", "low"];
  const targetOf = (s) => items[0].timeToAcknowledge.bySeverity.find((x) => x.severity === s).targetMinutes;
  const sev = (i, s) => i.timeToAcknowledge.bySeverity.find((x) => x.severity === s);
  draw(
    "chart-breaches",
    {
      type: "bar",
      data: {
        labels,
        datasets: [
          { label: "within target", data: items.map((i) => i.timeToAcknowledge.responded - i.timeToAcknowledge.breached), backgroundColor: "#067647" },
          ...severities.map((s, k) => ({
            label: `past target, ${s} (> ${targetOf(s)} min)`,
            data: items.map((i) => sev(i, s).breached),
            backgroundColor: ["#7a1010", "#b42318", "#dc6803", "#f79009"][k],
          })),
        ],
      },
      options: horizontal(true, { ticks: { precision: 0 } }),
    },
    `First responses: ${list((i) => `${i.timeToAcknowledge.responded - i.timeToAcknowledge.breached} within target, ${i.timeToAcknowledge.breached} past it`)}`,
  );

  // Start → end of the customer's trajectory: a bar from the mean start to the mean end, with the end
  // marked, so the direction reads from the marker's side and not only from the colour.
  const withSentiment = items.map((i) => i.sentiment);
  draw(
    "chart-sentiment",
    {
      data: {
        labels,
        datasets: [
          {
            type: "bar",
            label: "start → end",
            data: withSentiment.map((s) => (s ? [s.start, s.end] : null)),
            backgroundColor: withSentiment.map((s) => (s && s.end >= s.start ? "#06764766" : "#b4231866")),
            order: 1,
          },
          { type: "line", label: "start", data: withSentiment.map((s) => (s ? s.start : null)), showLine: false, pointStyle: "circle", pointRadius: 5, borderColor: "#667085", backgroundColor: "#ffffff", order: 0 },
          { type: "line", label: "end", data: withSentiment.map((s) => (s ? s.end : null)), showLine: false, pointStyle: "triangle", pointRadius: 7, borderColor: "#14213d", backgroundColor: "#14213d", order: 0 },
        ],
      },
      options: { indexAxis: "y", scales: { x: { min: -1, max: 1 }, y: { ticks: { autoSkip: false } } }, plugins: { legend: { position: "bottom" } } },
    },
    `Customer sentiment: ${list((i) => (i.sentiment ? `from ${i.sentiment.start} to ${i.sentiment.end} over ${i.sentiment.conversations} conversations` : "no chats or calls"))}`,
  );
  document.body.dataset.chartsDrawn = "true";
})();
