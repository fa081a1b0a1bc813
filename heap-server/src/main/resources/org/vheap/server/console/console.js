// vheap console: the little the pages do in the browser. Served by the heap server; nothing comes from elsewhere.
"use strict";

// forms that ask first
document.addEventListener("submit", (e) => {
  const q = e.target.getAttribute("data-confirm");
  if (q && !window.confirm(q)) { e.preventDefault(); }
});

// sortable tables: a click on a header sorts by that column (numbers by data-value)
for (const table of document.querySelectorAll("table.sortable")) {
  table.querySelectorAll("th").forEach((th, col) => th.addEventListener("click", () => {
    const numeric = th.dataset.type === "number";
    const asc = !th.classList.contains("asc");
    table.querySelectorAll("th").forEach((h) => h.classList.remove("asc", "desc"));
    th.classList.add(asc ? "asc" : "desc");
    const body = table.tBodies[0];
    const key = (tr) => { const td = tr.cells[col]; return numeric ? Number(td.dataset.value ?? td.textContent) : td.textContent.trim().toLowerCase(); };
    const rows = Array.from(body.rows).sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
    rows.forEach((r) => body.appendChild(r));
  }));
}

// filters: rows of the table named by data-filter that do not contain the text are hidden
for (const input of document.querySelectorAll("input[data-filter]")) {
  const table = document.getElementById(input.dataset.filter);
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    for (const tr of table.tBodies[0].rows) { tr.hidden = q !== "" && !tr.textContent.toLowerCase().includes(q); }
  });
}

// a job's page: its events, live, from the server's event stream
const job = document.getElementById("job");
if (job && document.getElementById("job-status").textContent === "running") {
  const list = document.getElementById("job-events");
  const bar = document.getElementById("job-progress");
  const stream = new EventSource(job.dataset.events + "?from=" + job.dataset.seen);
  const bytes = (n) => n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KiB" : n < 1073741824 ? (n / 1048576).toFixed(1) + " MiB" : (n / 1073741824).toFixed(2) + " GiB";
  const show = (kind, ev) => {
    const e = JSON.parse(ev.data);
    const li = document.createElement("li");
    li.className = kind;
    li.textContent = e.text;
    list.appendChild(li);
    document.getElementById("job-moved").textContent = e.lines + " lines, " + bytes(e.bytes);
    const m = /(\d+) of (\d+) lines/.exec(e.text);
    if (m) { bar.max = Number(m[2]); bar.value = Number(m[1]); }
    if (kind !== "progress") {
      stream.close();
      const status = document.getElementById("job-status");
      status.textContent = kind;
      status.className = kind;
      const outcome = document.getElementById("job-outcome");
      outcome.textContent = e.text;
      outcome.className = kind;
      bar.max = 1; bar.value = 1;
      const file = document.getElementById("job-file");
      if (kind === "done" && file) { file.hidden = false; }
    }
  };
  ["progress", "done", "failed"].forEach((k) => stream.addEventListener(k, (ev) => show(k, ev)));
}

// the server page's chart: calls per second and mean latency, redrawn every few seconds
const chart = document.getElementById("calls-chart");
if (chart) {
  const NS = "http://www.w3.org/2000/svg";
  const draw = (data) => {
    const w = 720, h = 200, pad = 36, s = data.samples;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`); svg.setAttribute("width", w); svg.setAttribute("height", h);
    const maxCalls = Math.max(1, ...s.map((x) => x.calls)), maxMs = Math.max(1, ...s.map((x) => x.ms));
    const line = (cls, f, max) => {
      const p = document.createElementNS(NS, "polyline");
      p.setAttribute("class", cls);
      p.setAttribute("points", s.map((x, i) => `${pad + i * (w - 2 * pad) / Math.max(1, s.length - 1)},${h - pad - f(x) / max * (h - 2 * pad)}`).join(" "));
      svg.appendChild(p);
    };
    const label = (x, y, t) => { const e = document.createElementNS(NS, "text"); e.setAttribute("x", x); e.setAttribute("y", y); e.textContent = t; svg.appendChild(e); };
    line("calls", (x) => x.calls, maxCalls);
    line("ms", (x) => x.ms, maxMs);
    label(4, 14, `calls/s (blue), max ${maxCalls.toFixed(1)}`);
    label(w - 200, 14, `mean ms (amber), max ${maxMs.toFixed(1)}`);
    label(pad, h - 8, `${s.length} samples, every ${data.everySeconds} s`);
    chart.replaceChildren(svg);
  };
  const load = () => fetch(chart.dataset.source, { credentials: "same-origin" }).then((r) => r.json()).then(draw);
  load();
  setInterval(load, 5000);
}
