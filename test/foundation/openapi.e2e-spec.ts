// The API description at /docs/openapi.json, as a client sees it: the document the running app
// serves passes a standard validator (@apidevtools/swagger-parser: the OpenAPI 3.1 schema, the
// JSON Schema 2020-12 dialect, every $ref resolved), describes what each operation takes and
// what it answers (real answers validate, with ajv, against the schema the document shows), and
// a typed client generated from it (@hey-api/openapi-ts, fetch client) compiles with the
// project's TypeScript and works against this server.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { z } from 'zod';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createdKey, listedKey } from '../../src/auth/dto/api-key-response.dto';
import { campaignRuns, campaignView, preflightReport, testSendResult } from '../../src/campaigns/dto/campaign-response.dto';
import { addedVersion, documentView, documentWithVersions, storedAttachment } from '../../src/documents/dto/document-response.dto';
import { imageView } from '../../src/documents/dto/images.dto';
import { contactItems, customerDetail, customerItems, customerPage } from '../../src/customers/dto/customer-response.dto';
import { consentList, consentSet } from '../../src/customers/dto/consent-response.dto';
import { importPage, importStatus } from '../../src/customers/dto/import-response.dto';
import { orderPage, orderView } from '../../src/customers/dto/order-response.dto';
import { suppressionCheck, suppressionCreated, suppressionPage } from '../../src/customers/dto/suppression-response.dto';
import { dkimKeyList, dkimKeyView } from '../../src/delivery/dto/dkim-key-response.dto';
import { messageView, sentMessage } from '../../src/delivery/dto/message-response.dto';
import { rulesPreview, segmentCount, segmentPreview, segmentView } from '../../src/segments/dto/segment-response.dto';
import { templateDetail, templateItems, templateVersion } from '../../src/templates/dto/template-response.dto';
import { customerEventResult, orderEventResult } from '../../src/triggers/dto/event-response.dto';
import { firingPage, triggerItems, triggerView } from '../../src/triggers/dto/trigger-response.dto';
import { sql } from '../customers/customer-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

let t: TestApp;
let text: string;
let spec: Document;

beforeAll(async () => {
  t = await startTestApp({ OTKLIK_ROLE: 'api' });
  const response = await fetch(`${t.url}/docs/openapi.json`);
  expect(response.status).toBe(200);
  text = await response.text();
  spec = JSON.parse(text) as Document;
});

afterAll(async () => {
  await t?.close();
});

const operations = () =>
  Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ id: `${method.toUpperCase()} ${path}`, path, method, operation })),
  );

/**
 * Errors of `body` against a schema of the document (none when it validates). The document's
 * components are registered once, so `#/components/schemas/…` references resolve.
 */
let ajv: Ajv2020 | undefined;
function validateAgainst(schema: Record<string, unknown>, body: unknown): string[] {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: (JSON.parse(text) as { components: unknown }).components }, 'openapi.json');
  }
  const rooted = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')) as Record<string, unknown>;
  const validate = ajv.compile(rooted);
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

