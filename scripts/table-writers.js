#!/usr/bin/env node
// Prints, for the tables that should have one owner, which folders of src/ write them (Prisma
// create/update/upsert/delete calls and INSERT/UPDATE/DELETE/COPY SQL), and in which files.
//   node scripts/table-writers.js [--json]
// A heuristic read of the source, not a parser: it is for spotting a second writer.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.resolve(__dirname, '..', 'src');
const TABLES = {
  messages: { model: 'message', sql: 'messages' },
  suppressions: { model: 'suppression', sql: 'suppressions' },
  campaigns: { model: 'campaign', sql: 'campaigns' },
  consents: { model: 'consent', sql: 'consents' },
  consent_pauses: { model: 'consentPause', sql: 'consent_pauses' },
  bounces: { model: 'bounce', sql: 'bounces' },
};
const WRITE = '(?:create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)';

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : walk(full);
    return /\.ts$/.test(e.name) && !/\.spec\.ts$/.test(e.name) ? [full] : [];
  });
}

const result = {};
for (const [table, { model, sql }] of Object.entries(TABLES)) {
  const prismaWrite = new RegExp(`\\.${model}\\.${WRITE}\\s*\\(`);
  const sqlWrite = new RegExp(`\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|COPY)\\s+(?:ONLY\\s+)?"?${sql}"?\\b`, 'i');
  const byFolder = {};
  for (const file of walk(SRC)) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\s*(?:\/\/|\*).*$/gm, '');
    if (!prismaWrite.test(text) && !sqlWrite.test(text)) continue;
    const rel = path.relative(SRC, file);
    const folder = rel.includes(path.sep) ? rel.split(path.sep)[0] : '(root)';
    (byFolder[folder] ??= []).push(rel);
  }
  result[table] = byFolder;
}

if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
else
  for (const [table, byFolder] of Object.entries(result)) {
    const folders = Object.keys(byFolder).sort();
    console.log(`${table}: ${folders.length} folder(s)`);
    for (const f of folders) console.log(`  ${f}: ${byFolder[f].join(', ')}`);
  }
