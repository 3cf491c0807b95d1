// The status page's stylesheet (inline in the document; its hash is in the page's CSP). Cards in a grid
// that collapses to one column on a phone; wide tables scroll inside their card, never the page.
export const PAGE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f4f5f7; --card: #ffffff; --fg: #1d2330; --muted: #667085; --line: #e3e6eb;
  --ok: #137a3b; --warn: #a15c00; --bad: #b42318; --accent: #2f5bd3;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #11151c; --card: #1a202a; --fg: #e6e9ef; --muted: #98a2b3; --line: #2b3340; --accent: #7aa2ff; }
}
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body {
  background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
header {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px;
  padding: 12px 16px; border-bottom: 1px solid var(--line); background: var(--card);
}
header h1 { font-size: 17px; margin: 0; }
header .ids { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
.conn { font-weight: 600; padding: 2px 10px; border-radius: 999px; border: 1px solid currentColor; }
.conn.live { color: var(--ok); }
.conn.connecting { color: var(--warn); }
.conn.down { color: var(--bad); }
main {
  display: grid; gap: 12px; padding: 12px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 340px), 1fr));
}
section {
  background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 14px; min-width: 0;
}
section.wide { grid-column: 1 / -1; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 8px; }
.big { font-size: 30px; font-weight: 700; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 12px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px 4px 0; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { color: var(--muted); font-weight: 500; font-size: 12px; }
tr.mine td { font-weight: 600; }
.tag { font-size: 11px; padding: 0 6px; border-radius: 4px; border: 1px solid var(--line); margin-left: 4px; }
.tag.leader { color: var(--accent); border-color: var(--accent); }
.tag.mine { color: var(--ok); border-color: var(--ok); }
.missed { color: var(--bad); }
.muted { color: var(--muted); }
progress { width: 100%; height: 10px; }
td progress { width: 70px; vertical-align: middle; }
footer { padding: 8px 16px 16px; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
#error { color: var(--bad); }
@media (max-width: 480px) {
  main { padding: 8px; gap: 8px; }
  .big { font-size: 26px; }
  th, td { padding-right: 6px; }
}
`;
