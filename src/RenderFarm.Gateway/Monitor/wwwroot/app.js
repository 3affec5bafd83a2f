// RenderFarm web monitor: one page, hash routes, polling the gateway's own JSON routes.
// Everything from the server is put in the page with textContent or attribute setters, never as markup.
"use strict";

const main = document.getElementById("main");
let session = null;          // { Name, Scope } once signed in
let timer = null;            // the current page's refresh
let route = "";
const metricHistory = [];    // samples of /metrics for the nodes page's graphs, every SAMPLE_MS while the page is open
const SAMPLE_MS = 2000;
const KINDS_COLOURS = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#db2777", "#0891b2", "#dc2626", "#65a30d", "#475569"];

// ---- small DOM helpers ----------------------------------------------------------------------

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "className") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = String(value); else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

function link(href, text) { return el("a", { href, text }); }
function jobLink(id) { return link("#/job/" + encodeURIComponent(id), id); }
function statusCell(status) { return el("span", { className: "status-" + status, text: status }); }

function progressBar(value, id) {
  const pct = Math.max(0, Math.min(100, Math.floor(Number(value) || 0)));
  const fill = el("span");
  fill.style.width = pct + "%";
  return el("span", { className: "progress", id, dataset: { value: String(pct) } }, fill, el("b", { text: pct + "%" }));
}

function setProgress(bar, value) {
  const pct = Math.max(0, Math.min(100, Math.floor(Number(value) || 0)));
  bar.dataset.value = String(pct);
  bar.firstChild.style.width = pct + "%";
  bar.lastChild.textContent = pct + "%";
}

function time(iso) { return iso ? new Date(iso).toLocaleString() : ""; }
function seconds(a, b) { return a && b ? ((new Date(b) - new Date(a)) / 1000).toFixed(1) + " s" : ""; }

/** A job's name: UserData's Name when UserData is a JSON object, else UserData itself (IMS jobs have no name field). */
function jobName(userData) {
  if (!userData) return "";
  try {
    const parsed = JSON.parse(userData);
    if (parsed && typeof parsed === "object" && typeof parsed.Name === "string") return parsed.Name;
  } catch { /* free text */ }
  return userData;
}

function table(headers, rows) {
  return el("table", {},
    el("thead", {}, el("tr", {}, headers.map(h => el("th", { text: h })))),
    el("tbody", {}, rows));
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
  if (message) setTimeout(() => { if (box.textContent === message) box.hidden = true; }, 6000);
}

// ---- calls ------------------------------------------------------------------------------------

function cookie(name) {
  const hit = document.cookie.split("; ").find(c => c.startsWith(name + "="));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : "";
}

class ApiError extends Error {
  constructor(status, body) { super(body && body.Message ? body.Message : "HTTP " + status); this.status = status; }
}

