#!/usr/bin/env node
// Prints the folder→folder import graph of src/: which top-level folder imports which,
// the pairs of folders that import each other, the cycles between folders, and the
// arrows that run against the layering below (a folder importing one listed above it).
//
//   node scripts/import-graph.js           the report
//   node scripts/import-graph.js --json    the same as JSON
//   node scripts/import-graph.js --markdown  the folder table of docs/architecture.md
//   node scripts/import-graph.js --check   exit 1 on a mutual pair or more than one back arrow
//
// Every relative import counts: `import`, `import type`, `export … from`, `import()` and
// `require()`. Files directly under src/ count as the folder "(root)". Unit tests beside the
// code (*.spec.ts) are left out unless --with-tests is given: a test may reach across.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.resolve(__dirname, '..', 'src');
const WITH_TESTS = process.argv.includes('--with-tests');

// Lowest layer first. A folder may import folders in its own layer or below; an import of
// a folder in a higher layer is an arrow running back up.
const LAYERS = [
  ['generated', 'common'],
  ['config'],
  ['database', 'queue'],
  ['auth'],
  ['templates', 'documents', 'segments', 'scoring'],
  ['customers'],
  ['brand'],
  ['tracking'],
  ['delivery'],
  ['campaigns', 'triggers'],
  ['feedback'],
  ['reports', 'health', 'demo'],
  ['admin', 'cli', '(root)'],
];

function layerOf(folder) {
  const index = LAYERS.findIndex((layer) => layer.includes(folder));
  return index === -1 ? LAYERS.length : index;
}

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (/\.(ts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      if (WITH_TESTS || !/\.spec\.ts$/.test(entry.name)) out.push(full);
    }
  }
  return out;
}

function folderOf(file) {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(path.sep);
  return parts.length === 1 ? '(root)' : parts[0];
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;

function graph() {
  const edges = new Map(); // "a→b" -> [file, …]
  const folders = new Set();
  for (const file of walk(SRC)) {
    const from = folderOf(file);
    folders.add(from);
    const text = fs
      .readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const match of text.matchAll(IMPORT)) {
      const to = folderOf(path.resolve(path.dirname(file), match[1]));
      if (!to || to === from) continue;
      const key = `${from}→${to}`;
      if (!edges.has(key)) edges.set(key, []);
      edges.get(key).push(path.relative(SRC, file));
    }
  }
  return { folders: [...folders].sort(), edges };
}

function cycles(folders, edges) {
  // Strongly connected components (Tarjan); a component of more than one folder is a knot.
  const next = new Map(folders.map((f) => [f, []]));
  for (const key of edges.keys()) {
    const [a, b] = key.split('→');
    next.get(a).push(b);
  }
  let index = 0;
  const stack = [];
  const info = new Map();
  const components = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index += 1;
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) {
        info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
      }
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const f of folders) if (!info.has(f)) visit(f);
  return components;
}

function report() {
  const { folders, edges } = graph();
  const keys = [...edges.keys()].sort();
  const mutual = keys
    .map((k) => k.split('→'))
    .filter(([a, b]) => a < b && edges.has(`${b}→${a}`))
    .map(([a, b]) => `${a}↔${b}`);
  const back = keys.filter((k) => {
    const [a, b] = k.split('→');
    return layerOf(b) > layerOf(a);
  });
  const unlayered = folders.filter((f) => layerOf(f) === LAYERS.length);
  return { folders, edges, keys, mutual, back, knots: cycles(folders, edges), unlayered };
}

const r = report();
if (process.argv.includes('--json')) {
  const out = { ...r, edges: Object.fromEntries(r.keys.map((k) => [k, r.edges.get(k)])) };
  delete out.keys;
  console.log(JSON.stringify(out, null, 2));
} else if (process.argv.includes('--markdown')) {
  console.log('| folder | imports (files importing) |\n| --- | --- |');
  for (const from of r.folders) {
    const tos = r.keys.filter((k) => k.startsWith(`${from}→`));
    if (tos.length === 0) continue;
    console.log(`| \`${from}\` | ${tos.map((k) => `${k.split('→')[1]} (${r.edges.get(k).length})`).join(', ')} |`);
  }
} else {
  console.log('Folder → folders it imports (files importing):');
  for (const from of r.folders) {
    const tos = r.keys.filter((k) => k.startsWith(`${from}→`));
    if (tos.length === 0) continue;
    console.log(`  ${from} → ${tos.map((k) => `${k.split('→')[1]} (${r.edges.get(k).length})`).join(', ')}`);
  }
  console.log(`\nMutual pairs (${r.mutual.length}): ${r.mutual.join(', ') || 'none'}`);
  console.log(`Knots (folders tied into one cycle): ${r.knots.map((c) => `{${c.join(', ')}}`).join(' ') || 'none'}`);
  console.log(`Arrows against the layering (${r.back.length}):`);
  for (const k of r.back) console.log(`  ${k}  ← ${r.edges.get(k).join(', ')}`);
  if (r.unlayered.length) console.log(`Folders missing from LAYERS: ${r.unlayered.join(', ')}`);
}
if (process.argv.includes('--check') && (r.mutual.length > 0 || r.back.length > 1 || r.unlayered.length > 0)) {
  process.exitCode = 1;
}
