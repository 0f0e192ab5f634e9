// Classifies .eml files: `npm run -s feedback:classify -- FILE...`. Prints one JSON line per
// recipient found (at least one per file), in the order of the files given.
import { readFileSync } from 'node:fs';
import { classifyMessage, type Classification, type Evidence } from '../feedback/classify';

interface OutputLine {
  file: string;
  kind: Classification['kind'];
  hard: boolean;
  reason: string | null;
  status: string | null;
  recipient: string | null;
  correlation: Classification['correlation'];
  intent: Classification['intent'];
  newAddress: string | null;
  feedbackType?: string | null;
  /** Why: the rule that decided, the status code, the matched line. */
  evidence?: Evidence | Evidence[];
  error?: string;
}

export function linesFor(file: string, raw: Buffer): OutputLine[] {
  const c = classifyMessage(raw);
  const line = (
    hard: boolean,
    reason: string | null,
    status: string | null,
    recipient: string | null,
    evidence?: Evidence | Evidence[],
  ): OutputLine => ({
    file,
    kind: c.kind,
    hard,
    reason,
    status,
    recipient,
    correlation: c.correlation,
    intent: c.intent,
    newAddress: c.newAddress,
    ...(c.feedbackType ? { feedbackType: c.feedbackType } : {}),
    ...(evidence && (!Array.isArray(evidence) || evidence.length > 0) ? { evidence } : {}),
    ...(c.error ? { error: c.error } : {}),
  });
  if (c.recipients.length === 0) return [line(false, null, null, c.kind === 'reply' ? c.from : null, c.intentEvidence)];
  return c.recipients.map((r) => line(r.hard, r.reason, r.status, r.address, r.evidence));
}

function main(files: string[]): number {
  if (files.length === 0) {
    process.stderr.write('usage: feedback-classify FILE.eml...\n');
    return 2;
  }
  let out = '';
  let failed = 0;
  for (const file of files) {
    let lines: OutputLine[];
    try {
      lines = linesFor(file, readFileSync(file));
    } catch (err) {
      failed++;
      const error = `cannot read file: ${err instanceof Error ? err.message : String(err)}`;
      const correlation = { verpMessageId: null, otklikMessageId: null, originalMessageId: null, references: [] };
      lines = [
        {
          file,
          kind: 'unknown',
          hard: false,
          reason: null,
          status: null,
          recipient: null,
          correlation,
          intent: null,
          newAddress: null,
          error,
        },
      ];
    }
    for (const line of lines) out += JSON.stringify(line) + '\n';
    if (out.length > 1 << 16) {
      process.stdout.write(out);
      out = '';
    }
  }
  process.stdout.write(out);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