async function call(path, options = {}) {
  const headers = { "Accept": "application/json" };
  if (options.method && options.method !== "GET") {
    headers["X-CSRF-Token"] = cookie("renderfarm_csrf");
    if (options.body) headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, { credentials: "same-origin", ...options, headers });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (response.status === 401 && !options.quiet) { session = null; renderSession(); renderLogin(); }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

async function action(path, label) {
  try {
    const result = await call(path, { method: "POST" });
    showError("");
    return result;
  } catch (e) {
    showError(label + " refused: " + e.message);
    return null;
  }
}

// ---- session ------------------------------------------------------------------------------------

const isOperator = () => session && session.Scope === "operate";

function renderSession() {
  const box = document.getElementById("session");
  box.replaceChildren();
  if (!session) return;
  box.append(el("span", { text: "signed in: " + session.Name + " (" + session.Scope + ")" }),
    el("button", { type: "button", text: "Sign out", onclick: async () => {
      await call("/ui/logout", { method: "POST", quiet: true }).catch(() => null);
      session = null; renderSession(); renderLogin();
    } }));
}

function renderLogin() {
  stop();
  const input = el("input", { type: "password", name: "token", autocomplete: "current-password", placeholder: "operator token or API key", required: true });
  const message = el("p", { className: "muted", id: "login-message" });
  main.replaceChildren(el("form", { className: "login", id: "login", onsubmit: async event => {
    event.preventDefault();
    try {
      session = await call("/ui/login", { method: "POST", body: JSON.stringify({ Token: input.value }), quiet: true });
      renderSession();
      navigate();
    } catch (e) { message.textContent = "Sign-in refused: " + e.message; }
  } },
  el("h1", { text: "Sign in" }),
  el("p", { className: "muted", text: "A read key shows the farm; the operator token (or an operate key) also allows cancel, retry, drain, enable and leave." }),
  input, el("button", { type: "submit", text: "Sign in" }), message));
}

// ---- routing ------------------------------------------------------------------------------------

function stop() { if (timer) clearTimeout(timer); timer = null; }

function every(ms, refresh) {
  const mine = route;
  const tick = async () => {
    try { await refresh(); } catch (e) { if (e.status !== 401) showError(e.message); }
    if (route === mine && session) timer = setTimeout(tick, ms);
  };
  tick();
}

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, "") || "jobs";
  const [path, query] = hash.split("?");
  return { parts: path.split("/").map(decodeURIComponent), query: new URLSearchParams(query || "") };
}

function navigate() {
  stop();
  if (!session) { renderLogin(); return; }
  route = location.hash + "|" + Date.now();
  const { parts, query } = parseHash();
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.page === parts[0] || (parts[0] === "job" && a.dataset.page === "jobs"));
  const pages = { jobs: jobsPage, job: jobPage, nodes: nodesPage, queues: queuesPage, library: libraryPage };
  (pages[parts[0]] || jobsPage)(parts.slice(1), query);
}

// ---- jobs ---------------------------------------------------------------------------------------

function jobsPage(_, query) {
  const field = (name, control) => el("label", {}, name, control);
  const status = el("select", { name: "status" }, ["", "Queuing", "Processing", "Success", "Failed", "Cancelled"].map(s => el("option", { value: s, text: s || "any" })));
  const kind = el("select", { name: "kind" }, ["", "Single", "Batch", "MediaAnalysis", "IProduction"].map(k => el("option", { value: k, text: k || "any" })));
  const since = el("input", { type: "datetime-local", name: "since" });
  const until = el("input", { type: "datetime-local", name: "until" });
  const text = el("input", { type: "search", name: "text", placeholder: "job id or name" });
  status.value = query.get("status") || ""; kind.value = query.get("kind") || ""; text.value = query.get("text") || "";
  const local = iso => { if (!iso) return ""; const d = new Date(iso); return new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); };
  since.value = local(query.get("since")); until.value = local(query.get("until"));
  const form = el("form", { className: "filters", id: "job-filters", onsubmit: event => {
    event.preventDefault();
    const q = new URLSearchParams();
    if (status.value) q.set("status", status.value);
    if (kind.value) q.set("kind", kind.value);
    if (since.value) q.set("since", new Date(since.value).toISOString());
    if (until.value) q.set("until", new Date(until.value).toISOString());
    if (text.value.trim()) q.set("text", text.value.trim());
    location.hash = "#/jobs" + (q.toString() ? "?" + q : "");
  } }, field("Status", status), field("Kind", kind), field("Created after", since), field("Created before", until), field("Search", text),
  el("button", { type: "submit", text: "Filter" }));
  const body = el("tbody", { id: "jobs" });
  main.replaceChildren(el("h1", { text: "Jobs" }), form,
    el("table", {}, el("thead", {}, el("tr", {}, ["Job", "Name", "Kind", "Status", "Progress", "Created", "Completed", "Message"].map(h => el("th", { text: h })))), body));
  const api = new URLSearchParams(query);
  api.set("max", "100");
  every(2000, async () => {
    const jobs = await call("/admin/jobs?" + api);
    body.replaceChildren(...jobs.map(j => el("tr", { dataset: { job: j.JobId } },
      el("td", {}, jobLink(j.JobId)), el("td", { className: "name", text: jobName(j.UserData) }), el("td", { text: j.Kind }),
      el("td", {}, statusCell(j.Status)), el("td", {}, progressBar(j.Progress)), el("td", { text: time(j.CreateTime) }),
      el("td", { text: time(j.CompleteTime) }), el("td", { text: j.Message || "" }))));
    if (jobs.length === 0) body.append(el("tr", {}, el("td", { colspan: 8, className: "muted", text: "no jobs match" })));
  });
}