describe('the served document', () => {
  it('is OpenAPI 3.1 and passes @apidevtools/swagger-parser with no error', async () => {
    expect(spec.openapi).toBe('3.1.0');
    // validate() dereferences (a broken $ref fails it) and changes the object: give it a copy.
    const errors = await SwaggerParser.validate(JSON.parse(text)).then(
      () => [],
      (error: Error & { details?: Array<{ instancePath?: string; message?: string }> }) =>
        error.details?.length ? error.details.map((d) => `${d.instancePath ?? ''} ${d.message ?? ''}`) : [error.message],
    );
    expect(errors).toEqual([]);
  });

  it('carries no JSON Schema $schema keys (the dialect is declared once, by jsonSchemaDialect)', () => {
    expect(text).not.toContain('"$schema"');
    expect(JSON.parse(text).jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('describes every path and query parameter with a schema, and each path parameter of a path', () => {
    const problems: string[] = [];
    for (const { id, path, operation } of operations()) {
      const parameters = operation.parameters ?? [];
      for (const p of parameters)
        if (!p.schema || Object.keys(p.schema).length === 0) problems.push(`${id}: ${p.in} parameter ${p.name} has no schema`);
      for (const [, name] of path.matchAll(/\{(\w+)\}/g))
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) problems.push(`${id}: path parameter ${name} not described`);
    }
    expect(problems).toEqual([]);
  });

  it('describes the body of every POST, PUT and PATCH that reads one', () => {
    // These take no body: an action on the row in the path, or an empty POST that starts a job.
    const bodiless = new Set([
      'POST /customers/{id}/consents/email/confirmation',
      'POST /customers/{id}/erase',
      'POST /templates/{id}/locales/{locale}/reset',
      'POST /campaigns/{id}/preflight',
      'POST /campaigns/{id}/schedule',
      'POST /campaigns/{id}/pause',
      'POST /campaigns/{id}/resume',
      'POST /campaigns/{id}/cancel',
      'POST /scoring/runs',
      'POST /feedback/inbound/{id}/retry',
      'POST /feedback/cleanup-log/{id}/undo',
      'POST /feedback/cleanup-log/{id}/apply',
      'POST /feedback/address-changes/{id}/accept',
      'POST /feedback/address-changes/{id}/reject',
      'POST /providers/{id}/disable',
      'POST /providers/{id}/test',
      'POST /senders/{id}/disable',
    ]);
    const missing = operations()
      .filter(({ id, method, operation }) => ['post', 'put', 'patch'].includes(method) && !operation.requestBody && !bodiless.has(id))
      .map(({ id }) => id);
    expect(missing).toEqual([]);
    // The list above names only operations that exist.
    expect([...bodiless].filter((id) => !operations().some((o) => o.id === id))).toEqual([]);
  });

  it('documents the success answer of every operation: a schema for JSON, a media type for files, 204 for none', () => {
    const problems: string[] = [];
    for (const { id, operation } of operations()) {
      const success = Object.entries(operation.responses ?? {}).filter(([code]) => /^[23]\d\d$/.test(code));
      if (!success.length) problems.push(`${id}: no 2xx or 3xx answer`);
      for (const [code, response] of success) {
        const content = Object.entries(response.content ?? {});
        // 204 and redirects carry no body; @nestjs/swagger's default answer (a bare 200 or 201
        // with no content) means nobody said what the route returns.
        if (code === '204' || code.startsWith('3')) {
          if (content.length) problems.push(`${id}: ${code} documents a body`);
        } else if (!content.length) problems.push(`${id}: ${code} says nothing about its body`);
        for (const [mediaType, media] of content)
          if (!media.schema || Object.keys(media.schema).length === 0) problems.push(`${id}: ${code} ${mediaType} has no schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes the error answers with one shared schema', () => {
    const get = spec.paths['/customers/{id}'].get;
    expect(Object.keys(get.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404']);
    expect(get.responses?.['404'].content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 2147483647 } },
    ]);
  });
});

describe('the documented answers', () => {
  it('are what the routes answer (each real answer parses with the schema the document shows)', async () => {
    const admin = await t.key('admin');
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${t.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const problems: string[] = [];
    const documentedSchema = (what: string, status: number) => {
      const [path, method] = what.split(' ').reverse();
      return spec.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)]?.content?.['application/json']?.schema;
    };
    // The real answer validates against the schema the document shows for its status (ajv,
    // JSON Schema 2020-12 with formats: a date-time must be one), and, where one is given, parses
    // with the zod schema the route's description was written from.
    const check = (what: string, answer: { status: number; body: unknown }, status: number, schema?: z.ZodType) => {
      if (answer.status !== status) problems.push(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      if (schema) {
        const parsed = schema.safeParse(answer.body);
        if (!parsed.success) problems.push(`${what}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const documented = documentedSchema(what, status);
      if (!documented) problems.push(`${what}: no documented ${status} answer`);
      else problems.push(...validateAgainst(documented, answer.body).map((error) => `${what}: ${error}`));
    };
    // A route that answers 204 documents no body and sends none.
    const checkEmpty = async (what: string, response: Response) => {
      const body = await response.text();
      if (response.status !== 204 || body !== '') problems.push(`${what}: ${response.status} ${body.slice(0, 200)}`);
      const [path, method] = what.split(' ').reverse();
      const documented = spec.paths[path]?.[method.toLowerCase()]?.responses?.['204'];
      if (!documented || documented.content) problems.push(`${what}: 204 not documented as an empty answer`);
    };
    const asAdmin = { authorization: `Bearer ${admin}` };
    const company = await call('POST', '/customers', {
      kind: 'company',
      companyName: 'Documented LLC',
      externalId: 'doc-company',
      tags: ['b2b'],
      attributes: { vip: true },
    });
    check('POST /customers', company, 201, customerDetail);
    const companyId = (company.body as { id: number }).id;
    check(
      'GET /feedback/webhook-urls',
      await call('GET', '/feedback/webhook-urls'),
      200,
      z.object({ mailgun: z.string(), sendgrid: z.string(), postmark: z.string() }),
    );
    const contact = await call('POST', `/customers/${companyId}/contacts`, { firstName: 'Ivan', email: 'ivan@documented.test' });
    check('POST /customers/{id}/contacts', contact, 201, customerDetail);
    const contactId = (contact.body as { id: number }).id;
    check(
      'PUT /customers/{id}/consents/{channel}',
      await call('PUT', `/customers/${contactId}/consents/email`, { status: 'opted_in', source: 'form' }),
      200,
      consentSet,
    );
    check('GET /customers/{id}/consents', await call('GET', `/customers/${contactId}/consents`), 200, consentList);
    check('GET /customers/{id}', await call('GET', `/customers/${companyId}`), 200, customerDetail);
    check('PATCH /customers/{id}', await call('PATCH', `/customers/${companyId}`, { source: 'openapi test' }), 200, customerDetail);
    check('GET /customers', await call('GET', '/customers?limit=1'), 200, customerPage);
    const searched = await call('GET', '/customers?q=doc-company&limit=5');
    check('GET /customers', searched, 200, customerPage);
    expect((searched.body as { items: { id: number }[] }).items.map((c) => c.id)).toEqual([companyId]);
    check('GET /customers/lookup', await call('GET', '/customers/lookup?externalId=doc-company'), 200, customerItems);
    check('GET /customers/{id}/contacts', await call('GET', `/customers/${companyId}/contacts`), 200, contactItems);
    const createdApiKey = await call('POST', '/api-keys', { name: 'documented', role: 'viewer' });
    check('POST /api-keys', createdApiKey, 201, createdKey);
    check('GET /api-keys', await call('GET', '/api-keys'), 200, listedKey.array());
    const campaign = await call('POST', '/campaigns', {
      name: 'Documented',
      templateId: 1,
      segmentId: 1,
      schedule: { kind: 'at', at: '2099-01-01T09:00:00Z' },
    });
    check('POST /campaigns', campaign, 201, campaignView);
    const campaignId = (campaign.body as { id: number }).id;
    check('GET /campaigns/{id}', await call('GET', `/campaigns/${campaignId}`), 200, campaignView);
    check('GET /campaigns', await call('GET', '/campaigns'), 200, campaignView.array());
    check('POST /campaigns/{id}/preflight', await call('POST', `/campaigns/${campaignId}/preflight`), 200, preflightReport);
    check(
      'POST /campaigns/{id}/test-send',
      await call('POST', `/campaigns/${campaignId}/test-send`, { customerId: companyId, to: 'qa@documented.test' }),
      200,
      testSendResult,
    );
    check('POST /campaigns/{id}/schedule', await call('POST', `/campaigns/${campaignId}/schedule`), 201, campaignView);
    check('POST /campaigns/{id}/pause', await call('POST', `/campaigns/${campaignId}/pause`), 201, campaignView);
    check('GET /campaigns/{id}/runs', await call('GET', `/campaigns/${campaignId}/runs`), 200, campaignRuns);
    check(
      'POST /attachments',
      await call('POST', '/attachments', {
        filename: 'prices.txt',
        contentType: 'text/plain',
        contentBase64: Buffer.from('prices').toString('base64'),
      }),
      201,
      storedAttachment,
    );
    const file = { filename: 'Прайс-лист.txt', contentType: 'text/plain', contentBase64: Buffer.from('prices').toString('base64') };
    const document = await call('POST', '/documents', { ...file, name: 'Прайс-лист' });
    check('POST /documents', document, 201, documentView);
    const documentId = (document.body as { id: number }).id;
    check(
      'POST /documents/{id}/versions',
      await call('POST', `/documents/${documentId}/versions`, { ...file, filename: 'v2.txt' }),
      201,
      addedVersion,
    );
    check('GET /documents/{id}', await call('GET', `/documents/${documentId}`), 200, documentWithVersions);
    check('GET /documents', await call('GET', '/documents'), 200, documentView.array());
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    check('POST /images', await call('POST', '/images', { filename: 'dot.gif', contentBase64: gif.toString('base64') }), 201, imageView);
    check('GET /images', await call('GET', '/images'), 200, imageView.array());
    check('POST /campaigns/{id}/cancel', await call('POST', `/campaigns/${campaignId}/cancel`), 201, campaignView);
    const order = await call('POST', '/orders', {
      customerExternalId: 'doc-company',
      externalId: 'doc-order',
      items: [{ productId: 'sku-1', quantity: 2, price: '990,50' }],
    });
    check('POST /orders', order, 201, orderView);
    const orderId = (order.body as { id: number }).id;
    check('GET /orders/{id}', await call('GET', `/orders/${orderId}`), 200, orderView);
    check('PATCH /orders/{id}', await call('PATCH', `/orders/${orderId}`, { status: 'paid' }), 200, orderView);
    check('GET /orders', await call('GET', '/orders?limit=5'), 200, orderPage);
    const message = await call('POST', '/messages', {
      template: 'order-created',
      to: 'documented@example.com',
      data: { orderNumber: 'D-1' },
    });
    check('POST /messages', message, 201, sentMessage);
    check('GET /messages/{id}', await call('GET', `/messages/${(message.body as { id: string }).id}`), 200, messageView);
    check(
      'POST /suppressions',
      await call('POST', '/suppressions', { channel: 'email', address: 'Stop@Documented.test' }),
      201,
      suppressionCreated,
    );
    check('GET /suppressions', await call('GET', '/suppressions?limit=5'), 200, suppressionPage);
    check(
      'GET /suppressions/check',
      await call('GET', '/suppressions/check?channel=email&address=stop@documented.test'),
      200,
      suppressionCheck,
    );
    const trigger = await call('POST', '/triggers', {
      name: 'Documented',
      type: 'event',
      template: 'order-created',
      options: { eventName: 'documented' },
    });
    check('POST /triggers', trigger, 201, triggerView);
    const triggerId = (trigger.body as { id: number }).id;
    check('GET /triggers/{id}', await call('GET', `/triggers/${triggerId}`), 200, triggerView);
    check('PATCH /triggers/{id}', await call('PATCH', `/triggers/${triggerId}`, { delayMinutes: 0 }), 200, triggerView);
    check('GET /triggers', await call('GET', '/triggers'), 200, triggerItems);
    const orderEvent = {
      status: 'paid',
      order: { externalId: 'doc-event-order', total: 1500 },
      customer: { externalId: 'doc-event-customer', email: 'event@documented.test' },
    };
    check('POST /events/orders', await call('POST', '/events/orders', orderEvent), 201, orderEventResult);
    check(
      'POST /events',
      await call('POST', '/events', { name: 'documented', customerId: companyId, properties: { page: '/pricing' } }),
      201,
      customerEventResult,
    );
    const firings = await call('GET', `/triggers/${triggerId}/firings`);
    check('GET /triggers/{id}/firings', firings, 200, firingPage);
    expect((firings.body as { items: unknown[] }).items).toHaveLength(1);
    const upload = await fetch(`${t.url}/imports/customers?filename=documented.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      body: 'email,first_name\nimported@documented.test,Olga\n',
    });
    const uploaded = { status: upload.status, body: (await upload.json()) as { id: number } };
    check('POST /imports/{kind}', uploaded, 201, importStatus);
    check('GET /imports/{id}', await call('GET', `/imports/${uploaded.body.id}`), 200, importStatus);
    check('GET /imports', await call('GET', '/imports'), 200, importPage);
    check('GET /templates', await call('GET', '/templates'), 200, templateItems);
    const template = await call('GET', '/templates/1');
    check('GET /templates/{id}', template, 200, templateDetail);
    const [current] = (template.body as { current: Array<{ id: number; locale: string }> }).current;
    check('GET /templates/{id}/versions/{versionId}', await call('GET', `/templates/1/versions/${current.id}`), 200, templateVersion);
    check(
      'POST /templates/{id}/locales/{locale}/reset',
      await call('POST', `/templates/1/locales/${current.locale}/reset`),
      201,
      templateVersion,
    );
    const rules = { any: [{ field: 'tags', op: 'has', value: 'b2b' }, { not: { field: 'attributes.vip', op: 'is_false' } }] };
    const segment = await call('POST', '/segments', { name: 'Documented', rules });
    check('POST /segments', segment, 201, segmentView);
    const segmentId = (segment.body as { id: number }).id;
    check('GET /segments', await call('GET', '/segments'), 200, segmentView.array());
    check('GET /segments/{id}', await call('GET', `/segments/${segmentId}`), 200, segmentView);
    check('PATCH /segments/{id}', await call('PATCH', `/segments/${segmentId}`, { description: 'described' }), 200, segmentView);
    check('GET /segments/{id}/count', await call('GET', `/segments/${segmentId}/count?channel=email`), 200, segmentCount);
    const preview = await call('GET', `/segments/${segmentId}/preview?limit=5`);
    check('GET /segments/{id}/preview', preview, 200, segmentPreview);
    expect((preview.body as { sample: unknown[] }).sample).toEqual(expect.arrayContaining([expect.objectContaining({ id: companyId })]));
    const rulesPreviewed = await call('POST', '/segments/preview', { rules });
    check('POST /segments/preview', rulesPreviewed, 200, rulesPreview);
    expect(rulesPreviewed.body).toMatchObject({
      total: expect.any(Number),
      reachableEmail: expect.any(Number),
      reachableSms: expect.any(Number),
    });

    // Routes whose answers had no schema before: each module's, checked against the document only.
    check('GET /segments/fields', await call('GET', '/segments/fields'), 200);
    const health = await fetch(`${t.url}/health`);
    check('GET /health', { status: health.status, body: await health.json() }, 200);
    await checkEmpty(
      'DELETE /api-keys/{id}',
      await fetch(`${t.url}/api-keys/${(createdApiKey.body as { id: number }).id}`, { method: 'DELETE', headers: asAdmin }),
    );
    await checkEmpty('DELETE /segments/{id}', await fetch(`${t.url}/segments/${segmentId}`, { method: 'DELETE', headers: asAdmin }));

    // scoring
    const scoringConfig = await call('GET', '/scoring/config');
    check('GET /scoring/config', scoringConfig, 200);
    check('PUT /scoring/config', await call('PUT', '/scoring/config', (scoringConfig.body as { config: unknown }).config), 200);
    check('DELETE /scoring/config', await call('DELETE', '/scoring/config'), 200);
    const scoringRun = await call('POST', '/scoring/runs');
    check('POST /scoring/runs', scoringRun, 202);
    check('GET /scoring/runs/{id}', await call('GET', `/scoring/runs/${(scoringRun.body as { id: number }).id}`), 200);
    check('GET /scoring/runs', await call('GET', '/scoring/runs'), 200);
    check('GET /scoring/summary', await call('GET', '/scoring/summary'), 200);

    // templates
    check('GET /templates/{id}/versions', await call('GET', '/templates/1/versions'), 200);
    check('POST /templates/{id}/preview', await call('POST', `/templates/1/preview`, {}), 200);
    const smsTemplate = (await call('GET', '/templates?channel=sms')).body as { items: Array<{ id: number }> };
    check('POST /templates/{id}/preview', await call('POST', `/templates/${smsTemplate.items[0].id}/preview`, {}), 200);
    check(
      'POST /templates/validate',
      await call('POST', '/templates/validate', {
        channel: 'email',
        subject: 'Hi {{nme}}',
        body: '<mjml><mj-body><mj-text>{{#if}}</mj-text></mj-body></mjml>',
      }),
      200,
    );
    check(
      'POST /templates/validate',
      await call('POST', '/templates/validate', { channel: 'sms', body: 'Привет, {{customer.firstName}}!' }),
      200,
    );

    // customers
    check('GET /customers/{id}/timeline', await call('GET', `/customers/${contactId}/timeline`), 200);
    check('GET /customers/{id}/export', await call('GET', `/customers/${contactId}/export`), 200);
    const leaving = await call('POST', '/customers', { email: 'leaving@documented.test', phone: '+79161234567' });
    check('POST /customers/{id}/erase', await call('POST', `/customers/${(leaving.body as { id: number }).id}/erase`), 200);
    check('GET /imports/{id}/issues', await call('GET', `/imports/${uploaded.body.id}/issues`), 200);

    // delivery: the test app keeps email in the capture outbox
    check('POST /delivery/test-email', await call('POST', '/delivery/test-email', { to: 'test-email@documented.test' }), 201);
    const outbox = await call('GET', '/outbox?to=test-email@documented.test');
    check('GET /outbox', outbox, 200);
    const [captured] = outbox.body as Array<{ id: string }>;
    check('GET /outbox/{id}', await call('GET', `/outbox/${captured?.id}`), 200);

    // DKIM keys (issue 19): generated, listed, deactivated, deleted; the private key never answered
    const dkimKey = await call('POST', '/settings/dkim-keys', { domain: 'documented.test', selector: 'doc1' });
    check('POST /settings/dkim-keys', dkimKey, 201, dkimKeyView);
    const dkimKeyId = (dkimKey.body as { id: number }).id;
    check('GET /settings/dkim-keys', await call('GET', '/settings/dkim-keys?domain=documented.test'), 200, dkimKeyList);
    check('GET /settings/dkim-keys/{id}', await call('GET', `/settings/dkim-keys/${dkimKeyId}`), 200, dkimKeyView);
    check('PATCH /settings/dkim-keys/{id}', await call('PATCH', `/settings/dkim-keys/${dkimKeyId}`, { active: false }), 200, dkimKeyView);
    await checkEmpty(
      'DELETE /settings/dkim-keys/{id}',
      await fetch(`${t.url}/settings/dkim-keys/${dkimKeyId}`, { method: 'DELETE', headers: asAdmin }),
    );

    // feedback
    const raw = 'From: someone@elsewhere.test\r\nTo: bounces@documented.test\r\nSubject: Re: hello\r\n\r\nThanks!\r\n';
    const inbound = await call('POST', '/feedback/inbound', { rawBase64: Buffer.from(raw).toString('base64') });
    check('POST /feedback/inbound', inbound, 201);
    check('GET /feedback/inbound/{id}', await call('GET', `/feedback/inbound/${(inbound.body as { id: string }).id}`), 200);
    check('GET /feedback/inbound', await call('GET', '/feedback/inbound'), 200);
    // The api role runs no worker, so nothing classifies that message: a row of each kind the
    // feedback loop writes, so the lists and reports below have items to validate.
    const inboundId = (inbound.body as { id: string }).id;
    const feedbackRows = [
      [
        `INSERT INTO bounces (channel, address, domain, hard, reason, status_code, diagnostic, customer_id, campaign_id, inbound_message_id)
         VALUES ('email', 'ivan@documented.test', 'documented.test', true, 'userunknown', '5.1.1', 'no such user', $1, $2, $3)`,
        [contactId, campaignId, inboundId],
      ],
      [
        `INSERT INTO leads (customer_id, campaign_id, inbound_message_id, from_address, subject, text) VALUES ($1, $2, $3, 'ivan@documented.test', 'Re: offer', 'Call me')`,
        [contactId, campaignId, inboundId],
      ],
      [
        `INSERT INTO complaints (kind, customer_id, campaign_id, inbound_message_id, feedback_type, text) VALUES ('feedback_loop', $1, $2, $3, 'abuse', 'spam')`,
        [contactId, campaignId, inboundId],
      ],
      [
        `INSERT INTO cleanup_log (action, channel, address, reason, customer_id, inbound_message_id, details)
         VALUES ('suppressed', 'email', 'ivan@documented.test', 'hard bounce', $1, $2, '{"suppressionId": 1}')`,
        [contactId, inboundId],
      ],
      [
        `INSERT INTO address_change_proposals (customer_id, old_address, new_address, inbound_message_id, proven) VALUES ($1, 'ivan@documented.test', 'ivan@new.test', $2, false)`,
        [contactId, inboundId],
      ],
    ] as const;
    for (const [statement, values] of feedbackRows) await sql(t, statement, [...values]);
    check('GET /feedback/bounces', await call('GET', '/feedback/bounces'), 200);
    check('GET /feedback/leads', await call('GET', '/feedback/leads'), 200);
    check('GET /feedback/complaints', await call('GET', '/feedback/complaints'), 200);
    check('GET /feedback/cleanup-log', await call('GET', '/feedback/cleanup-log'), 200);
    const proposals = await call('GET', '/feedback/address-changes');
    check('GET /feedback/address-changes', proposals, 200);
    const [proposal] = (proposals.body as { items: Array<{ id: number }> }).items;
    check('POST /feedback/address-changes/{id}/reject', await call('POST', `/feedback/address-changes/${proposal?.id}/reject`), 201);
    const [entry] = ((await call('GET', '/feedback/cleanup-log')).body as { items: Array<{ id: number }> }).items;
    check('POST /feedback/cleanup-log/{id}/undo', await call('POST', `/feedback/cleanup-log/${entry?.id}/undo`), 201);
    for (const list of ['bounces', 'leads', 'complaints', 'cleanup-log', 'address-changes'])
      if (!((await call('GET', `/feedback/${list}`)).body as { items: unknown[] }).items.length)
        problems.push(`GET /feedback/${list}: no items`);
    const smsUrl = await call('GET', '/feedback/sms/webhook-url');
    check('GET /feedback/sms/webhook-url', smsUrl, 200);
    const smsPath = new URL((smsUrl.body as { url: string }).url).pathname;
    const sms = await fetch(`${t.url}${smsPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+79161234567', message: 'STOP' }),
    });
    check('POST /webhooks/sms/inbound/{token}', { status: sms.status, body: await sms.json() }, 200);
    const webhookUrls = (await call('GET', '/feedback/webhook-urls')).body as { sendgrid: string };
    const sendgrid = await fetch(`${t.url}${new URL(webhookUrls.sendgrid).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { event: 'bounce', email: 'gone@documented.test', type: 'bounce', status: '5.1.1', reason: 'no such user', timestamp: 1767225600 },
        { event: 'open', email: 'ivan@documented.test', timestamp: 1767225600 },
      ]),
    });
    const sendgridAnswer = { status: sendgrid.status, body: (await sendgrid.json()) as { stored: string[]; ignored: number } };
    check('POST /webhooks/sendgrid/{token}', sendgridAnswer, 200);
    expect(sendgridAnswer.body.ignored).toBeGreaterThanOrEqual(1);

    // reports
    check('GET /reports/campaigns/{id}', await call('GET', `/reports/campaigns/${campaignId}`), 200);
    check('GET /reports/bounces', await call('GET', '/reports/bounces'), 200);
    check('GET /reports/complaints', await call('GET', '/reports/complaints'), 200);
    check('GET /reports/cleanup', await call('GET', '/reports/cleanup'), 200);
    check('GET /reports/leads', await call('GET', '/reports/leads'), 200);
    for (const report of ['complaints', 'cleanup', 'leads'])
      if (!((await call('GET', `/reports/${report}`)).body as { items: unknown[] }).items.length)
        problems.push(`GET /reports/${report}: no items`);
    expect(problems).toEqual([]);
  });

  it('would catch a wrong answer: the validator refuses bodies that break the documented schema', () => {
    const customer = spec.paths['/customers/{id}'].get.responses?.['200'].content?.['application/json'].schema ?? {};
    expect(validateAgainst(customer, { id: 'one' }).length).toBeGreaterThan(0);
    const run = spec.paths['/scoring/runs/{id}'].get.responses?.['200'].content?.['application/json'].schema ?? {};
    expect(validateAgainst(run, { id: 1, status: 'queued', createdAt: 'yesterday' }).join('\n')).toMatch(/createdAt|required/);
  });
});

describe('a client generated from it', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'otklik-openapi-client-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('compiles with the project TypeScript, types its results and works against the server', async () => {
    const key = await t.key('marketer');
    await writeFile(join(dir, 'openapi.json'), text);
    // @hey-api/openapi-ts is an ES module: generate in a child process (cwd: the project, so it resolves).
    const generate = `
      import { createClient } from '@hey-api/openapi-ts';
      await createClient({
        input: ${JSON.stringify(join(dir, 'openapi.json'))},
        output: ${JSON.stringify(join(dir, 'client'))},
        plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
        logs: { level: 'silent' },
      });`;
    await run(process.execPath, ['--input-type=module', '-e', generate], { cwd: ROOT, timeout: 60_000 });

    // A program that uses the client. It compiles only if the results are typed as the document
    // says (a customer's id is a number, an error has `error` and `issues`), and its expected
    // type errors (wrongCalls) fail the compilation if a wrong call were accepted.
    await writeFile(
      join(dir, 'use.ts'),
      `
      import { createClient, createConfig } from './client/client/index.js';
      import { campaignsGet, customersCreate, customersGet, customersList } from './client/index.js';

      const client = createClient(createConfig({ baseUrl: ${JSON.stringify(t.url)}, auth: ${JSON.stringify(key)} }));

      const created = await customersCreate({ client, body: { externalId: 'openapi-client-1', email: 'Client@Example.com', firstName: 'Anna', tags: ['api'] } });
      if (!created.data) throw new Error('create: ' + created.response.status + ' ' + JSON.stringify(created.error));
      const id: number = created.data.id;
      const email: string | null = created.data.email;
      const suppressed: string | null = created.data.suppressed.email;
      const tags: string[] = created.data.tags;

      const got = await customersGet({ client, path: { id } });
      const firstName: string | null | undefined = got.data?.firstName;

      const page = await customersList({ client, query: { externalId: 'openapi-client-1', limit: 10 } });
      if (!page.data) throw new Error('list: ' + page.response.status);
      const listed: number[] = page.data.items.map((customer) => customer.id);
      const next: string | null = page.data.next;

      const invalid = await customersCreate({ client, body: { firstName: 'Nobody' } });
      const issues: Array<{ path: string; message: string }> | undefined = invalid.error?.issues;

      const missing = await campaignsGet({ client, path: { id: 2147483647 } });
      const code: string | undefined = missing.error?.error;

      export function wrongCalls() {
        // @ts-expect-error kind is person or company
        void customersCreate({ client, body: { kind: 'robot' } });
        // @ts-expect-error the path id is a number
        void customersGet({ client, path: { id: 'one' } });
        // @ts-expect-error limit is a number
        void customersList({ client, query: { limit: 'ten' } });
      }

      console.log(JSON.stringify({
        created: { status: created.response.status, id, email, suppressed, tags },
        got: { status: got.response.status, firstName },
        list: { status: page.response.status, listed, next },
        invalid: { status: invalid.response.status, code: invalid.error?.error, issues },
        missing: { status: missing.response.status, code, message: missing.error?.message },
      }));
      `,
    );
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          types: [],
          strict: true,
          outDir: 'out',
          rootDir: '.',
          skipLibCheck: true,
        },
        include: ['use.ts', 'client/**/*.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const compiled = await run(process.execPath, [tsc, '-p', dir], { cwd: dir, timeout: 60_000 }).then(
      () => '',
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
    expect(compiled).toBe('');

    const { stdout } = await run(process.execPath, [join(dir, 'out/use.js')], { cwd: dir, timeout: 30_000 });
    const result = JSON.parse(stdout);
    expect(result.created).toEqual({ status: 201, id: expect.any(Number), email: 'client@example.com', suppressed: null, tags: ['api'] });
    expect(result.got).toEqual({ status: 200, firstName: 'Anna' });
    expect(result.list).toEqual({ status: 200, listed: [result.created.id], next: null });
    expect(result.invalid).toEqual({ status: 400, code: 'validation_failed', issues: [{ path: '(body)', message: expect.any(String) }] });
    expect(result.missing).toEqual({ status: 404, code: 'not_found', message: 'Campaign 2147483647 not found' });
    // What the server stored is what the client was told.
    const stored = await (await fetch(`${t.url}/customers/${result.created.id}`, { headers: { authorization: `Bearer ${key}` } })).json();
    expect(stored).toMatchObject({ id: result.created.id, externalId: 'openapi-client-1', firstName: 'Anna' });
  });
});
