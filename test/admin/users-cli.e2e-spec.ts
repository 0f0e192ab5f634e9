// `npm run -s users:create -- --email … --role …`: the first admin of the web UI, from dist as
// an operator runs it; the printed password signs in.
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
});