function jobPage([id]) {
  const status = el("span", { id: "job-status" });
  const bar = progressBar(0, "job-progress");
  const name = el("span", { id: "job-name" });
  const message = el("p", { className: "muted", id: "job-message" });
  const cancel = el("button", { type: "button", className: "danger", id: "cancel", text: "Cancel job" });
  const retry = el("button", { type: "button", id: "retry", text: "Retry failed work" });
  for (const [button, verb] of [[cancel, "cancel"], [retry, "retry"]]) {
    button.disabled = !isOperator();
    if (!isOperator()) button.title = "needs the operator token";
    button.addEventListener("click", async () => {
      await action("/admin/jobs/" + encodeURIComponent(id) + "/" + verb, verb);
    });
  }
  const videos = el("div", { className: "cards", id: "videos" });
  const videoCards = new Map();
  const timeline = el("div", { id: "timeline" });
  const tasks = el("tbody", { id: "tasks" });
  const history = el("tbody", { id: "history" });
  main.replaceChildren(
    el("h1", {}, "Job ", el("code", { text: id }), " ", name),
    el("p", {}, "Status: ", status, "  ", bar),
    message,
    el("div", { className: "actions" }, cancel, retry),
    el("h2", { text: "Videos" }), videos,
    el("h2", { text: "Timeline (tasks per node)" }), timeline,
    el("h2", { text: "Tasks" }),
    el("table", {}, el("thead", {}, el("tr", {}, ["Task", "Kind", "Video", "Node", "Attempt", "Duration", "State", "Error"].map(h => el("th", { text: h })))), tasks),
    el("h2", { text: "History" }),
    el("table", {}, el("thead", {}, el("tr", {}, ["At", "Event", "Detail", "Node", "Task"].map(h => el("th", { text: h })))), history));

  every(1000, async () => {
    const job = await call("/admin/jobs/" + encodeURIComponent(id));
    name.textContent = jobName(job.UserData);
    status.textContent = job.Status;
    status.className = "status-" + job.Status;
    setProgress(bar, job.Progress);
    message.textContent = job.Message || "";
    for (const v of job.Videos) {
      let card = videoCards.get(v.Index);
      if (!card) {
        card = { root: el("div", { className: "card", dataset: { index: String(v.Index) } }), head: el("div"), bar: progressBar(0), media: null };
        card.root.append(card.head, card.bar);
        videoCards.set(v.Index, card);
        videos.append(card.root);
      }
      card.head.replaceChildren(el("strong", { text: "Video " + v.Index + " " }), statusCell(v.Status),
        el("span", { className: "muted", text: " " + v.Segments + " segments" + (v.Duration ? ", " + v.Duration.toFixed(2) + " s" : "") }));
      setProgress(card.bar, v.Progress);
      if (v.Status === "Success" && !card.media) {
        // Built once, so polling never restarts the player.
        const base = "/ui/media/jobs/" + encodeURIComponent(id) + "/videos/" + v.Index;
        const video = el("video", { controls: true, preload: "metadata", src: base, dataset: { index: String(v.Index) } });
        video.muted = true;
        const strip = el("div", { className: "strip" });
        for (let s = 0; s < v.Segments; s++) strip.append(el("img", { src: base + "/segments/" + s, alt: "segment " + (s + 1), title: "segment " + (s + 1), loading: "lazy" }));
        card.media = el("div", {}, video, strip);
        card.root.append(card.media);
      }
    }
    timeline.replaceChildren(timelineChart(job.Tasks));
    tasks.replaceChildren(...job.Tasks.map(t => el("tr", {},
      el("td", {}, el("code", { text: t.TaskId })), el("td", { text: t.Kind }),
      el("td", { text: String((job.Videos.find(v => v.VideoId === t.VideoId) || {}).Index ?? "") }),
      el("td", { text: t.NodeId || "" }), el("td", { className: "num", text: String(t.Attempt) }),
      el("td", { className: "num", text: t.Reused ? "reused" : seconds(t.StartedAt, t.FinishedAt) }),
      el("td", {}, statusCell(t.State)), el("td", { text: t.Error || "" }))));
    history.replaceChildren(...job.History.map(h => el("tr", {},
      el("td", { text: time(h.At) }), el("td", { text: h.Event }), el("td", { text: h.Detail || "" }),
      el("td", { text: h.NodeId || "" }), el("td", { text: h.TaskId || "" }))));
    const settled = ["Success", "Failed", "Cancelled"].includes(job.Status);
    cancel.disabled = !isOperator() || settled;
    retry.disabled = !isOperator() || job.Status !== "Failed";
  });
}

