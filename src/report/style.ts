/**
 * The report's one stylesheet, inlined (the page loads nothing). Phone
 * first: one column, wide tables scroll sideways inside their box, short
 * tables of long sentences (class `stack`) turn into cards; charts are SVG
 * scaled to their column. Light and dark follow the viewer's setting.
 */
export const REPORT_CSS = `
:root{--fg:#1d2430;--muted:#5b6577;--bg:#fff;--panel:#f5f7fa;--line:#dde2ea;--accent:#2453c6;--bar:#4f7be8;--bar2:#9aa7bd;
--elite:#1b8a4b;--good:#3f9a6b;--average:#c98a06;--weak:#d4631b;--chaos:#c62c2c;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#a3acbb;--bg:#14171c;--panel:#1d2128;--line:#323845;--accent:#8fb0ff;--bar:#6d93f0;--bar2:#59627a}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1240px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.2rem;margin:32px 0 8px;padding-top:8px;border-top:1px solid var(--line)}
h3{font-size:1rem;margin:16px 0 6px}
p{margin:6px 0}
.meta,.note,caption,small{color:var(--muted)}
a{color:var(--accent)}
nav ul{display:flex;flex-wrap:wrap;gap:6px 14px;list-style:none;padding:0;margin:12px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:16px 0 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card dt{font-size:.8rem;color:var(--muted)}
.card dd{margin:2px 0 0;font-size:1.25rem;font-weight:600;overflow-wrap:anywhere}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px 28px}
figure{margin:0}
figcaption{font-weight:600;margin:8px 0 4px}
svg.chart{width:100%;max-width:440px;height:auto;display:block}
svg.gauge{width:100%;max-width:280px;height:auto;display:block}
.bar{fill:var(--bar)}.bar.other{fill:var(--bar2)}
.bar-label{font-size:14px;fill:var(--fg)}.bar-value{font-size:13px;fill:var(--muted)}
.gauge-track{fill:none;stroke:var(--line);stroke-width:18}
.gauge-value{fill:none;stroke-width:18}
.gauge-big{font-size:30px;font-weight:700;text-anchor:middle;fill:var(--fg)}
.gauge-small{font-size:15px;text-anchor:middle;fill:var(--muted)}
.tier-elite{stroke:var(--elite);fill:var(--elite)}.tier-good{stroke:var(--good);fill:var(--good)}
.tier-average{stroke:var(--average);fill:var(--average)}.tier-weak{stroke:var(--weak);fill:var(--weak)}
.tier-chaos{stroke:var(--chaos);fill:var(--chaos)}
.gauge-value.tier-elite,.gauge-value.tier-good,.gauge-value.tier-average,.gauge-value.tier-weak,.gauge-value.tier-chaos{fill:none}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:8px;margin:8px 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;padding:8px 10px;font-size:.85rem}
th,td{padding:6px 10px;border-top:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--panel);white-space:nowrap;position:sticky;top:0}
td{overflow-wrap:anywhere}
#inventory-table{min-width:980px}
#inventory-table td{overflow-wrap:normal}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
time{white-space:nowrap}
tfoot td{font-weight:600}
th button{all:inherit;cursor:pointer;padding:0}
th button::after{content:" \\2195";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" \\2191"}
th[aria-sort=descending] button::after{content:" \\2193"}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:.78rem;line-height:1.6;background:var(--panel);border:1px solid var(--line);white-space:nowrap}
.sev-critical,.sev-high{background:#fbe3e3;border-color:#e9a5a5;color:#8c1d1d}
.sev-medium{background:#fdf1d8;border-color:#e8c77b;color:#6e4a00}
.sev-low,.sev-info{background:#e6eefc;border-color:#a9bfeb;color:#1f3f85}
.tier{font-weight:700}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0}
.filters input[type=search]{font:inherit;padding:5px 8px;min-width:14em;max-width:100%;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
.filters select{font:inherit;padding:4px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
ul.gaps{margin:0;padding-left:18px}
details{margin:6px 0}
summary{cursor:pointer;color:var(--accent)}
.empty{padding:10px 12px;background:var(--panel);border-radius:8px}
footer{margin:40px auto 24px;color:var(--muted);font-size:.85rem}
@media (max-width:640px){
  body{font-size:14px}
  h2{margin-top:24px}
  .card dd{font-size:1.1rem}
  table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  table.stack tr{display:block;border-top:1px solid var(--line);padding:6px 0}
  table.stack td{display:block;position:relative;border:0;padding:2px 10px 2px 8.5em;text-align:left;min-height:1.6em}
  table.stack td::before{content:attr(data-label);position:absolute;left:10px;width:7.5em;color:var(--muted);font-size:.8rem;line-height:1.8}
  table.stack tfoot td{display:block}
}
@media print{nav,.filters{display:none}.scroll{overflow:visible;border:0}thead th{position:static}}
`;
