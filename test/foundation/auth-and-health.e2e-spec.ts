import { PrismaService } from '../../src/database/prisma.service';
import { jsonOf } from '../support/api-call';
import { startTestApp, type TestApp } from '../support/test-app';

describe('auth, health and API docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${t.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers },
    });

  it('reports PostgreSQL and Redis in /health without a key', async () => {
    const response = await call('/health');
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ status: 'ok', checks: { database: { status: 'ok' }, redis: { status: 'ok' } } });
  });

  it('answers 401 to a request without a key, or with a wrong one', async () => {
    const none = await call('/customers');
    expect(none.status).toBe(401);
    expect((await jsonOf(none)).error).toBe('unauthenticated');
    expect((await call('/customers', { key: 'otk_abcdefgh_' + 'A'.repeat(32) })).status).toBe(401);
    expect((await call('/customers', { key: 'garbage' })).status).toBe(401);
    expect((await call('/customers', { headers: { 'x-api-key': 'otk_abcdefgh_' + 'A'.repeat(32) } })).status).toBe(401);
  });

  it('lets a viewer read but answers 403 to its writes', async () => {
    const viewer = await t.key('viewer');
    expect((await call('/customers', { key: viewer })).status).toBe(200);
    expect((await call('/outbox', { key: viewer })).status).toBe(200);
    const write = await call('/api-keys', { key: viewer, method: 'POST', body: JSON.stringify({ name: 'x', role: 'viewer' }) });
    expect(write.status).toBe(403);
    expect((await jsonOf(write)).message).toMatch(/admin role/);
    const testEmail = await call('/delivery/test-email', { key: viewer, method: 'POST', body: JSON.stringify({ to: 'a@example.com' }) });
    expect(testEmail.status).toBe(403);
  });

  it('keeps key management to admins, shows a new key once and stores only its hash', async () => {
    const marketer = await t.key('marketer');
    expect((await call('/api-keys', { key: marketer })).status).toBe(403);
    const admin = await t.key('admin');
    const created = await call('/api-keys', { key: admin, method: 'POST', body: JSON.stringify({ name: 'shop', role: 'marketer' }) });
    expect(created.status).toBe(201);
    const body = await jsonOf(created);
    expect(body.key).toMatch(/^otk_/);
    expect((await call('/customers', { key: body.key })).status).toBe(200);

    const listed = await jsonOf(await call('/api-keys', { key: admin }));
    expect(JSON.stringify(listed)).not.toContain(body.key);
    const rows = await t.app.get(PrismaService).apiKey.findMany();
    expect(rows.every((row) => row.keyHash !== body.key && !row.keyHash.includes(body.key))).toBe(true);

    expect((await call(`/api-keys/${body.id}`, { key: admin, method: 'DELETE' })).status).toBe(204);
    expect((await call('/customers', { key: body.key })).status).toBe(401);
  });

  it('validates bodies with errors that name the field', async () => {
    const admin = await t.key('admin');
    const response = await call('/api-keys', { key: admin, method: 'POST', body: JSON.stringify({ name: '', role: 'root' }) });
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.error).toBe('validation_failed');
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['name', 'role']);
  });

  it('rejects an oversized body with 413', async () => {
    const admin = await t.key('admin');
    const response = await call('/api-keys', {
      key: admin,
      method: 'POST',
      body: JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024), role: 'viewer' }),
    });
    expect(response.status).toBe(413);
  });

  it('serves the OpenAPI docs at /docs', async () => {
    const page = await call('/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
    const spec = await jsonOf(await call('/docs/openapi.json'));
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/health', '/customers', '/api-keys', '/outbox']));
    expect(spec.paths['/api-keys'].post.requestBody.content['application/json'].schema.properties.role.enum).toEqual([
      'admin',
      'marketer',
      'viewer',
    ]);
  });
});