/**
 * Tasks as bars on one row per node, from when they started to when they finished: gaps between bars are idle
 * time. Tasks a node ran at the same time stack in lanes of its row.
 */
function timelineChart(tasks) {
  const ran = tasks.filter(t => t.StartedAt && !t.Reused);
  if (ran.length === 0) return el("p", { className: "muted", text: "no task has started yet" });
  const now = Date.now();
  const from = t => Date.parse(t.StartedAt), to = t => t.FinishedAt ? Date.parse(t.FinishedAt) : now;
  const start = Math.min(...ran.map(from));
  const end = Math.max(...ran.map(to), start + 1000);
  const nodes = [...new Set(ran.map(t => t.NodeId || "?"))].sort();
  const lanes = new Map(); // task -> lane within its node's row
  const rows = nodes.map(node => {
    const ends = [];
    for (const t of ran.filter(t => (t.NodeId || "?") === node).sort((a, b) => from(a) - from(b))) {
      let lane = ends.findIndex(e => e <= from(t));
      if (lane < 0) { lane = ends.length; ends.push(0); }
      ends[lane] = to(t);
      lanes.set(t, lane);
    }
    return Math.max(1, ends.length);
  });
  const left = 130, width = 900, lane = 16, top = 20, gap = 8;
  const offsets = rows.map((_, i) => top + rows.slice(0, i).reduce((a, n) => a + n * lane + gap, 0));
  const height = offsets[offsets.length - 1] + rows[rows.length - 1] * lane + gap;
  const x = ms => left + (ms - start) / (end - start) * (width - left - 10);
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "tasks per node over time" });
  const span = (end - start) / 1000;
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find(s => span / s <= 10) || 1200;
  for (let s = 0; s <= span; s += step) {
    chart.append(svg("line", { x1: x(start + s * 1000), x2: x(start + s * 1000), y1: top - 4, y2: height - gap / 2, stroke: "#e5e7eb" }),
      svg("text", { x: x(start + s * 1000) + 2, y: 12, text: s + " s" }));
  }
  nodes.forEach((node, i) => {
    chart.append(svg("text", { x: 4, y: offsets[i] + 12, text: node }));
    chart.append(svg("line", { x1: 0, x2: width - 10, y1: offsets[i] + rows[i] * lane + gap / 2, y2: offsets[i] + rows[i] * lane + gap / 2, stroke: "#cbd5e1" }));
  });
  for (const t of ran) {
    const i = nodes.indexOf(t.NodeId || "?");
    chart.append(svg("rect", { "data-task": t.TaskId, x: x(from(t)), y: offsets[i] + lanes.get(t) * lane + 1, width: Math.max(2, x(to(t)) - x(from(t))), height: lane - 3, rx: 2,
      class: "bar-kind-" + t.Kind, stroke: t.State === "Failed" ? "#b91c1c" : "none" },
    svg("title", { text: `${t.Kind} ${t.TaskId} attempt ${t.Attempt}: ${t.State}, ${((to(t) - from(t)) / 1000).toFixed(1)} s` })));
  }
  const kinds = [...new Set(ran.map(t => t.Kind))];
  return el("div", { className: "chart" }, chart,
    el("div", { className: "legend" }, kinds.map(k => el("span", {}, svg("svg", { width: 10, height: 10 }, svg("rect", { width: 10, height: 10, class: "bar-kind-" + k })), " " + k))));
}

