/**
 * The dashboard's script, first half: helpers, the API client (asks for the admin token once
 * when the API answers 401), the live feed (SSE over fetch, so the token can be sent), and the
 * live view (corrections with their before/after and reason, requests, totals, upstream health).
 * Plain browser JavaScript kept as a string; the page is served from the binary.
 * @module
 */

/** Browser JavaScript of the live view. */
export const LIVE_JS = String.raw`
"use strict";
const state = {
  token: sessionStorage.getItem("hotpatch-token") || "",
  corrections: [], requests: new Map(), byType: {}, byModel: {}, stats: null, started: false,
};
const MAX_ITEMS = 300, MAX_REQUESTS = 60;
/** Actions the statistics count as corrected (as the store does). */
const CORRECTED = ["corrected", "moved", "converted", "ended"];
const $ = (sel) => document.querySelector(sel);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else if (k === "checked") el.checked = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

function authHeaders() {
  return state.token ? { authorization: "Bearer " + state.token } : {};
}

async function api(method, path, body) {
  const headers = authHeaders();
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    askToken();
    throw new ApiError("The admin token is missing or wrong", 401);
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!res.ok) throw new ApiError((data && data.error) || ("HTTP " + res.status), res.status);
  return data;
}

function askToken() {
  $("#token").classList.remove("hidden");
  $("#app").classList.add("hidden");
  $("#token input").focus();
}

function saveToken(event) {
  event.preventDefault();
  state.token = $("#token input").value.trim();
  sessionStorage.setItem("hotpatch-token", state.token);
  $("#token").classList.add("hidden");
  $("#app").classList.remove("hidden");
  start();
}

function timeOf(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

function count(map, key, n) { map[key] = (map[key] || 0) + (n === undefined ? 1 : n); }

// ---- corrections -------------------------------------------------------------------------
function diffEl(r) {
  const parts = [];
  if (r.channel === "tool_call") parts.push(h("span", { class: "note" }, "tool call: "));
  if (r.channel === "json") parts.push(h("span", { class: "note" }, "JSON answer: "));
  parts.push(r.contextBefore || "");
  const found = h("del", {}, r.found);
  const rest = r.contextAfter || "";
  switch (r.action) {
    case "corrected":
      parts.push(found, h("ins", {}, r.replacement === null ? "" : r.replacement), rest);
      break;
    case "annotated": {
      const repl = r.replacement || "";
      const note = repl.startsWith(r.found) ? repl.slice(r.found.length) : repl;
      parts.push(r.found, h("ins", {}, note), rest);
      break;
    }
    case "moved":
      parts.push(found, h("span", { class: "note" }, " → moved to the reasoning channel "), rest);
      break;
    case "converted":
      parts.push(found, h("span", { class: "note" }, " → sent as a real tool call "), rest);
      break;
    case "ended":
      parts.push(found, h("span", { class: "note" }, " ✂ answer ended here; cut: "));
      parts.push(h("span", { class: "cut" }, rest || "(nothing had arrived yet)"));
      break;
    default:
      parts.push(h("mark", {}, r.found), rest, h("span", { class: "note" }, "  (recorded only"
        + (r.replacement !== null && r.replacement !== r.found ? "; fix would be " + JSON.stringify(r.replacement) : "")
        + ")"));
  }
  return h("div", { class: "diff" }, parts);
}

function correctionEl(r, fresh) {
  return h("div", { class: "corr" + (fresh ? " fresh" : ""), "data-request": r.requestId },
    h("div", { class: "top" },
      h("span", { class: "badge" }, r.type),
      h("span", { class: "badge action-" + r.action }, r.action),
      h("span", {}, timeOf(r.time)),
      h("span", {}, "model " + (r.model || "?")),
      h("span", { class: "mono", title: r.requestId }, "request " + r.requestId.slice(0, 8)),
      h("span", {}, "rule " + (r.rule || r.type)),
      h("span", {}, "confidence " + Number(r.confidence).toFixed(2))),
    diffEl(r),
    h("div", { class: "reason" }, h("b", {}, "Why: "), r.reason || "(no reason recorded)"));
}

function addCorrection(r, fresh) {
  state.corrections.unshift(r);
  if (state.corrections.length > MAX_ITEMS) state.corrections.pop();
  count(state.byModel, r.model || "?");
  if (fresh) count(state.byType, r.type);
  const list = $("#corrections");
  list.querySelector(".empty")?.remove();
  list.prepend(correctionEl(r, fresh));
  while (list.children.length > MAX_ITEMS) list.lastChild.remove();
  $("#corr-count").textContent = "(" + state.corrections.length + " shown)";
}

// ---- requests ----------------------------------------------------------------------------
function requestRow(q) {
  const done = q.status !== undefined;
  return h("tr", { class: done ? "" : "running", "data-request": q.requestId },
    h("td", {}, h("code", {}, q.method + " " + q.path),
      h("div", { class: "sub" }, timeOf(q.time) + (q.model ? " · " + q.model : ""))),
    h("td", { class: done && q.status >= 400 ? "status-bad" : "" }, done ? q.status : "…"),
    h("td", { class: "num" }, done ? q.durationMs.toFixed(0) + " ms" : ""),
    h("td", { class: "num" }, done ? q.overheadMs.toFixed(2) + " ms" : ""),
    h("td", { class: "num" }, done ? q.corrections : ""));
}

function renderRequests() {
  const body = $("#requests tbody");
  body.replaceChildren(...[...state.requests.values()].reverse().map(requestRow));
  if (state.requests.size === 0) body.append(h("tr", {}, h("td", { colspan: 5, class: "empty" }, "No requests yet: send one through the proxy.")));
  $("#active").textContent = String([...state.requests.values()].filter((q) => q.status === undefined).length);
}

function trackRequest(q) {
  const old = state.requests.get(q.requestId);
  state.requests.delete(q.requestId);
  state.requests.set(q.requestId, Object.assign(old || {}, q));
  while (state.requests.size > MAX_REQUESTS) state.requests.delete(state.requests.keys().next().value);
  renderRequests();
}

// ---- totals, stats, health ---------------------------------------------------------------
function totalsTable(sel, map) {
  const rows = Object.entries(map).sort((a, b) => b[1] - a[1]);
  $(sel).replaceChildren(...(rows.length === 0
    ? [h("tr", {}, h("td", { class: "empty", colspan: 2 }, "none yet"))]
    : rows.map(([k, n]) => h("tr", {}, h("td", {}, k), h("td", { class: "num" }, n)))));
}

function renderTotals() {
  totalsTable("#by-type tbody", state.byType);
  totalsTable("#by-model tbody", state.byModel);
  const s = state.stats;
  if (!s) return;
  $("#requests-total").textContent = String(s.requestsProcessed);
  $("#detected-total").textContent = String(s.totalHallucinationsDetected);
  $("#corrected-total").textContent = String(s.hallucinationsCorrected);
}

async function loadStats() {
  state.stats = await api("GET", "/hotpatch/api/stats");
  state.byType = Object.assign({}, state.stats.hallucinationTypes);
  renderTotals();
}

async function pollHealth() {
  for (;;) {
    try {
      const res = await fetch("/hotpatch/health");
      const hl = await res.json();
      $("#version").textContent = "v" + hl.version + " · mode " + hl.mode;
      const up = hl.upstream || {};
      $("#upstream").replaceChildren(h("span", { class: "dot " + (up.reachable ? "ok" : "bad") }),
        "upstream " + (up.url || "") + (up.reachable ? " · " + up.latencyMs + " ms" : " · unreachable"));
    } catch {
      $("#upstream").replaceChildren(h("span", { class: "dot bad" }), "hotpatch not answering");
    }
    await sleep(5000);
  }
}

function upstreamError(e) {
  const list = $("#upstream-errors");
  list.querySelector(".empty")?.remove();
  list.prepend(h("div", { class: "corr fresh" }, h("div", { class: "top" },
    h("span", { class: "badge action-ended" }, e.kind), h("span", {}, timeOf(e.time)),
    h("span", { class: "mono" }, "request " + e.requestId.slice(0, 8))), h("div", { class: "reason" }, e.message)));
  while (list.children.length > 20) list.lastChild.remove();
}

// ---- the feed ----------------------------------------------------------------------------
const handlers = {
  hello: (d) => { $("#version").textContent = "v" + d.version + " · mode " + d.mode; },
  correction: (r) => {
    addCorrection(r, true);
    if (state.stats) {
      const s = state.stats;
      s.totalHallucinationsDetected = Number(s.totalHallucinationsDetected) + 1;
      if (CORRECTED.includes(r.action)) s.hallucinationsCorrected = Number(s.hallucinationsCorrected) + 1;
    }
    renderTotals();
  },
  request_start: (q) => trackRequest(q),
  request_end: (q) => {
    trackRequest(q);
    if (state.stats) { state.stats.requestsProcessed = Number(state.stats.requestsProcessed) + 1; renderTotals(); }
  },
  upstream_error: upstreamError,
  dropped: (d) => { $("#feed-note").textContent = d.count + " events dropped (slow connection)"; },
};

function feedState(text, cls) {
  $("#feed").replaceChildren(h("span", { class: "dot " + cls }), text);
}

function dispatch(block) {
  let type = "message", data = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) type = line.slice(6).trim();
    else if (line.startsWith("data:")) data += line.slice(5).trim();
  }
  if (data === "" || !handlers[type]) return;
  handlers[type](JSON.parse(data));
}

async function follow() {
  for (;;) {
    try {
      feedState("connecting", "warn");
      const res = await fetch("/hotpatch/api/events", { headers: authHeaders(), cache: "no-store" });
      if (res.status === 401) { askToken(); return; }
      if (!res.ok || !res.body) throw new Error("HTTP " + res.status);
      feedState("live", "ok");
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += value;
        let i;
        while ((i = buf.indexOf("\n\n")) !== -1) {
          dispatch(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      }
    } catch (e) {
      console.warn("feed:", e);
    }
    feedState("reconnecting", "bad");
    await sleep(2000);
  }
}
`;
