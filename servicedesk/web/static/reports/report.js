/* The report page: the period form, the print button, and the charts, drawn with chart.js (served by the
   app at /vendor, loaded before this module as a classic script: window.Chart). The figures come from
   the JSON block #report-data, rendered by the server with translated labels. */

import { byId, readJson } from "/static/common/dom.js";

const form = document.querySelector(".filters");
const kind = byId("period-kind");
if (form && kind) {
  const showPeriodFields = () => {
    form.dataset.kind = kind.value;
  };
  kind.addEventListener("change", showPeriodFields);
  showPeriodFields();
}
const printButton = byId("print");
if (printButton) printButton.addEventListener("click", () => window.print());

if (byId("report-data") && window.Chart) drawCharts(window.Chart, readJson("report-data"));

function drawCharts(Chart, data) {
  const L = data.labels;
  const brand = "#0b5cad";
  const light = "#8fb8e3";
  const warn = "#b35900";
  const ok = "#1a7f37";
  Chart.defaults.font.family = '"DejaVu Sans", "Noto Sans", Arial, sans-serif';
  Chart.defaults.animation = false; // a printout must not catch a chart half drawn
  Chart.defaults.maintainAspectRatio = false;

  const chart = (id, config) => {
    const canvas = byId(id);
    if (canvas) new Chart(canvas, config);
  };

  chart("chart-within", {
    type: "bar",
    data: {
      labels: data.services,
      datasets: [{ label: L.within, data: data.within, backgroundColor: data.within.map((v) => (v !== null && v >= 80 ? ok : warn)) }],
    },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } }, plugins: { legend: { display: true } } },
  });

  chart("chart-times", {
    type: "bar",
    data: {
      labels: data.services,
      datasets: [
        { label: L.waiting_median, data: data.waiting_median, backgroundColor: light },
        { label: L.waiting_p90, data: data.waiting_p90, backgroundColor: "#c9dcef" },
        { label: L.service_median, data: data.service_median, backgroundColor: brand },
        { label: L.service_p90, data: data.service_p90, backgroundColor: "#3d7fc0" },
        { type: "line", label: L.standard, data: data.standard, borderColor: warn, backgroundColor: warn, showLine: false, pointStyle: "line", pointRadius: 14, pointBorderWidth: 3 },
      ],
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "min" } } }, plugins: { legend: { position: "bottom", labels: { boxWidth: 10, font: { size: 10 } } } } },
  });

  chart("chart-hours", {
    type: "bar",
    data: { labels: data.hours, datasets: [{ label: L.arrivals, data: data.arrivals_by_hour, backgroundColor: brand }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
  });

  const trend = data.review;
  if (trend) {
    const R = trend.labels;
    chart("chart-trend-times", {
      type: "line",
      data: {
        labels: trend.days,
        datasets: [
          { label: R.waiting_median, data: trend.waiting_median, borderColor: light, backgroundColor: light, spanGaps: true },
          { label: R.service_median, data: trend.service_median, borderColor: brand, backgroundColor: brand, spanGaps: true },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: "min" } } }, plugins: { legend: { position: "bottom" } } },
    });
    chart("chart-trend-scores", {
      type: "line",
      data: {
        labels: trend.days,
        datasets: [
          { label: R.compliance, data: trend.compliance, borderColor: ok, backgroundColor: ok, spanGaps: true },
          { label: R.ikm, data: trend.ikm, borderColor: warn, backgroundColor: warn, spanGaps: true },
        ],
      },
      options: { scales: { y: { min: 0, max: 100 } }, plugins: { legend: { position: "bottom" } } },
    });
    chart("chart-group-waits", {
      type: "bar",
      data: { labels: trend.groups, datasets: [{ label: R.waiting_median, data: trend.group_wait_median, backgroundColor: brand }] },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, title: { display: true, text: "min" } } }, plugins: { legend: { display: true } } },
    });
  }

  chart("chart-nrr", {
    type: "bar",
    data: { labels: data.elements, datasets: [{ label: L.nrr, data: data.nrr, backgroundColor: brand }] },
    options: { indexAxis: "y", scales: { x: { min: 1, max: 4 } }, plugins: { legend: { display: true } } },
  });
}
