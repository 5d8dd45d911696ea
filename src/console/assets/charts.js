// What the dashboard's and the quality page's charts share: Chart.js's defaults, the colours and names
// of channels and severities, and `draw`, which gives each chart its spoken summary and, when it is
// given a link per bar or point, makes them open the interactions behind them.
(() => {
  const Chart = window.Chart;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#1d2330";

  /**
   * Draws the chart of figure `id`; `linkOf(datasetIndex, index)` names where a click on a bar or
   * point leads (or null). The figure's table holds the same links for the keyboard.
   */
  const draw = (id, config, summary, linkOf) => {
    const figure = document.getElementById(id);
    const canvas = figure.querySelector("canvas");
    canvas.setAttribute("aria-label", summary);
    if (linkOf) {
      const hit = (elements) => (elements.length ? linkOf(elements[0].datasetIndex, elements[0].index) : null);
      config.options = {
        ...config.options,
        onClick: (_event, elements) => {
          const href = hit(elements);
          if (href) window.location.assign(href);
        },
        onHover: (event, elements) => {
          event.native.target.style.cursor = hit(elements) ? "pointer" : "default";
        },
      };
    }
    // eslint-disable-next-line no-new
    new Chart(canvas, config);
    figure.dataset.drawn = "true";
  };

  window.EarshotCharts = {
    draw,
    data: (id) => JSON.parse(document.getElementById(id).textContent),
    done: () => {
      document.body.dataset.chartsDrawn = "true";
    },
    channelColours: { chat: "#1f4fbf", email: "#7a3fb0", call_note: "#0b7285", social: "#c2410c" },
    channelNames: { chat: "Chat", email: "Email", call_note: "Call note", social: "Social post" },
    severityColours: { low: "#98a2b3", medium: "#e0a100", high: "#d9480f", critical: "#b42318" },
    severities: ["low", "medium", "high", "critical"],
  };
})();
