// Saved segments through HTTP: roles, built-ins, validation errors with paths, live counts and
// previews, injection attempts in field names and values.
import { PrismaService } from '../../src/database/prisma.service';
import { BUILTIN_SEGMENTS } from '../../src/segments/dsl/builtin-segments';
import { startTestApp, type TestApp } from '../support/test-app';
import { apiCaller } from '../support/api-call';
import { seedSegmentBase, type Ids } from './segment-fixtures';

describe('segments API', () => {
  let t: TestApp;
  let ids: Ids;
  let campaignId: number;
  const keys: Record<'viewer' | 'marketer', string> = { viewer: '', marketer: '' };

  beforeAll(async () => {
    t = await startTestApp();
    ({
      ids,
      campaigns: [campaignId],
    } = await seedSegmentBase(t.app.get(PrismaService)));
    keys.viewer = await t.key('viewer');
    keys.marketer = await t.key('marketer');
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: string, path: string, role: 'viewer' | 'marketer', body?: unknown) => apiCaller(t, keys)(method, path, role, body);

  it('has the built-in segments, and keeps them read-only', async () => {
    const { status, body } = await call('GET', '/segments', 'viewer');
    expect(status).toBe(200);
    const builtIns = body.filter((s: { builtIn: boolean }) => s.builtIn);
    expect(builtIns.map((s: { key: string }) => s.key).sort()).toEqual(BUILTIN_SEGMENTS.map((s) => s.key).sort());
    const ax = builtIns.find((s: { key: string }) => s.key === 'abc_xyz_ax');
    expect((await call('GET', `/segments/${ax.id}/count`, 'viewer')).body).toEqual({ segmentId: ax.id, count: 1 });
    const patch = await call('PATCH', `/segments/${ax.id}`, 'marketer', { name: 'mine now' });
    expect(patch.status).toBe(409);
    expect(patch.body.message).toContain('built in');
    expect((await call('DELETE', `/segments/${ax.id}`, 'marketer')).status).toBe(409);
  });

  it('lists the fields a rule may use', async () => {
    const { body } = await call('GET', '/segments/fields', 'viewer');
    expect(body).toContainEqual({ field: 'reachable.email', kind: 'reachable', ops: ['is_true', 'is_false'] });
    expect(body.map((f: { field: string }) => f.field)).toContain('attributes.<key>');
  });

  it('creates, counts, previews, changes and deletes a segment', async () => {
    expect((await call('POST', '/segments', 'viewer', { name: 'x', rules: { all: [] } })).status).toBe(403);
    const rules = {
      any: [
        { field: 'tags', op: 'has', value: 'b2b' },
        { field: 'attributes.vip', op: 'is_true' },
      ],
    };
    const created = await call('POST', '/segments', 'marketer', { name: '  B2B and VIP ', rules });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'B2B and VIP', description: null, rules, builtIn: false, key: null });
    const id = created.body.id;

    expect((await call('GET', `/segments/${id}/count`, 'viewer')).body).toEqual({ segmentId: id, count: 3 });
    // reachable by SMS: only ru_vip has a number, and it opted out; contact's has no consent row
    expect((await call('GET', `/segments/${id}/count?channel=sms`, 'viewer')).body.count).toBe(0);
    expect((await call('GET', `/segments/${id}/count?channel=sms&consent=not_opted_out`, 'viewer')).body.count).toBe(1);
    expect((await call('GET', `/segments/${id}/count?channel=email`, 'viewer')).body.count).toBe(3);

    const preview = await call('GET', `/segments/${id}/preview?limit=2`, 'viewer');
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(3);
    expect(preview.body.sample.map((c: { id: number }) => c.id)).toEqual([ids.ru_vip, ids.company]);
    expect(Object.keys(preview.body.sample[0])).toEqual(
      expect.arrayContaining([
        'id',
        'kind',
        'firstName',
        'lastName',
        'companyName',
        'email',
        'phone',
        'timeZone',
        'rfmGroup',
        'abcClass',
        'xyzClass',
        'rating',
      ]),
    );
    expect(preview.body.sample[0]).toMatchObject({ firstName: 'ru_vip', rfmGroup: 'champions', abcClass: 'A' });

    const changed = await call('PATCH', `/segments/${id}`, 'marketer', {
      rules: { field: 'tags', op: 'has', value: 'vip' },
      description: 'VIPs',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'B2B and VIP', description: 'VIPs' });
    expect((await call('GET', `/segments/${id}/count`, 'viewer')).body.count).toBe(1);
    expect((await call('PATCH', `/segments/${id}`, 'marketer', {})).status).toBe(400);

    expect((await call('DELETE', `/segments/${id}`, 'marketer')).status).toBe(204);
    expect((await call('GET', `/segments/${id}`, 'viewer')).status).toBe(404);
    expect((await call('GET', `/segments/${id}/count`, 'viewer')).status).toBe(404);
  });

  it('refuses to delete a segment a campaign uses', async () => {
    const created = await call('POST', '/segments', 'marketer', { name: 'used', rules: { field: 'locale', op: 'eq', value: 'ru' } });
    await t.app.get(PrismaService).campaign.update({ where: { id: campaignId }, data: { segmentId: created.body.id } });
    const refused = await call('DELETE', `/segments/${created.body.id}`, 'marketer');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('used by 1 campaign(s)');
  });

  it('previews unsaved rules for viewers too', async () => {
    const { status, body } = await call('POST', '/segments/preview', 'viewer', {
      rules: { field: 'kind', op: 'eq', value: 'company' },
      limit: 5,
      channel: 'email',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ count: 1, sample: [{ id: ids.company, kind: 'company', companyName: 'ООО «Вектор»' }] });
  });

  it('gives the builder its live counts: total and reachable by email and by SMS, by the campaign freeze rule', async () => {
    // tags in any case (stored lower-case); company and contact are opted in by email, neither by SMS;
    // no_email has only a phone, opted in by SMS, but that phone is suppressed (an erased customer's)
    const rules = {
      any: [
        { field: 'tags', op: 'has', value: 'B2B' },
        { field: 'email', op: 'is_not_set' },
      ],
    };
    const { status, body } = await call('POST', '/segments/preview', 'viewer', { rules, limit: 2 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ count: 3, total: 3, reachableEmail: 2, reachableSms: 0 });
    expect(body.sample).toEqual([
      expect.objectContaining({ id: ids.company, name: 'ООО «Вектор»', email: 'company@example.com', phone: null }),
      expect.objectContaining({ id: ids.contact, email: 'contact@example.com', phone: '+79990000011' }),
    ]);
    // `consent` counts those who have not opted out: the contact has no SMS consent row at all
    const lenient = await call('POST', '/segments/preview', 'viewer', { rules, consent: 'not_opted_out', limit: 1 });
    expect(lenient.body).toMatchObject({ total: 3, reachableEmail: 2, reachableSms: 1 });
    // a channel narrows `count` and the sample, never `total`
    const bySms = await call('POST', '/segments/preview', 'viewer', { rules, channel: 'sms', consent: 'not_opted_out', limit: 5 });
    expect(bySms.body).toMatchObject({ count: 1, total: 3, reachableSms: 1, sample: [{ id: ids.contact }] });

    const saved = await call('POST', '/segments', 'marketer', { name: 'B2B or phone only', rules });
    const preview = await call('GET', `/segments/${saved.body.id}/preview?limit=1`, 'viewer');
    expect(preview.body).toMatchObject({ segmentId: saved.body.id, count: 3, total: 3, reachableEmail: 2, reachableSms: 0 });
  });

  it.each<[string, unknown, Array<{ path: string; message: string | RegExp }>]>([
    [
      'a wrong value type, with its path',
      {
        any: [
          { field: 'locale', op: 'eq', value: 'ru' },
          { field: 'tags', op: 'has', value: 'x' },
          { field: 'order_count', op: 'gte', value: '5' },
        ],
      },
      [{ path: 'rules.any[2].value', message: 'expected a number' }],
    ],
    [
      'a field name carrying SQL',
      { field: 'email) OR (1=1', op: 'eq', value: 'x' },
      [{ path: 'rules.field', message: /^unknown field "email\) OR \(1=1"; allowed: kind, / }],
    ],
    [
      'a column outside the allow-list',
      { field: 'erased_at', op: 'is_set' },
      [{ path: 'rules.field', message: /^unknown field "erased_at"/ }],
    ],
    [
      'an attribute key carrying SQL',
      { field: "attributes.x'--", op: 'is_set' },
      [{ path: 'rules.field', message: /^invalid attribute key "x'--"/ }],
    ],
    [
      'an operator the field lacks',
      { field: 'reachable.email', op: 'eq', value: true },
      [{ path: 'rules.op', message: 'expected one of "is_true", "is_false"' }],
    ],
    ['no rules at all', undefined, [{ path: 'rules', message: /^expected an object/ }]],
  ])('rejects %s', async (_name, rules, issues) => {
    const { status, body } = await call('POST', '/segments', 'marketer', { name: 'bad', rules });
    expect(status).toBe(400);
    expect(body.error).toBe('validation_failed');
    expect(body.issues).toHaveLength(issues.length);
    issues.forEach((issue, i) => {
      expect(body.issues[i].path).toBe(issue.path);
      if (typeof issue.message === 'string') expect(body.issues[i].message).toBe(issue.message);
      else expect(body.issues[i].message).toMatch(issue.message);
    });
  });

  it('rejects bad query parameters and bodies by name', async () => {
    const id = (await call('GET', '/segments', 'viewer')).body[0].id;
    const channel = await call('GET', `/segments/${id}/count?channel=fax`, 'viewer');
    expect(channel.status).toBe(400);
    expect(channel.body.issues[0].path).toBe('query.channel');
    const limit = await call('GET', `/segments/${id}/preview?limit=1;DROP TABLE customers`, 'viewer');
    expect(limit.status).toBe(400);
    expect(limit.body.issues[0].path).toBe('query.limit');
    const extra = await call('POST', '/segments', 'marketer', { name: 'x', rules: { all: [] }, sql: 'SELECT 1' });
    expect(extra.status).toBe(400);
    expect((await call('GET', '/segments/abc', 'viewer')).status).toBe(400);
    // the hostile values above reached nothing: the base is intact
    expect((await call('POST', '/segments/preview', 'viewer', { rules: { all: [] } })).body.count).toBe(Object.keys(ids).length - 1);
  });
});
