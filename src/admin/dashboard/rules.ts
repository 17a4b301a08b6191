/**
 * The dashboard's script, second half: the rules view (list, add, edit, enable/disable, delete
 * correction patterns, navigation fixes and behavior patches; the API's validation errors shown
 * next to the form that caused them) and the start-up.
 * @module
 */

/** Browser JavaScript of the rules view and the start-up. */
export const RULES_JS = String.raw`
const TABLES = [
  {
    key: "patterns", title: "Correction patterns", path: "/hotpatch/api/patterns", toggle: true,
    fields: [
      { name: "match", label: "Match", required: true, size: 22 },
      { name: "replacement", label: "Replacement", size: 22 },
      { name: "regex", label: "Regex", type: "bool" },
      { name: "model", label: "Model glob", placeholder: "*", size: 10 },
      { name: "confidence", label: "Confidence", type: "number", placeholder: "0.9", size: 5 },
    ],
    columns: [["id", "#"], ["match", "Match"], ["replacement", "Replacement"], ["regex", "Regex"],
      ["model", "Model"], ["confidence", "Conf."], ["hitCount", "Hits"]],
  },
  {
    key: "fixes", title: "Navigation fixes", path: "/hotpatch/api/navigation-fixes", toggle: false,
    fields: [
      { name: "incorrectPath", label: "Wrong path", required: true, size: 22 },
      { name: "correctPath", label: "Right path", required: true, size: 22 },
      { name: "workspace", label: "Workspace", size: 14 },
      { name: "reasoning", label: "Why", size: 18 },
    ],
    columns: [["id", "#"], ["incorrectPath", "Wrong path"], ["correctPath", "Right path"],
      ["workspace", "Workspace"], ["timesCorrected", "Used"], ["effectiveness", "Effect."]],
  },
  {
    key: "behaviors", title: "Behavior patches", path: "/hotpatch/api/behavior-patches", toggle: true,
    fields: [
      { name: "description", label: "Description", required: true, size: 20 },
      { name: "kind", label: "Kind", type: "select", options: ["prompt_modifier", "output_filter", "validator"] },
      { name: "model", label: "Model glob", placeholder: "*", size: 10 },
      { name: "payload", label: "Payload (JSON)", type: "json", placeholder: '{"system": "Only cite files that exist."}' },
    ],
    columns: [["id", "#"], ["description", "Description"], ["kind", "Kind"], ["model", "Model"],
      ["payload", "Payload"], ["successCount", "Applied"]],
  },
];

function inputFor(f, value) {
  const v = value === undefined || value === null ? "" : value;
  if (f.type === "bool") return h("input", { type: "checkbox", name: f.name, checked: Boolean(value) });
  if (f.type === "select") {
    return h("select", { name: f.name }, f.options.map((o) => h("option", { value: o, selected: o === v }, o)));
  }
  if (f.type === "json") {
    return h("textarea", { name: f.name, placeholder: f.placeholder || "" }, v === "" ? "" : JSON.stringify(v, null, 1));
  }
  return h("input", {
    name: f.name, value: String(v), size: f.size || 12, placeholder: f.placeholder || "",
    type: f.type === "number" ? "number" : "text", step: f.type === "number" ? "0.05" : null,
    min: f.type === "number" ? "0" : null, max: f.type === "number" ? "1" : null,
  });
}

/** The form's values; only fields that differ from "original" when editing. */
function formValues(form, table, original) {
  const out = {};
  for (const f of table.fields) {
    const el = form.elements.namedItem(f.name);
    let v;
    if (f.type === "bool") v = el.checked;
    else if (f.type === "number") { if (el.value.trim() === "") continue; v = Number(el.value); }
    else if (f.type === "json") {
      if (el.value.trim() === "") continue;
      try { v = JSON.parse(el.value); } catch (e) { throw new ApiError("Invalid JSON in " + f.label + ": " + e.message, 400); }
    } else {
      v = el.value;
      if (v === "" && !f.required && original === undefined) continue;
    }
    if (original !== undefined && JSON.stringify(original[f.name]) === JSON.stringify(v)) continue;
    out[f.name] = v;
  }
  return out;
}

function ruleForm(table, row, done) {
  const error = h("div", { class: "error", role: "alert" });
  const form = h("form", { class: "rule", "data-table": table.key, novalidate: true },
    table.fields.map((f) => h("label", { class: f.type === "bool" ? "check" : "" },
      f.type === "bool" ? [inputFor(f, row && row[f.name]), f.label] : [f.label, inputFor(f, row && row[f.name])])),
    h("button", { class: "btn primary", type: "submit" }, row ? "Save" : "Add"),
    row ? h("button", { class: "btn", type: "button", onclick: () => done() }, "Cancel") : null,
    error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      const values = formValues(form, table, row || undefined);
      if (row) await api("PATCH", table.path + "/" + row.id, values);
      else await api("POST", table.path, values);
      if (!row) form.reset();
      done();
    } catch (e) {
      error.textContent = e.message;
    }
  });
  return form;
}

function cell(row, key) {
  const v = row[key];
  if (key === "payload") return h("code", {}, JSON.stringify(v));
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (key === "match" || key === "replacement" || key.endsWith("Path")) return h("code", {}, String(v));
  return v === null || v === undefined ? "" : String(v);
}

function rowEl(table, row, reload) {
  const cols = table.columns.length + 1;
  const tr = h("tr", { class: row.enabled === false ? "off" : "", "data-id": row.id });
  const edit = () => tr.replaceChildren(h("td", { colspan: cols }, ruleForm(table, row, reload)));
  let armed = false;
  const del = h("button", { class: "btn danger", onclick: async () => {
    if (!armed) { armed = true; del.textContent = "Sure?"; return; }
    try { await api("DELETE", table.path + "/" + row.id); reload(); } catch (e) { del.textContent = e.message; }
  } }, "Delete");
  tr.append(...table.columns.map(([key]) => h("td", { class: typeof row[key] === "number" ? "num" : "" }, cell(row, key))),
    h("td", { class: "actions" },
      h("button", { class: "btn", onclick: edit }, "Edit"),
      table.toggle ? h("button", { class: "btn", onclick: async () => {
        await api("PATCH", table.path + "/" + row.id, { enabled: !row.enabled }); reload();
      } }, row.enabled ? "Disable" : "Enable") : null,
      del));
  return tr;
}

async function renderTable(table) {
  const box = $("#rules-" + table.key);
  const reload = () => renderTable(table);
  let rows;
  try {
    rows = await api("GET", table.path);
  } catch (e) {
    box.replaceChildren(h("h2", {}, table.title), h("div", { class: "error" }, e.message));
    return;
  }
  box.replaceChildren(
    h("h2", {}, table.title, h("span", { class: "count" }, "(" + rows.length + ")")),
    ruleForm(table, null, reload),
    h("table", {},
      h("thead", {}, h("tr", {}, table.columns.map(([, label]) => h("th", {}, label)), h("th", {}, ""))),
      h("tbody", {}, rows.length === 0
        ? h("tr", {}, h("td", { class: "empty", colspan: table.columns.length + 1 }, "none"))
        : rows.map((row) => rowEl(table, row, reload)))));
}

function showTab(name) {
  for (const b of document.querySelectorAll("nav button")) b.classList.toggle("on", b.dataset.tab === name);
  $("#live").classList.toggle("hidden", name !== "live");
  $("#rules").classList.toggle("hidden", name !== "rules");
  if (name === "rules") TABLES.forEach(renderTable);
}

async function start() {
  try {
    await loadStats();
    const recent = await api("GET", "/hotpatch/api/corrections?limit=100");
    for (const r of recent) addCorrection(r, false);
    renderTotals();
  } catch (e) {
    if (e.status === 401) return;
    $("#feed-note").textContent = e.message;
  }
  if (state.started) return;
  state.started = true;
  renderRequests();
  follow();
  setInterval(() => loadStats().catch(() => {}), 15000);
}

document.querySelector("#token form").addEventListener("submit", saveToken);
for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => showTab(b.dataset.tab));
pollHealth();
start();
`;
