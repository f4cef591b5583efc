/** The page's stylesheet, inlined (no network). Light and dark via prefers-color-scheme. */
export const STYLES = `
:root{--bg:#f7f8fa;--card:#fff;--fg:#1d2330;--muted:#5f6b7a;--line:#dde2e8;--ok:#1f8a4c;--bad:#c62f2f;--warn:#b7791f;--accent:#2f5fb3;--okbg:#e4f4ea;--badbg:#fbe6e6;--warnbg:#fdf1dc}
@media (prefers-color-scheme:dark){:root{--bg:#12151b;--card:#1b2029;--fg:#e4e8ee;--muted:#9aa5b4;--line:#2c3340;--okbg:#173325;--badbg:#3a1c1c;--warnbg:#3a2d14;--accent:#7aa2f7}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{padding:18px 28px;background:var(--card);border-bottom:1px solid var(--line);display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
header h1{margin:0;font-size:20px}
header .summary{color:var(--muted)}
nav{position:sticky;top:0;z-index:1;background:var(--card);border-bottom:1px solid var(--line);padding:8px 28px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
nav a{color:var(--accent);text-decoration:none}
main{padding:20px 28px;max-width:1500px}
section.card,section.suite,section.run{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 18px}
section.run{margin-left:18px}
h2{font-size:17px;margin:0 0 10px}
h3{font-size:15px;margin:0 0 10px}
small{color:var(--muted);font-weight:normal}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);white-space:nowrap}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.name{font-weight:600;word-break:break-word}
td.type{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:var(--muted);overflow-wrap:anywhere;min-width:12em}
td.observed{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.overview{display:flex;gap:24px;flex-wrap:wrap;margin-bottom:12px}
.overview table{width:auto;min-width:280px}
.overview th{font-weight:normal;color:var(--muted)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.badge.ok{background:var(--okbg);color:var(--ok)}
.badge.bad{background:var(--badbg);color:var(--bad)}
.badge.warn{background:var(--warnbg);color:var(--warn)}
.sev.error{color:var(--bad)}
.sev.warn{color:var(--warn)}
.meter{height:4px;background:var(--badbg);border-radius:2px;margin-top:3px;min-width:60px}
.meter span{display:block;height:4px;background:var(--ok);border-radius:2px}
.note{font-size:11px;color:var(--muted);font-weight:normal}
p.note{font-size:13px;margin:0 0 8px}
.samples code{display:inline-block;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:0 4px;margin:1px;font-size:12px;max-width:260px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;vertical-align:bottom}
.samples ul{margin:0;padding-left:16px}
.samples .rows{font-size:12px;color:var(--muted)}
.samples .error{color:var(--bad)}
.chart,.spark{display:block;overflow:visible}
.chart .grid,.spark .grid{stroke:var(--line);stroke-width:1}
.chart .axis{fill:var(--muted);font-size:10px}
.chart .bar.ok{fill:var(--okbg);stroke:var(--ok)}
.chart .bar.bad{fill:var(--badbg);stroke:var(--bad)}
.chart .line,.spark .line{stroke:var(--accent);stroke-width:2}
.chart .pt{fill:var(--accent)}
.spark .pt.ok{fill:var(--ok)}
.spark .pt.bad{fill:var(--bad)}
.legend{font-size:12px;color:var(--muted);margin:4px 0 10px}
.empty{color:var(--muted)}
tr.hidden,section.hidden{display:none}
`;
