import { JsonLogger } from './json-logger';

function capture(level: 'error' | 'warn' | 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  return { lines, logger: new JsonLogger(level, 'api', (line) => lines.push(line)) };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, role and context', () => {
    const { lines, logger } = capture();
    logger.log('started', 'Bootstrap');
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'info', role: 'api', context: 'Bootstrap', msg: 'started' });
    expect(Date.parse(entry.time)).not.toBeNaN();
  });

  it('merges structured fields and turns bigints into strings', () => {
    const { lines, logger } = capture();
    logger.log({ msg: 'request', status: 200, messageId: 12n });
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'request', status: 200, messageId: '12' });
  });

  it('keeps the stack of errors and drops levels below the threshold', () => {
    const { lines, logger } = capture('warn');
    logger.debug('noise');
    logger.log('noise');
    logger.error('boom', 'Error: boom\n    at x', 'Worker');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', msg: 'boom', context: 'Worker', stack: 'Error: boom\n    at x' });
  });
});
