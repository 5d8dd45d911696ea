// Draws the quality page's charts with Chart.js from the JSON the server embedded in the page.
// Intervals are drawn as floating bars [low, high] behind each measured point, so a precision
// measured on three verdicts looks as uncertain as it is.
(() => {
  const { draw, channelNames, severities, done } = window.EarshotCharts;
  const data = window.EarshotCharts.data("quality-data");
  const kindColours = { interaction: "#1f4fbf", moment: "#b42318" };
  const pct = (e) => (e.value === null ? "no verdicts" : `${Math.round(e.value * 100)} % of ${e.n}`);
  const interval = (e) => (e.low === null ? null : [e.low, e.high]);
  const unitScale = { min: 0, max: 1, ticks: { callback: (v) => `${Math.round(v * 100)} %` } };

  /** A measured proportion per label: the point, and its interval as a pale bar behind it. */
  const measured = (label, estimates, colour) => [
    { type: "line", label, data: estimates.map((e) => e.value), borderColor: colour, backgroundColor: colour, showLine: false, pointRadius: 5, order: 0 },
    { type: "bar", label: `${label} 95 % interval`, data: estimates.map(interval), backgroundColor: `${colour}33`, borderColor: `${colour}66`, borderWidth: 1, order: 1 },
  ];

  draw(
    "chart-precision-week",
    {
      data: {
        labels: data.buckets,
        datasets: [
          { ...measured("interactions", data.precision.byBucket.interaction, kindColours.interaction)[0], showLine: true, spanGaps: true },
          measured("interactions", data.precision.byBucket.interaction, kindColours.interaction)[1],
          { ...measured("moments", data.precision.byBucket.moment, kindColours.moment)[0], showLine: true, spanGaps: true },
          measured("moments", data.precision.byBucket.moment, kindColours.moment)[1],
        ],
      },
      options: { scales: { y: unitScale }, plugins: { legend: { position: "bottom" } } },
    },
    `Precision per ${data.bucket}: interactions ${pct(data.precision.interaction)}, moments ${pct(data.precision.moment)} overall`,
  );

  const t = data.current;
  draw(
    "chart-threshold",
    {
      data: {
        labels: [`interaction precision (≥ ${t.interaction.threshold})`, `interaction recall (≥ ${t.interaction.threshold})`, `moment precision (≥ ${t.moment.threshold})`],
        datasets: measured("measured", [t.interaction.precision, t.interaction.recall, t.moment.precision], "#14213d"),
      },
      options: { indexAxis: "y", scales: { x: unitScale }, plugins: { legend: { position: "bottom" } } },
    },
    `Interaction precision ${pct(t.interaction.precision)}, recall ${pct(t.interaction.recall)} (an upper bound: only reported misses count); moment precision ${pct(t.moment.precision)}`,
  );

  const reasons = data.precision.byReason.slice(0, 12);
  draw(
    "chart-reasons",
    {
      type: "bar",
      data: {
        labels: reasons.map((r) => `${r.code.replace(/_/g, " ")} (${r.kind})`),
        datasets: [
          { label: "confirmed", data: reasons.map((r) => r.precision.hits), backgroundColor: "#067647" },
          { label: "false alarm", data: reasons.map((r) => r.precision.n - r.precision.hits), backgroundColor: "#b42318" },
        ],
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: { autoSkip: false } } }, plugins: { legend: { position: "bottom" } } },
    },
    `Judged flags per reason: ${reasons.slice(0, 5).map((r) => `${r.code} ${r.precision.n - r.precision.hits} false alarms of ${r.precision.n}`).join(", ") || "none"}`,
  );

  const byChannel = data.precision.byChannel;
  const channels = [...new Set(byChannel.map((c) => c.channel))];
  const channelEstimate = (kind) => channels.map((ch) => (byChannel.find((c) => c.kind === kind && c.channel === ch) || { precision: { value: null, low: null, high: null, n: 0 } }).precision);
  draw(
    "chart-channel",
    {
      data: {
        labels: channels.map((c) => channelNames[c] || c || "no channel"),
        datasets: [...measured("interactions", channelEstimate("interaction"), kindColours.interaction), ...measured("moments", channelEstimate("moment"), kindColours.moment)],
      },
      options: { scales: { y: unitScale }, plugins: { legend: { position: "bottom" } } },
    },
    `Precision by channel: ${byChannel.map((c) => `${c.kind} ${channelNames[c.channel] || c.channel} ${pct(c.precision)}`).join(", ") || "no verdicts"}`,
  );

  const order = severities;
  const bySeverity = order.map((s) => (data.precision.bySeverity.find((x) => x.severity === s) || { precision: { value: null, low: null, high: null, n: 0 } }).precision);
  draw(
    "chart-severity",
    { data: { labels: order, datasets: measured("moments", bySeverity, kindColours.moment) }, options: { scales: { y: unitScale }, plugins: { legend: { position: "bottom" } } } },
    `Moment precision by severity: ${order.map((s, i) => `${s} ${pct(bySeverity[i])}`).join(", ")}`,
  );

  draw(
    "chart-missed",
    {
      type: "bar",
      data: { labels: data.buckets, datasets: [{ label: "missed complaints", data: data.missed.byBucket, backgroundColor: "#8a3b00" }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
    },
    `${data.missed.total} missed complaints reported, per ${data.bucket}`,
  );
  done();
})();
