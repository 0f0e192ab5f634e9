// Optional: runs the classifier over a corpus of real bounces kept outside the repository (never
// copied in): the .eml files of sisimai's set-of-emails and an expected.jsonl of their kind,
// recipients, status, reason and hardness, in a folder `bounces-sisimai`. Fails below the
// targets below, per file, first recipient. Without the folder the suite is skipped and says so.
// It prints the first pass's rate but does not judge it: speed is measured by
// `npm run bench:inbound` (which classifies the same corpus), not by a timed test on a shared machine.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { classifyMessage } from './classify-message';
import type { Classification } from './types';

// Looked for in ../shared/corpora beside the checkout, then at /work/shared/corpora;
// OTKLIK_BOUNCE_CORPUS (the folder itself) overrides both.
const CORPUS =
  process.env.OTKLIK_BOUNCE_CORPUS ??
  [path.resolve(__dirname, '../../../../shared/corpora/bounces-sisimai'), '/work/shared/corpora/bounces-sisimai'].find((dir) =>
    existsSync(path.join(dir, 'expected.jsonl')),
  ) ??
  '/work/shared/corpora/bounces-sisimai';
const TARGETS = { kind: 0.98, hard: 0.95, reason: 0.85, recipient: 0.97 };

interface Expected {
  file: string;
  kind: string;
  recipients: Array<{ status: string | null; reason: string; hard: boolean; feedbacktype: string | null }>;
}

const present = existsSync(path.join(CORPUS, 'expected.jsonl'));
if (!present) {
  console.warn(`SKIPPED: bounce corpus not found at ${CORPUS}; the corpus accuracy targets were NOT checked.`);
}

(present ? describe : describe.skip)('bounce corpus (sisimai set-of-emails)', () => {
  const expected: Expected[] = present
    ? readFileSync(path.join(CORPUS, 'expected.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Expected)
    : [];
  const raws = expected.map((e) => readFileSync(path.join(CORPUS, e.file)));
  let results: Classification[] = [];
  let coldRate = 0;

  beforeAll(() => {
    const start = process.hrtime.bigint();
    results = raws.map((raw) => classifyMessage(raw));
    coldRate = raws.length / (Number(process.hrtime.bigint() - start) / 1e9);
  });

  it('has an expectation for every message file', () => {
    const files = readdirSync(path.join(CORPUS, 'eml')).filter((f) => f.endsWith('.eml'));
    expect(expected.length).toBe(files.length);
  });

  it('meets the kind, hard/soft, reason and recipient targets', () => {
    let kind = 0;
    let hard = 0;
    let reason = 0;
    let recipient = 0;
    let soft = 0;
    let softCalledHard = 0;
    const misses: string[] = [];
    expected.forEach((e, i) => {
      const got = results[i];
      const want = e.recipients[0];
      const first = got.recipients[0];
      const ok = {
        kind: got.kind === e.kind,
        hard: (first?.hard ?? false) === want.hard,
        reason: first?.reason === want.reason,
        recipient: Boolean(first?.address),
      };
      kind += Number(ok.kind);
      hard += Number(ok.hard);
      reason += Number(ok.reason);
      recipient += Number(ok.recipient);
      if (e.kind === 'bounce' && !want.hard) {
        soft++;
        softCalledHard += Number(first?.hard ?? false);
      }
      if (!ok.kind || !ok.reason) misses.push(`${e.file}: want ${e.kind}/${want.reason} got ${got.kind}/${first?.reason ?? '-'}`);
    });
    const n = expected.length;
    const measured = { kind: kind / n, hard: hard / n, reason: reason / n, recipient: recipient / n };
    const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
    console.log(
      `bounce corpus, ${n} files: kind ${pct(measured.kind)}, hard/soft ${pct(measured.hard)}, reason ${pct(measured.reason)}, ` +
        `recipient found ${pct(measured.recipient)}; soft bounces called hard ${softCalledHard} of ${soft}; first pass ${coldRate.toFixed(0)} msg/s\n` +
        `misses (kind or reason):\n  ${misses.join('\n  ')}`,
    );
    expect(measured.kind).toBeGreaterThanOrEqual(TARGETS.kind);
    expect(measured.hard).toBeGreaterThanOrEqual(TARGETS.hard);
    expect(measured.reason).toBeGreaterThanOrEqual(TARGETS.reason);
    expect(measured.recipient).toBeGreaterThanOrEqual(TARGETS.recipient);
  });
});

if (!present) {
  it.skip(`bounce corpus accuracy (corpus missing at ${CORPUS})`, () => undefined);
}
