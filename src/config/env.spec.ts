import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, parseEnv } from './env';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/otklik',
  SECRET_KEY: 'x'.repeat(32),
};

describe('parseEnv', () => {
  it('fills defaults around the required variables', () => {
    const env = parseEnv(valid);
    expect(env.OTKLIK_ROLE).toBe('all');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PORT).toBe(3000);
    expect(env.WORKER_QUEUES).toBeUndefined();
  });

  it("spools inbound mail in a directory of its own OS user by default (another user's 0700 directory would be unreadable)", () => {
    expect(parseEnv(valid).INBOUND_SPOOL_DIR).toBe(path.join(tmpdir(), `otklik-inbound-spool-${process.getuid!()}`));
    expect(parseEnv({ ...valid, INBOUND_SPOOL_DIR: '/var/spool/otklik' }).INBOUND_SPOOL_DIR).toBe('/var/spool/otklik');
  });

  it('reads the queues a worker serves', () => {
    expect(parseEnv({ ...valid, WORKER_QUEUES: 'transactional' }).WORKER_QUEUES).toEqual(['transactional']);
    expect(parseEnv({ ...valid, WORKER_QUEUES: ' bulk , campaigns ' }).WORKER_QUEUES).toEqual(['bulk', 'campaigns']);
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, /^Invalid configuration: DATABASE_URL: expected a postgresql:\/\//],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL: expected a postgresql/],
    [{ DATABASE_URL: undefined }, /DATABASE_URL: is required but not set/],
    [{ DATABASE_URL: '' }, /DATABASE_URL: is required but not set/],
    [{ SECRET_KEY: 'short' }, /SECRET_KEY: expected at least 32 characters/],
    [{ PORT: '70000' }, /PORT: /],
    [{ PORT: '-1' }, /PORT: /],
    [{ OTKLIK_ROLE: 'mailer' }, /OTKLIK_ROLE: /],
    [{ DEFAULT_TIME_ZONE: 'Mars/Olympus' }, /DEFAULT_TIME_ZONE: expected an IANA time zone/],
    [{ SMTP_URL: 'http://smtp.example.com' }, /SMTP_URL: expected a smtp:\/\/ or smtps:\/\/ URL/],
    [{ WORKER_QUEUES: 'transactional,mail' }, /WORKER_QUEUES: unknown queue mail; expected some of transactional, bulk/],
  ])('rejects %p in one line naming the variable', (override, message) => {
    let thrown: unknown;
    try {
      parseEnv({ ...valid, ...override });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const text = (thrown as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('never echoes a secret back', () => {
    expect(() => parseEnv({ ...valid, DATABASE_URL: 'postgresql://u:hunter2hunter2@' })).toThrow(ConfigError);
    try {
      parseEnv({ ...valid, DATABASE_URL: 'postgresql://u:hunter2hunter2@' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
