import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The admin UI's only static files, kept as strings so the build needs no asset copying.
// The layout works from 390 px up: below 48rem the navigation folds behind a Menu toggle (a
// checkbox, no script), tables scroll inside their own box, and nothing makes the page wider.
export const ADMIN_CSS = `
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2937;background:#f8fafc;line-height:1.45}
a{color:#1d4ed8}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;padding:.5rem 1.2rem;background:#1e293b;color:#e2e8f0}
header.top .brand{font-weight:700;color:#fff;text-decoration:none;margin-right:.6rem}
.nav-toggle{position:absolute;opacity:0;width:1px;height:1px;pointer-events:none}.nav-button{display:none}
nav#nav-menu{display:flex;flex-wrap:wrap;align-items:baseline;gap:.3rem 1.1rem;flex:1}
.nav-group{display:flex;flex-wrap:wrap;align-items:baseline;gap:.2rem .7rem}
.nav-heading{font-size:.7rem;text-transform:uppercase;letter-spacing:.06em;color:#94a3b8}
.nav-group ul{display:flex;flex-wrap:wrap;gap:.2rem .7rem;list-style:none;margin:0;padding:0}
nav a{color:#cbd5e1;text-decoration:none;padding:.1rem .1rem;border-bottom:2px solid transparent;font-size:.95rem}nav a:hover{color:#fff}
nav a[aria-current=page]{color:#fff;font-weight:600;border-bottom-color:#60a5fa}
.nav-user{margin-left:auto;display:flex;flex-wrap:wrap;align-items:baseline;gap:.2rem .8rem;font-size:.85rem}.nav-user .who{color:#94a3b8;overflow-wrap:anywhere}
main{max-width:76rem;margin:0 auto;padding:1rem 1.2rem 3rem;overflow-wrap:anywhere}h1{font-size:1.5rem;margin:.6rem 0 1rem}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
.table-wrap{max-width:100%;overflow-x:auto;background:#fff;border:1px solid #e5e7eb;border-radius:8px}
table{border-collapse:collapse;width:max-content;min-width:100%;font-size:.9rem}td{max-width:24rem}th,td{border-bottom:1px solid #e5e7eb;padding:.4rem .55rem;text-align:left;vertical-align:top}
th{background:#f1f5f9;white-space:nowrap}tr:last-child td{border-bottom:0}td{overflow-wrap:normal;word-break:normal}
.stats{display:flex;flex-wrap:wrap;gap:.8rem;margin:.6rem 0}.stat{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.6rem .9rem;min-width:8rem;flex:0 1 auto}
.stat .value{display:block;font-size:1.4rem;font-weight:600}.stat .label{font-size:.8rem;color:#6b7280}.rate{font-size:.85rem;font-weight:400;color:#047857;margin-left:.3rem}
.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.6rem;margin:.8rem 0}.chart > svg{width:100%;height:auto;display:block}.chart figcaption{font-weight:600;font-size:.9rem}
.legend{font-weight:400;font-size:.8rem;margin-left:.8rem;white-space:nowrap}.legend svg{width:10px;height:10px;vertical-align:middle}
form.inline{display:inline}.actions{display:inline-flex;flex-wrap:wrap;gap:.2rem}.action-row{margin:.4rem 0}time{white-space:nowrap}td button{white-space:nowrap}
form.stack{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:1rem;max-width:40rem;margin:.6rem 0}form.stack.wide{max-width:none}
form.stack label{display:block;margin:.6rem 0 .2rem;font-weight:600;font-size:.9rem}form.stack label.check{font-weight:400}
input,select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #cbd5e1;border-radius:6px;max-width:100%;background:#fff}
input:focus,select:focus,textarea:focus,button:focus-visible,a:focus-visible{outline:2px solid #2563eb;outline-offset:1px}
form.stack input:not([type=checkbox]):not([type=radio]),form.stack select,form.stack textarea{width:100%}textarea{font-family:ui-monospace,monospace;font-size:.85rem}
form.search{display:flex;gap:.4rem;flex-wrap:wrap;margin-bottom:.8rem}form.search input{flex:1 1 14rem}
button,a.button{display:inline-block;font:inherit;padding:.4rem .9rem;border:1px solid #1d4ed8;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer;margin:.3rem .2rem .3rem 0;text-decoration:none;line-height:1.3}
button:hover,a.button:hover{background:#1e40af}
button.secondary{background:#fff;color:#1d4ed8}button.secondary:hover{background:#eff6ff}
button.danger{background:#fff;color:#b91c1c;border-color:#dc2626}button.danger:hover{background:#fef2f2}
button.link{background:none;border:0;color:#cbd5e1;padding:0;margin:0;text-decoration:underline}button.link:hover{color:#fff;background:none}
.notice{padding:.5rem .8rem;border-radius:6px}.notice.ok{background:#ecfdf5;color:#047857}.notice.error{background:#fef2f2;color:#b91c1c}
.muted{color:#6b7280}.badge{display:inline-block;padding:0 .45rem;border-radius:4px;background:#e2e8f0;font-size:.8rem;white-space:nowrap}
.status-completed{background:#dcfce7}.status-running,.status-scheduled{background:#dbeafe}.status-paused{background:#fef3c7}.status-cancelled,.status-failed{background:#fee2e2}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.8rem 1rem;margin:0}dl.facts dt{color:#6b7280}dl.facts dd{margin:0}
.customer-form .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:0 1rem}form.stack.customer-form{max-width:60rem}
.field-error{color:#b91c1c;font-size:.85rem;margin:.2rem 0 0}.field.invalid input,fieldset.invalid input[aria-invalid],.field [aria-invalid=true]{border-color:#dc2626;background:#fef2f2}
.hint{font-size:.8rem;margin:.15rem 0 0}fieldset.attributes{border:1px solid #e5e7eb;border-radius:6px;margin:.8rem 0;padding:.4rem .8rem .8rem}fieldset.attributes legend{font-weight:600;font-size:.9rem}
.attribute-row{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,2fr);gap:.4rem;margin-top:.4rem}
dl.facts + .table-wrap,.stats + dl.facts{margin-top:.6rem}ol.timeline{list-style:none;margin:0;padding:.4rem .9rem;background:#fff;border:1px solid #e5e7eb;border-radius:8px}ol.timeline li{padding:.35rem 0;border-bottom:1px solid #f1f5f9}ol.timeline li:last-child{border-bottom:0}ol.timeline time{color:#6b7280}
.consent-opted_in{background:#dcfce7}.consent-opted_out{background:#fee2e2}.consent-pending{background:#fef3c7}
iframe.preview{width:100%;height:32rem;border:1px solid #e5e7eb;background:#fff}pre{white-space:pre-wrap;background:#fff;border:1px solid #e5e7eb;padding:.5rem}code{overflow-wrap:anywhere}
form.stack .field-error{color:#b91c1c;font-size:.85rem;margin:.25rem 0 0;padding-left:1.1rem}[aria-invalid=true]{border-color:#dc2626}
.segment-head{display:grid;grid-template-columns:1fr 2fr;gap:0 1rem}
.segb{margin:1rem 0 .4rem}.segb-group{border:1px solid #cbd5e1;border-radius:8px;padding:.6rem .7rem;margin:0;min-width:0;background:#fff}
.segb-sub{background:#f8fafc;border-style:dashed;margin:.2rem 0}.segb-head{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .6rem;margin-bottom:.4rem}
form.stack .segb-head label,form.stack .segb label.check{display:inline-flex;align-items:center;gap:.25rem;margin:0;font-size:.9rem}form.stack .segb-head > label:first-child{font-weight:600}
form.stack .segb select,form.stack .segb input:not([type=checkbox]){width:auto;max-width:100%}form.stack .segb-head select{flex:0 1 auto}
.segb-items{display:flex;flex-direction:column;gap:.3rem}.segb-joiner{font-size:.75rem;font-weight:700;text-transform:uppercase;color:#64748b;letter-spacing:.05em;padding-left:.3rem}
.segb-row{display:flex;flex-wrap:wrap;align-items:center;gap:.35rem .45rem;padding:.35rem .45rem;border:1px solid #e5e7eb;border-radius:6px;background:#fff}
.segb-row.invalid{border-color:#dc2626;background:#fef2f2}.segb-row .segb-issue{flex-basis:100%}
form.stack .segb-row select{flex:1 1 11rem}form.stack .segb-row input[type=text],form.stack .segb-row input[type=number],form.stack .segb-row input[type=date]{flex:1 1 8rem;min-width:6rem}
form.stack .segb-row input.segb-days{flex:0 1 6rem}form.stack .segb-row input.segb-option{flex:1 1 12rem}
.segb-unit{color:#475569;font-size:.9rem}.segb-choices{display:inline-flex;flex-wrap:wrap;gap:.2rem .7rem}
.segb-row button.segb-remove{margin:0 0 0 auto;padding:.2rem .6rem}.segb-actions{margin-top:.4rem}.segb-empty{margin:.2rem 0}
form.stack .segb-toggle{margin:.6rem 0 0;font-weight:400}.segb-json textarea{min-height:12rem}
.segb-live{margin-top:1rem;border-top:1px solid #e5e7eb}.segb-live h2{margin-top:.8rem}.segb-live h3{font-size:1rem;margin:.8rem 0 .4rem}
.segb-help{margin:1rem 0}.segb-help summary{cursor:pointer;color:#1d4ed8}
form.stack fieldset{border:1px solid #e5e7eb;border-radius:6px;margin:.8rem 0;padding:.1rem .8rem .8rem;min-width:0}form.stack legend{font-weight:600;padding:0 .3rem}
.hint{margin:.2rem 0 0;font-size:.85rem}.field-error{margin:.3rem 0 0}ul.choices{padding-left:1.2rem}ul.choices li{margin:.5rem 0}svg.share-bar{vertical-align:middle}
fieldset{border:1px solid #e5e7eb;border-radius:8px;padding:.4rem .9rem .8rem;margin:.8rem 0;min-width:0}legend{font-weight:600;padding:0 .3rem}
.checks{display:flex;flex-wrap:wrap;gap:.1rem 1rem}.checks.column{flex-direction:column}form.stack .checks label.check{margin:.2rem 0}
form.stack span.label,form.range .label{display:block;margin:.6rem 0 .2rem;font-weight:600;font-size:.9rem}
.field-error{color:#b91c1c;font-size:.85rem;margin:.25rem 0}[aria-invalid=true]{border-color:#dc2626;background:#fef2f2}
.hint{font-size:.8rem;color:#6b7280;margin:.25rem 0}.req{font-weight:400;color:#b45309;font-size:.8rem}
.steps{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:0 0 .6rem}nav.steps a{color:#1d4ed8;text-decoration:underline;font-size:inherit;padding:0}.steps [aria-current]{font-weight:600;border-bottom:2px solid #2563eb}
.preview-box{margin-top:.6rem}.preview-box iframe.preview{height:26rem}.pair{display:flex;flex-wrap:wrap;gap:.2rem 1rem}.reach{font-weight:600;color:#047857;margin:.4rem 0 0}
.tpv{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.8rem 1rem;margin:.6rem 0}.tpv-bar{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin:.3rem 0}
.tpv-bar label{display:inline-flex;align-items:center;gap:.25rem;font-size:.9rem}.tpv-search{flex:1 1 16rem;display:flex;gap:.4rem}.tpv-search input{flex:1 1 auto}
.tpv-results{list-style:none;margin:.2rem 0;padding:0}.tpv-results li{margin:.1rem 0}.tpv-results button{margin:0;text-align:left}
.tpv-for{font-weight:600;margin:.4rem 0}.tpv-note{font-size:.85rem;color:#475569;margin:.3rem 0}.tpv-warn{color:#92400e}
iframe.tpv-frame{display:block;width:640px;max-width:100%;height:40rem;border:1px solid #cbd5e1;background:#fff;margin:.4rem 0}iframe.tpv-frame.phone{width:390px}iframe.tpv-frame.dark{color-scheme:dark;background:#111827}
.sms-live{font-size:.9rem;margin:.3rem 0}.sms-live[data-encoding=UCS-2] .sms-enc{color:#b45309;font-weight:600}
.document{margin:.5rem 0;padding:.3rem 0;border-top:1px solid #f1f5f9}form.stack .document label.sub{font-weight:400;font-size:.8rem}
ul.problems{list-style:none;padding:0;margin:.4rem 0}li.problem{background:#fff;border:1px solid #e5e7eb;border-left:4px solid #dc2626;border-radius:6px;padding:.5rem .7rem;margin:.4rem 0}li.problem.warning{border-left-color:#d97706}
section.confirm{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.8rem 1rem;max-width:40rem}section.confirm .question{font-size:1.2rem;font-weight:600;margin:.2rem 0 .4rem}
form.range{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:flex-end;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.5rem .8rem;margin:.6rem 0}form.range .label{flex-basis:100%;margin:0}.presets{font-size:.9rem}
.datum{display:block}
.tabs ul{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;margin:.4rem 0;padding:0}.tabs a{display:inline-block;padding:.3rem .8rem;border:1px solid #cbd5e1;border-radius:6px 6px 0 0;background:#fff;text-decoration:none}.tabs a[aria-current=page]{background:#1d4ed8;color:#fff;border-color:#1d4ed8;font-weight:600}
.template-editor{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:1rem;margin:.6rem 0}
.template-editor label{display:block;margin:.6rem 0 .2rem;font-weight:600;font-size:.9rem}
.template-editor textarea,.template-editor input:not([type=checkbox]):not([type=radio]){width:100%}
.builder-modes{display:flex;gap:.4rem;margin:.3rem 0 .5rem}
.builder-modes button[aria-pressed=true]{background:#1d4ed8;color:#fff;border-color:#1d4ed8}
.builder-canvas{border:1px solid #e5e7eb;border-radius:6px;overflow:hidden;min-height:30rem}
.builder-button{font-size:.75rem;line-height:1;padding:0 .15rem}
#template-builder .gjs-cv-canvas{width:75%}
#template-builder .gjs-pn-views-container,#template-builder .gjs-pn-views{width:25%}
.with-menu{display:flex;gap:.4rem;align-items:center}.with-menu input{flex:1 1 auto}.variable-menu select{width:auto !important;max-width:16rem}form.stack .variable-menu{margin:.2rem 0}
.field-errors{margin:.3rem 0}.field-errors ul{margin:.2rem 0 0;padding-left:1.1rem}.notice.warning{background:#fffbeb;color:#92400e;margin:.8rem 0}.notice.warning ul{margin:.3rem 0 0;padding-left:1.1rem}
pre.diff span.diff-same,pre.diff ins,pre.diff del{display:block;text-decoration:none;min-height:1.2em}pre.diff ins{background:#dcfce7}pre.diff del{background:#fee2e2}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
form.inline-form{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.6rem 1rem;max-width:40rem}
@media (max-width:48rem){
  .with-menu{flex-wrap:wrap}.with-menu input{flex:1 1 100%}
  .builder-button{white-space:nowrap;font-size:.65rem}
  header.top{padding:.5rem .8rem}
  .nav-button{display:inline-block;margin-left:auto;padding:.3rem .7rem;border:1px solid #475569;border-radius:6px;cursor:pointer}
  .nav-toggle:focus-visible + .nav-button{outline:2px solid #60a5fa}
  nav#nav-menu{display:none;flex-basis:100%;flex-direction:column;gap:.6rem;padding:.4rem 0}
  .nav-toggle:checked ~ nav#nav-menu{display:flex}
  .nav-group{flex-direction:column;gap:.2rem}.nav-group ul{flex-direction:column;gap:.1rem}.nav-group a{display:block;padding:.35rem 0}
  .nav-user{margin-left:0}
  main{padding:.8rem .8rem 2rem}h1{font-size:1.3rem}
  .stat{min-width:calc(50% - .4rem);flex:1 1 calc(50% - .4rem)}
  dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}
  .segment-head{grid-template-columns:1fr}.segb-group{padding:.5rem}.segb-sub{padding:.4rem}
}
`;

/**
 * The browser bundles (src/admin/client/<name>.ts, built into dist/client by `npm run build`),
 * read once and kept: `admin` on every page, a page's own module where it has one. A module
 * that imports CSS (the template builder's GrapesJS styles) also has a `.css` bundle. Undefined
 * for a name that has no bundle.
 */
const bundles = new Map<string, string | null>();
export function clientBundle(name: string, kind: 'js' | 'css' = 'js'): string | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const key = `${name}.${kind}`;
  if (!bundles.has(key)) {
    const file = join(projectRoot(), 'dist', 'client', key);
    bundles.set(key, existsSync(file) ? readFileSync(file, 'utf8') : null);
  }
  return bundles.get(key) ?? undefined;
}

/** The folder holding package.json, above this file whether it runs from src (tests) or dist. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