// ---- waiting work ---------------------------------------------------------------------------------

function queuesPage() {
  const body = el("tbody", { id: "queues" });
  main.replaceChildren(el("h1", { text: "Waiting work per kind" }),
    el("table", {}, el("thead", {}, el("tr", {}, ["Kind", "Placement", "Waiting", "Running", "Succeeded", "Failed"].map(h => el("th", { text: h })))), body));
  every(2000, async () => {
    const queues = await call("/admin/queues");
    body.replaceChildren(...queues.map(q => el("tr", { dataset: { kind: q.Kind } },
      el("td", { text: q.Kind }), el("td", { text: q.Placement }), el("td", { className: "num", text: String(q.Waiting) }),
      el("td", { className: "num", text: String(q.Running) }), el("td", { className: "num", text: String(q.Succeeded) }),
      el("td", { className: "num", text: String(q.Failed) }))));
  });
}

// ---- nodes and metrics --------------------------------------------------------------------------

function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const m of (match[3] || "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
    samples.push({ name: match[1], labels, value: Number(match[4]) });
  }
  return samples;
}

async function sampleMetrics() {
  const response = await fetch("/metrics", { credentials: "same-origin" });
  if (!response.ok) return;
  const samples = parseMetrics(await response.text());
  const byKind = name => Object.fromEntries(samples.filter(s => s.name === name).map(s => [s.labels.kind, s.value]));
  const sum = name => samples.filter(s => s.name === name).reduce((a, s) => a + s.value, 0);
  metricHistory.push({ t: Date.now(), queue: byKind("renderfarm_queue_depth"), utilisation: byKind("renderfarm_worker_utilisation"),
    busy: byKind("renderfarm_task_duration_seconds_sum"), slots: byKind("renderfarm_worker_slots"),
    finished: sum("renderfarm_jobs_finished_total"), waitSum: sum("renderfarm_task_wait_seconds_sum"), waitCount: sum("renderfarm_task_wait_seconds_count") });
  while (metricHistory.length > 180) metricHistory.shift();
}

/** A small line chart of series { name: [values] } over the samples' times. */
function lineChart(title, id, series, format) {
  const width = 320, height = 110, pad = 24;
  const all = Object.values(series).flat().filter(v => Number.isFinite(v));
  const max = Math.max(1e-9, ...all, 0);
  const count = Math.max(...Object.values(series).map(v => v.length), 2);
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
  chart.append(svg("line", { x1: pad, x2: width, y1: height - pad, y2: height - pad, stroke: "#cbd5e1" }),
    svg("text", { x: 0, y: 12, text: format(max) }), svg("text", { x: 0, y: height - pad, text: "0" }),
    svg("text", { x: pad, y: height - 6, text: `last ${Math.round((count * SAMPLE_MS / 1000) / 60 * 10) / 10} min` }));
  const legend = el("div", { className: "legend" });
  Object.entries(series).forEach(([name, values], i) => {
    const colour = KINDS_COLOURS[i % KINDS_COLOURS.length];
    const points = values.map((v, j) => `${pad + j / (count - 1) * (width - pad)},${height - pad - (Number.isFinite(v) ? v : 0) / max * (height - pad - 14)}`);
    chart.append(svg("polyline", { points: points.join(" "), fill: "none", stroke: colour, "stroke-width": 2 }));
    const swatch = el("i"); swatch.style.background = colour;
    legend.append(el("span", {}, swatch, name + " " + format(values[values.length - 1] ?? 0)));
  });
  return el("div", { className: "chart", id, dataset: { max: String(Math.max(0, ...all)), samples: String(metricHistory.length) } }, el("h3", { text: title }), chart, legend);
}

