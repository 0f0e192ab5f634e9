// Reading SpamAssassin's verdict (`spamassassin -L -t` prints the message with its X-Spam-Status
// header, the rules hit folded over several lines). Pure.

export interface SpamVerdict {
  score: number;
  required: number;
  /** The rules that hit, as SpamAssassin names them. */
  tests: string[];
}

/** The verdict in `spamassassin -t` output, or null when there is none. */
export function parseSpamStatus(output: string): SpamVerdict | null {
  const start = output.search(/^X-Spam-Status:/m);
  if (start < 0) return null;
  // The header with its folded continuation lines.
  const lines = output.slice(start).split(/\r?\n/);
  let header = lines[0];
  for (const line of lines.slice(1)) {
    if (!/^[ \t]/.test(line)) break;
    header += ` ${line.trim()}`;
  }
  const score = /score=(-?\d+(?:\.\d+)?)/.exec(header);
  const required = /required=(-?\d+(?:\.\d+)?)/.exec(header);
  if (!score) return null;
  // The rules run up to the next `name=` field; folding may have put spaces after commas.
  const tests = /tests=(.*?)(?:\s+\w+=|$)/.exec(header)?.[1].replace(/\s+/g, '') ?? '';
  return {
    score: Number(score[1]),
    required: required ? Number(required[1]) : 5,
    tests: tests
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t && t !== 'none'),
  };
}
