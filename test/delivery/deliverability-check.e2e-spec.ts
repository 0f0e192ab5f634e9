// `npm run deliverability:check` (issue 19): the default email templates, rendered with sample
// data into the MIME Otklik sends, score at most 2.0 with SpamAssassin's local rules. Without
// the spamassassin command the script says so loudly and checks nothing (asserted as such).
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { NODE, ROOT } from '../support/test-env';

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, 'dist/src/cli/deliverability-check.js');
const installed = spawnSync('spamassassin', ['--version'], { stdio: 'ignore' }).status === 0;

async function check(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(NODE, [SCRIPT, ...args], { cwd: ROOT, maxBuffer: 10 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('deliverability:check', () => {
  it('scores every default email template at most 2.0', async () => {
    const result = await check([]);
    if (!installed) {
      expect(result.stderr).toMatch(/^SKIPPED: the spamassassin command is not installed/);
      expect(result.code).toBe(0);
      return;
    }
    const lines = result.stdout.trim().split('\n');
    const scored = lines.filter((line) => /^(ok|FAIL)\s/.test(line));
    expect(scored.length).toBeGreaterThanOrEqual(30);
    for (const line of scored) {
      const score = Number(/^\S+\s+(-?\d+\.\d)\s/.exec(line)?.[1]);
      expect({ line, within: score <= 2.0 }).toEqual({ line, within: true });
    }
    expect(lines[lines.length - 1]).toMatch(/^\d+ templates, 0 above 2\.0 or not rendered$/);
    expect(result.code).toBe(0);
  }, 120_000);

  it('fails a template above the limit, and names an unknown one', async () => {
    if (!installed) return;
    const strict = await check(['b2c-promo.ru', '--max', '0.1']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^FAIL\s+\d+\.\d\s+b2c-promo\.ru\s/m);
    const unknown = await check(['no-such-template']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no email template no-such-template');
  }, 60_000);
});
