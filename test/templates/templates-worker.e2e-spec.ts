// A worker process (no HTTP) loads the default set at start-up and renders through
// TemplatesService, as the campaign engine and the automations do.
import type { INestApplicationContext } from '@nestjs/common';
import { createOtklik } from '../../src/app.factory';
import { JsonLogger } from '../../src/common/json-logger';
import { TemplatesService } from '../../src/templates/templates.service';
import { createTestEnv, type TestEnv } from '../support/test-env';

describe('templates in a worker process', () => {
  let env: TestEnv;
  let worker: INestApplicationContext;
  beforeAll(async () => {
    env = await createTestEnv({ OTKLIK_ROLE: 'worker' });
    worker = await createOtklik(env.env, new JsonLogger('warn', 'worker'));
  });
  afterAll(async () => {
    await worker?.close();
    await env.cleanup();
  });

  it('resolves and renders a default template without MJML', async () => {
    const templates = worker.get(TemplatesService);
    const version = await templates.resolveVersion('welcome-confirm', 'en-US');
    expect(version).toMatchObject({ channel: 'email', locale: 'en', version: 1 });
    const context = templates.renderContext(
      { id: 1, firstName: 'Emily', email: 'emily@example.com', locale: 'en-US', timeZone: 'America/New_York' },
      { brand: { name: 'Northwind' }, message: { confirmUrl: 'https://mail.example/confirm/signed-1' } },
    );
    const out = await templates.renderEmail(version.versionId, context);
    expect(out.html).toContain('href="https://mail.example/confirm/signed-1"');
    expect(out.text).toContain('Emily');
    expect((await templates.compiledEmail(version.versionId)).mjmlCompileMs).toBe(0);
  });
});