function charts() {
  const kinds = [...new Set(metricHistory.flatMap(s => Object.keys(s.queue)))];
  const active = kinds.filter(k => metricHistory.some(s => s.queue[k] > 0 || s.utilisation[k] > 0));
  const shown = active.length ? active : kinds.slice(0, 3);
  const rate = (field, per) => metricHistory.map((s, i) => i === 0 ? 0 : Math.max(0, s[field] - metricHistory[i - 1][field]) / ((s.t - metricHistory[i - 1].t) / 1000) * per);
  // The gauge is a snapshot and misses tasks shorter than a sample; the busy seconds finished between two samples
  // over the slots catch them, so a short burst of work still shows.
  const utilisation = k => metricHistory.map((s, i) => {
    const previous = metricHistory[i - 1];
    const busy = previous && s.slots[k] > 0 ? Math.max(0, (s.busy[k] || 0) - (previous.busy[k] || 0)) / ((s.t - previous.t) / 1000) / s.slots[k] : 0;
    return Math.min(1, Math.max(s.utilisation[k] || 0, busy));
  });
  const meanWait = metricHistory.map((s, i) => {
    if (i === 0) return 0;
    const count = s.waitCount - metricHistory[i - 1].waitCount;
    return count > 0 ? (s.waitSum - metricHistory[i - 1].waitSum) / count : 0;
  });
  return el("div", { className: "charts" },
    lineChart("Waiting tasks", "chart-queue", Object.fromEntries(shown.map(k => [k, metricHistory.map(s => s.queue[k] || 0)])), v => String(Math.round(v))),
    lineChart("Worker utilisation", "chart-utilisation", Object.fromEntries(shown.map(k => [k, utilisation(k)])), v => Math.round(v * 100) + "%"),
    lineChart("Jobs finished per minute", "chart-throughput", { jobs: rate("finished", 60) }, v => v.toFixed(1)),
    lineChart("Mean wait for a slot (s)", "chart-wait", { wait: meanWait }, v => v.toFixed(2)));
}

function nodesPage() {
  const body = el("tbody", { id: "nodes" });
  const graphs = el("div", { id: "graphs" });
  main.replaceChildren(el("h1", { text: "Nodes" }),
    el("table", {}, el("thead", {}, el("tr", {}, ["Node", "Roles", "Member", "State", "Alive", "Slots in use per kind", "Running tasks", "Kinds taken out", "Device", ""].map(h => el("th", { text: h })))), body),
    el("h2", { text: "Metrics" }), graphs);
  const command = (id, verb) => el("button", { type: "button", text: verb, disabled: !isOperator(), title: isOperator() ? null : "needs the operator token",
    className: verb === "leave" ? "danger" : null,
    onclick: async () => {
      if (verb === "leave" && !confirm("Node " + id + " leaves the cluster and its process exits. Go on?")) return;
      await action("/admin/nodes/" + encodeURIComponent(id) + "/" + verb, verb);
    } });
  every(3000, async () => {
    const [nodes, running] = await Promise.all([call("/admin/cluster"), call("/admin/tasks?state=Running")]);
    body.replaceChildren(...nodes.map(n => {
      const mine = running.filter(t => t.NodeId === n.NodeId);
      const slots = Object.entries(n.Slots).map(([kind, total]) => `${kind} ${mine.filter(t => t.Kind === kind).length}/${total}`);
      return el("tr", { dataset: { node: n.NodeId } },
        el("td", { text: n.NodeId }), el("td", { text: n.Roles.join(", ") }), el("td", { text: n.Member + (n.Reachable ? "" : " (unreachable)") }),
        el("td", { text: n.State }), el("td", { text: n.Alive ? "yes" : "no (" + n.HeartbeatAgeSeconds + " s)" }),
        el("td", {}, slots.map(s => el("div", { text: s }))),
        el("td", {}, mine.map(t => el("div", {}, jobLink(t.JobId), " " + t.Kind + " #" + t.Attempt))),
        el("td", { text: (n.DisabledKinds || []).join("; ") }), el("td", { text: n.Device }),
        el("td", {}, el("div", { className: "actions" }, command(n.NodeId, "drain"), command(n.NodeId, "enable"), command(n.NodeId, "leave"))));
    }));
    graphs.replaceChildren(charts());
  });
}

