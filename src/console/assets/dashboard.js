// Draws the dashboard's charts (charts.js sets Chart.js up) from the JSON the server embedded in the
// page. A bar or point opens the search page on the interactions it counts (a moments bar: the moments
// page on its moments), from the links the server made (the same ones its table lists). Each figure
// gets data-drawn="true" once its chart exists.
(() => {
  const { draw, channelColours, channelNames, severityColours, done } = window.EarshotCharts;
  const data = window.EarshotCharts.data("dashboard-data");
  const links = data.links;
  // Red through grey to green by score in [-1, 1].
  const toneColour = (s) => (s === null ? "#98a2b3" : s <= -0.1 ? "#b42318" : s >= 0.1 ? "#067647" : "#667085");

  draw(
    "chart-sentiment",
    {
      type: "line",
      data: {
        labels: data.buckets,
        datasets: data.sentimentByChannel.map((s) => ({
          label: channelNames[s.channel] || s.channel,
          data: s.average,
          borderColor: channelColours[s.channel] || "#333",
          backgroundColor: channelColours[s.channel] || "#333",
          spanGaps: true,
          tension: 0.25,
          pointRadius: 2,
        })),
      },
      options: { scales: { y: { min: -1, max: 1, title: { display: true, text: "average sentiment" } } }, plugins: { legend: { position: "bottom" } } },
    },
    `Average sentiment per ${data.bucket} for ${data.sentimentByChannel.map((s) => channelNames[s.channel] || s.channel).join(", ") || "no channels"}`,
    (series, i) => (data.sentimentByChannel[series].volume[i] ? links.sentiment[data.sentimentByChannel[series].channel][i] : null),
  );

  draw(
    "chart-topics",
    {
      data: {
        labels: data.topics.map((t) => t.label),
        datasets: [
          { type: "bar", label: "interactions", data: data.topics.map((t) => t.volume), backgroundColor: data.topics.map((t) => toneColour(t.averageSentiment)), yAxisID: "y" },
          { type: "line", label: "average sentiment", data: data.topics.map((t) => t.averageSentiment), borderColor: "#14213d", backgroundColor: "#14213d", showLine: false, pointRadius: 5, yAxisID: "s" },
        ],
      },
      options: {
        scales: { y: { beginAtZero: true, title: { display: true, text: "interactions" } }, s: { position: "right", min: -1, max: 1, grid: { drawOnChartArea: false }, title: { display: true, text: "sentiment" } } },
        plugins: { legend: { position: "bottom" } },
      },
    },
    `Topics by volume: ${data.topics.slice(0, 5).map((t) => `${t.label} ${t.volume}`).join(", ")}`,
    (_, i) => links.topics[i],
  );

  draw(
    "chart-needs",
    {
      type: "bar",
      data: { labels: data.needs.map((n) => n.label), datasets: [{ label: "interactions", data: data.needs.map((n) => n.volume), backgroundColor: "#1f4fbf" }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } } },
    },
    `Top needs: ${data.needs.slice(0, 5).map((n) => `${n.label} ${n.volume}`).join(", ")}`,
    (_, i) => links.needs[i],
  );

  draw(
    "chart-moments",
    {
      type: "bar",
      data: {
        labels: data.buckets,
        datasets: data.momentsBySeverity.map((s) => ({ label: s.severity, data: s.counts, backgroundColor: severityColours[s.severity] })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: "bottom" } } },
    },
    `${data.totals.moments} moments per ${data.bucket} by severity`,
    (series, i) => (data.momentsBySeverity[series].counts[i] ? links.moments[data.momentsBySeverity[series].severity][i] : null),
  );

  draw(
    "chart-paths",
    {
      type: "bar",
      data: {
        // Two steps per line keeps long paths readable beside the bars.
        labels: data.pathsToMoments.map((p) => p.steps.reduce((lines, step, i) => (i % 2 ? (lines[lines.length - 1] += ` → ${step}`) : lines.push(i ? `→ ${step}` : step), lines), [])),
        datasets: [{ label: "moments", data: data.pathsToMoments.map((p) => p.count), backgroundColor: "#8a3b00" }],
      },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } } },
    },
    `Commonest paths into a moment: ${data.pathsToMoments.slice(0, 3).map((p) => `${p.steps.join(" then ")} (${p.count})`).join("; ")}`,
  );
  done();
})();
