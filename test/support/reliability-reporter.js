// A Jest reporter for `npm run test:reliability`: each scenario appends one row (JSON) to
// test-output/reliability/rows.jsonl; at the end this prints them as a table and, as the very
// last line of the run's output, `reliability: <scenarios> scenarios, duplicates: <n>, lost: <n>`.
const fs = require('node:fs');
const path = require('node:path');

const ROWS_FILE = path.join(__dirname, '../../test-output/reliability/rows.jsonl');

class ReliabilityReporter {
  onRunStart() {
    fs.rmSync(ROWS_FILE, { force: true });
  }

  onRunComplete(_contexts, results) {
    const rows = fs.existsSync(ROWS_FILE)
      ? fs.readFileSync(ROWS_FILE, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
      : [];
    const header = ['scenario', 'expected', 'delivered', 'duplicates', 'lost', 'note'];
    const cells = rows.map((r) => [r.scenario, r.expected, r.delivered, r.duplicates, r.lost, r.note].map(String));
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (i === 5 ? 0 : c[i].length))));
    const line = (c) => c.map((v, i) => (i === 0 || i === 5 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ').trimEnd();
    const sum = (key) => rows.reduce((n, r) => n + r[key], 0);
    // Scenarios that failed before their row (a hang, a crash of the harness) still count.
    const scenarios = Math.max(rows.length, results.numTotalTests - results.numPendingTests);
    const out = ['', line(header), ...cells.map(line)];
    if (rows.length < scenarios) out.push(`(${scenarios - rows.length} scenario(s) failed before counting: see above)`);
    out.push(`reliability: ${scenarios} scenarios, duplicates: ${sum('duplicates')}, lost: ${sum('lost')}`);
    // Jest prints its own summary after every reporter: write ours when the process exits.
    process.once('exit', () => fs.writeSync(1, `${out.join('\n')}\n`));
  }
}

module.exports = ReliabilityReporter;
