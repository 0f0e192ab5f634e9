#!/usr/bin/env node
// `node scripts/import-graph.js [--markdown]`: which top-level folders of src/ import which,
// computed from the relative imports of the non-test sources (src/**/*.ts, without *.spec.ts;
// `import type` included, since it ties the folders' code together all the same). Prints each
// folder with the folders it imports (and how many import lines), then the pairs that import
// each other. Used for docs/architecture.md.
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.resolve(__dirname, '../src');
const IGNORED = new Set(['generated']);

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) out.push(full);
  }
  return out;
}

function folderOf(file) {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? '(root)' : rel[0];
}

const edges = new Map();
for (const file of walk(SRC)) {
  const from = folderOf(file);
  if (IGNORED.has(from)) continue;
  const text = fs.readFileSync(file, 'utf8');
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), match[1]);
    if (!target.startsWith(SRC + path.sep)) continue;
    const to = folderOf(target.endsWith('.ts') ? target : `${target}.ts`);
    if (to === from || IGNORED.has(to)) continue;
    const key = `${from} ${to}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}

const byFolder = new Map();
for (const [key, count] of edges) {
  const [from, to] = key.split(' ');
  if (!byFolder.has(from)) byFolder.set(from, []);
  byFolder.get(from).push(`${to} (${count})`);
}
const folders = [...byFolder.keys()].sort();
const mutual = [...edges.keys()]
  .map((key) => key.split(' '))
  .filter(([from, to]) => from < to && edges.has(`${to} ${from}`))
  .map(([a, b]) => `${a} ↔ ${b}`);

const markdown = process.argv.includes('--markdown');
if (markdown) console.log('| folder | imports (import lines) |\n| --- | --- |');
for (const folder of folders) {
  const targets = byFolder.get(folder).sort().join(', ');
  console.log(markdown ? `| \`${folder}\` | ${targets} |` : `${folder} → ${targets}`);
}
console.log(markdown ? `\nPairs that import each other: ${mutual.join(', ') || 'none'}.` : `\nmutual: ${mutual.join(', ') || 'none'}`);
