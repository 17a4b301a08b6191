/**
 * The dashboard's stylesheet (inlined into the page).
 * @module
 */

/** CSS of the dashboard. */
export const DASHBOARD_CSS = String.raw`
:root {
  --bg: #f5f6f8; --panel: #fff; --ink: #1d2330; --muted: #6b7280; --line: #e3e6eb;
  --accent: #2f6fed; --ok: #16a34a; --bad: #dc2626; --warn: #d97706;
  --del: #fde2e2; --del-ink: #9f1239; --ins: #dcfce7; --ins-ink: #166534;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); }
header {
  display: flex; align-items: center; gap: 16px; padding: 10px 20px;
  background: #111827; color: #f9fafb;
}
header h1 { font-size: 18px; margin: 0; letter-spacing: .3px; }
header .meta { color: #9ca3af; font-size: 13px; }
header .spacer { flex: 1; }
.pill { display: inline-flex; align-items: center; gap: 6px; padding: 2px 10px; border-radius: 999px;
  font-size: 12px; background: #1f2937; color: #e5e7eb; white-space: nowrap; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--muted); display: inline-block; }
.dot.ok { background: var(--ok); } .dot.bad { background: var(--bad); } .dot.warn { background: var(--warn); }
nav { display: flex; gap: 4px; padding: 0 20px; background: #1f2937; }
nav button { background: none; border: 0; color: #d1d5db; padding: 8px 14px; cursor: pointer;
  font: inherit; border-bottom: 2px solid transparent; }
nav button.on { color: #fff; border-bottom-color: var(--accent); }
main { padding: 16px 20px; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin-bottom: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .4px; }
.card .value { font-size: 24px; font-weight: 600; }
.card .sub { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 16px; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  margin-bottom: 16px; overflow: hidden; }
section.panel > h2 { font-size: 14px; margin: 0; padding: 10px 14px; border-bottom: 1px solid var(--line);
  display: flex; align-items: center; gap: 8px; }
section.panel > h2 .count { color: var(--muted); font-weight: normal; }
.empty { color: var(--muted); padding: 14px; }
.feed { max-height: 70vh; overflow: auto; }
.corr { padding: 10px 14px; border-bottom: 1px solid var(--line); }
.corr.fresh { animation: flash 1.5s ease-out; }
@keyframes flash { from { background: #fff7d6; } to { background: transparent; } }
.corr .top { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; font-size: 12px; color: var(--muted); }
.badge { font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 4px; background: #eef2ff; color: #3730a3; }
.badge.action-corrected, .badge.action-moved, .badge.action-converted { background: #dcfce7; color: #166534; }
.badge.action-ended { background: #fee2e2; color: #991b1b; }
.badge.action-annotated { background: #fef3c7; color: #92400e; }
.badge.action-detected { background: #f3f4f6; color: #374151; }
.diff { font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 6px 0 4px;
  white-space: pre-wrap; word-break: break-word; background: #f9fafb; border: 1px solid var(--line);
  border-radius: 6px; padding: 6px 8px; max-height: 150px; overflow: auto; }
.diff del { background: var(--del); color: var(--del-ink); text-decoration: line-through; }
.diff ins { background: var(--ins); color: var(--ins-ink); text-decoration: none; }
.diff .note { color: var(--muted); font-style: italic; }
.diff .cut { color: var(--del-ink); opacity: .75; text-decoration: line-through; }
.reason { font-size: 13px; }
.reason b { font-weight: 600; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
#requests code { white-space: nowrap; word-break: normal; }
#requests td.num, #requests th.num { white-space: nowrap; }
#requests .sub { color: var(--muted); font-size: 12px; }
td code, .mono { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
tr.running td { color: var(--muted); }
.status-bad { color: var(--bad); font-weight: 600; }
form.rule { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; padding: 10px 14px;
  border-bottom: 1px solid var(--line); background: #fafbfc; }
form.rule label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
form.rule label.check { flex-direction: row; align-items: center; gap: 4px; padding-bottom: 6px; }
input, select, textarea { font: inherit; padding: 5px 7px; border: 1px solid #cfd4dc; border-radius: 5px;
  background: #fff; color: var(--ink); }
textarea { font: 12px ui-monospace, monospace; min-width: 320px; min-height: 54px; }
button.btn { font: inherit; font-size: 13px; padding: 5px 11px; border-radius: 5px; border: 1px solid #cfd4dc;
  background: #fff; cursor: pointer; }
button.btn.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.btn.danger { color: var(--bad); }
.error { color: var(--bad); font-size: 13px; width: 100%; }
.actions { white-space: nowrap; display: flex; gap: 4px; }
.off td { opacity: .55; }
.token { max-width: 420px; margin: 60px auto; background: var(--panel); border: 1px solid var(--line);
  border-radius: 8px; padding: 20px; }
.token h2 { margin-top: 0; font-size: 16px; }
.hidden { display: none !important; }
@media (max-width: 980px) { .grid { grid-template-columns: 1fr; } .cards { grid-template-columns: repeat(2, 1fr); } }
`;