// ---- library ------------------------------------------------------------------------------------

function libraryPage([mediaId]) {
  if (mediaId) { mediaPage(mediaId); return; }
  const body = el("tbody", { id: "library" });
  main.replaceChildren(el("h1", { text: "Media library" }),
    el("table", {}, el("thead", {}, el("tr", {}, ["Media", "Title", "Type", "Status", "Progress", "Tags", "Registered"].map(h => el("th", { text: h })))), body));
  every(3000, async () => {
    const page = await call("/ListMediaBasicInfos?MaxResults=100");
    body.replaceChildren(...page.MediaInfos.map(m => el("tr", {},
      el("td", {}, link("#/library/" + encodeURIComponent(m.MediaId), m.MediaId)), el("td", { text: m.MediaBasicInfo.Title || "" }),
      el("td", { text: m.MediaBasicInfo.MediaType }), el("td", {}, statusCell(m.MediaBasicInfo.Status)),
      el("td", {}, progressBar(m.MediaBasicInfo.Progress)), el("td", { text: m.MediaBasicInfo.Tags }), el("td", { text: time(m.MediaBasicInfo.CreateTime) }))));
  });
}

function mediaPage(mediaId) {
  const head = el("div");
  const shots = el("div", { className: "shots", id: "shots" });
  main.replaceChildren(el("h1", {}, "Media ", el("code", { text: mediaId })), head, el("h2", { text: "Shots" }), shots);
  let shown = false;
  every(3000, async () => {
    const info = (await call("/GetMediaInfo?MediaId=" + encodeURIComponent(mediaId))).MediaInfo;
    const basic = info.MediaBasicInfo;
    head.replaceChildren(...[el("p", {}, el("strong", { text: basic.Title || basic.InputURL }), " ", statusCell(basic.Status), " ", progressBar(basic.Progress)),
      el("p", { className: "muted", text: basic.InputURL }),
      info.AnalysisInfo && info.AnalysisInfo.Transcript ? el("p", {}, el("strong", { text: "Transcript: " }), info.AnalysisInfo.Transcript) : null].filter(Boolean));
    if (shown || !info.AnalysisInfo) return;
    shown = true;
    shots.replaceChildren(...info.AnalysisInfo.Shots.map(s => el("figure", {},
      s.Keyframe ? el("img", { src: "/ui/media/library/" + encodeURIComponent(mediaId) + "/shots/" + s.Index, alt: "shot " + (s.Index + 1), loading: "lazy" }) : null,
      el("figcaption", {}, el("strong", { text: `${s.In.toFixed(2)}–${s.Out.toFixed(2)} s` }),
        s.OcrText ? el("div", { className: "ocr", text: "Text: " + s.OcrText }) : null,
        s.Transcript ? el("div", { text: "Speech: " + s.Transcript }) : null))));
  });
}

// ---- start --------------------------------------------------------------------------------------

window.addEventListener("hashchange", navigate);
(async () => {
  try { session = await call("/ui/session", { quiet: true }); } catch { session = null; }
  renderSession();
  navigate();
  const sample = async () => { if (session) await sampleMetrics().catch(() => null); setTimeout(sample, SAMPLE_MS); };
  sample();
})();
