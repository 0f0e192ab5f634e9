// `npm run -s users:create -- --email … --role …`: the first admin of the web UI, from dist as
// an operator runs it; the printed password signs in.
import { PrismaService } from '../../src/database/prisma.service';
import { runCli } from '../support/test-env';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

async function signIn(email: string, password: string): Promise<number> {
  const page = await fetch(`${t.url}/admin/login`);
  const cookie = /otk_login=([^;]+)/.exec(page.headers.get('set-cookie')!)![1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const response = await fetch(`${t.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `otk_login=${cookie}` },
    body: new URLSearchParams({ email, password, _csrf: csrf }),
  });
  return response.status;
}

describe('users:create', () => {
  it('creates an admin and prints a password that signs in; refuses a duplicate and a bad role by name', async () => {
    const env = { DATABASE_URL: t.env.DATABASE_URL };
    const created = await runCli('users-create', ['--email', 'First.Admin@Shop.example', '--role', 'admin'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const password = /Password \(shown once, store it now\): (\S+)/.exec(created.stdout)![1];
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(await signIn('first.admin@shop.example', password)).toBe(303);
    expect(await signIn('first.admin@shop.example', `${password}x`)).toBe(401);

    const again = await runCli('users-create', ['--email', 'first.admin@shop.example'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');
    const badRole = await runCli('users-create', ['--email', 'x@shop.example', '--role', 'root'], env);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role must be one of admin, marketer, viewer');
    const noEmail = await runCli('users-create', [], env);
    expect(noEmail.stderr).toContain('--email is required');
  });

  it('--first-run (quickstart) creates the first admin and prints where and how to sign in; a re-run creates nobody and says how to reset', async () => {
    const env = { DATABASE_URL: t.env.DATABASE_URL, PUBLIC_URL: 'http://localhost:3000/' };
    const prisma = t.app.get(PrismaService);
    await prisma.user.deleteMany({}); // a fresh installation: no user yet
    const first = await runCli('users-create', ['--email', 'admin@localhost', '--role', 'admin', '--first-run'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Admin UI: http://localhost:3000/admin\n');
    expect(first.stdout).toContain('  email:    admin@localhost\n');
    const password = /password: (\S+) \(shown once/.exec(first.stdout)![1];
    expect(await signIn('admin@localhost', password)).toBe(303);

    const again = await runCli('users-create', ['--email', 'admin@localhost', '--role', 'admin', '--first-run'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Admin UI: http://localhost:3000/admin\n');
    expect(again.stdout).toContain('it has users already (e.g. admin@localhost); no new one was created.');
    expect(again.stdout).toContain('npm run -s users:create -- --email admin@localhost --reset-password');
    expect(again.stdout).not.toContain('password:');
    expect(await prisma.user.count()).toBe(1);

    const reset = await runCli('users-create', ['--email', 'Admin@Localhost', '--reset-password'], env);
    expect(reset.code).toBe(0);
    const renewed = /New password \(shown once, store it now\): (\S+)/.exec(reset.stdout)![1];
    expect(await signIn('admin@localhost', renewed)).toBe(303);
    expect(await signIn('admin@localhost', password)).toBe(401);
    const unknown = await runCli('users-create', ['--email', 'nobody@localhost', '--reset-password'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nobody@localhost not found');
  });
});
