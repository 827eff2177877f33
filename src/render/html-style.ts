/** The HTML report's stylesheet: inline, no web fonts, light and dark, phone and laptop. */
export const HTML_STYLE = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d8dee4;--panel:#f6f8fa;--code:#eff2f5;
--pass:#1a7f37;--warn:#9a6700;--fail:#cf222e;--skip:#8c959f;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;
--panel:#151b23;--code:#1f2630;--pass:#3fb950;--warn:#d29922;--fail:#f85149;--skip:#6e7681}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.page{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
h3{font-size:.95rem;margin:1rem 0 .35rem}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);padding:.05rem .3rem;border-radius:4px;overflow-wrap:anywhere}
pre{background:var(--code);padding:.6rem;border-radius:6px;overflow:auto;max-height:24rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0}
.meta{color:var(--muted);margin:.2rem 0;overflow-wrap:anywhere}
.notice{border-left:4px solid var(--warn);padding:.4rem .8rem;margin:.6rem 0;font-weight:600;overflow-wrap:anywhere}
.summary{display:flex;flex-wrap:wrap;align-items:center;gap:1rem 2rem;background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem;margin:1rem 0}
.donut{width:7.5rem;height:7.5rem;flex:none}
.donut circle{fill:none;stroke-width:5}
.donut .ring{stroke:var(--line)}
.donut text{fill:var(--fg);font:bold 8px system-ui,sans-serif;text-anchor:middle;dominant-baseline:central}
.counts{display:grid;grid-template-columns:repeat(4,minmax(4.5rem,1fr));gap:.5rem;margin:0}
.counts div{border-left:4px solid var(--c);padding:.1rem .6rem}
.counts dt{color:var(--muted);font-size:.8rem}
.counts dd{margin:0;font-size:1.6rem;font-weight:700}
.summary-line{flex-basis:100%;margin:0;color:var(--muted)}
.PASS{--c:var(--pass)}.WARN{--c:var(--warn)}.FAIL{--c:var(--fail)}.SKIP{--c:var(--skip)}
.seg{stroke:var(--c)}
.filters{display:flex;flex-wrap:wrap;gap:.4rem;position:sticky;top:0;background:var(--bg);padding:.5rem 0;z-index:1;border-bottom:1px solid var(--line)}
.filters button{font:inherit;color:var(--fg);background:var(--panel);border:1px solid var(--line);border-radius:999px;padding:.3rem .8rem;cursor:pointer;min-height:2.2rem}
.filters button[aria-pressed=true]{background:var(--fg);color:var(--bg)}
.filters .spacer{flex:1}
.badge{color:var(--c);font-weight:600;white-space:nowrap}
.table{border:1px solid var(--line);border-radius:8px;overflow:hidden}
.row{display:grid;grid-template-columns:1rem 5.5rem minmax(10rem,17rem) 1fr 6.5rem;gap:.6rem;padding:.45rem .7rem;align-items:baseline}
.head{background:var(--panel);color:var(--muted);font-size:.8rem;font-weight:600}
.result{border-top:1px solid var(--line)}
.result>summary{cursor:pointer;list-style:none}
.result>summary::-webkit-details-marker{display:none}
.result>summary:hover{background:var(--panel)}
.chev{color:var(--muted);transition:transform .15s}
.result[open]>summary .chev{transform:rotate(90deg)}
.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
.detail{overflow-wrap:anywhere;white-space:pre-line}
.latency{text-align:right;color:var(--muted);font-variant-numeric:tabular-nums}
.latency small{display:block;font-size:.75rem}
.body{padding:.2rem .9rem 1rem 2.3rem;border-top:1px dashed var(--line)}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.3rem 1rem;margin:.6rem 0}
.facts dt{color:var(--muted);font-size:.75rem}
.facts dd{margin:0;overflow-wrap:anywhere}
table.grid{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}
table.grid th,table.grid td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
table.grid th{background:var(--panel);white-space:nowrap}
table.grid td[class^=sev-]{white-space:nowrap}
.sev-fail{color:var(--fail);font-weight:600}.sev-warn{color:var(--warn);font-weight:600}
.chip{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 .5rem;margin:.1rem .2rem .1rem 0;font-size:.85rem}
.exchange{border-left:3px solid var(--line);padding-left:.7rem;margin:.8rem 0}
.exchange summary{cursor:pointer;color:var(--muted);font-size:.85rem}
.exchange p{margin:.3rem 0}
.note{color:var(--muted);font-size:.85rem}
.deviation{border:1px solid var(--line);border-radius:8px;padding:.2rem .9rem;margin:.6rem 0}
footer{color:var(--muted);font-size:.8rem;margin:2rem 0 1rem}
@media (max-width:640px){
.page{padding:.6rem}
.row{grid-template-columns:1rem 5rem 1fr;gap:.2rem .5rem}
.row .detail{grid-column:2/-1}
.row .latency{grid-column:2/-1;text-align:left}
.head{display:none}
.body{padding-left:.8rem}
.counts{grid-template-columns:repeat(2,minmax(4.5rem,1fr));flex:1}
table.grid th,table.grid td{min-width:7.5rem;overflow-wrap:break-word}
}
`;
