// Fuzz: the segment compiler takes any JSON a request body can carry (deep, wide, odd
// values, near-valid conditions with every field and operator) and either compiles it or
// throws SegmentRulesError naming the path; never another exception, never past the time
// bound. What compiles keeps every value out of the SQL text: each one is a `$n` parameter.
import fc from 'fast-check';
import {
  announceSeed,
  deeplyNested,
  expectOwnError,
  fuzzParameters,
  nastyString,
  NASTY_STRINGS,
  oddJson,
  timed,
} from '../../../test/support/fuzz';
import { compileSegment, compileSegmentWhere, type CompiledQuery } from './compile-segment';
import { ALLOWED_FIELD_NAMES, CONDITION_OPS } from './fields';
import { SegmentRulesError, type SegmentRule } from './segment-rules';

const FIELDS = ALLOWED_FIELD_NAMES.filter((f) => !f.includes('<'));
const ATTRIBUTE_FIELDS = [
  'attributes.city',
  'attributes.__proto__',
  'attributes.constructor',
  'attributes.a1_B',
  'attributes.',
  "attributes.x'--",
  'attributes.' + 'k'.repeat(65),
];
/** Marks every string value, so the test can tell whether one leaked into the SQL text. */
const MARK = 'ZQXJ';

const value = fc.oneof(
  { weight: 3, arbitrary: oddJson(3) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-01-01',
      '2026-02-30',
      '0000-01-01',
      'ru',
      'company',
      'opted_in',
      'email',
      'A',
      'champions',
      'vip',
      'SKU1',
    ),
  },
  { weight: 2, arbitrary: fc.array(fc.oneof(nastyString(30), fc.integer(), fc.double()), { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.oneof(fc.integer(), fc.double(), fc.constantFrom('2026-01-01', '2025-12-31')),
      fc.oneof(fc.integer(), fc.double(), fc.constantFrom('2026-01-01', '2025-12-31')),
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 400 }) },
);

/** A condition that gets past the field and op checks most of the time, with an odd value. */
const condition = fc.record(
  {
    field: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FIELDS, ...ATTRIBUTE_FIELDS) }, { weight: 1, arbitrary: nastyString(30) }),
    op: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...CONDITION_OPS) }, { weight: 1, arbitrary: nastyString(10) }),
    value,
    days: fc.oneof(fc.integer({ min: -5, max: 40_000 }), oddJson(1)),
    campaignId: fc.oneof(fc.integer({ min: -1, max: 2 ** 31 }), oddJson(1)),
    channel: fc.constantFrom('email', 'sms', 'fax', 1),
  },
  { requiredKeys: ['field', 'op'], noNullPrototype: true },
);

const rules: fc.Arbitrary<unknown> = fc.letrec<{ rule: unknown }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', maxDepth: 12, withCrossShrink: true },
    condition,
    fc.record({ all: fc.array(tie('rule'), { maxLength: 4 }) }, { noNullPrototype: true }),
    fc.record({ any: fc.array(tie('rule'), { maxLength: 4 }) }, { noNullPrototype: true }),
    fc.record({ not: tie('rule') }, { noNullPrototype: true }),
    fc.record({ all: fc.array(tie('rule'), { maxLength: 2 }), any: fc.array(tie('rule'), { maxLength: 2 }) }, { noNullPrototype: true }),
    oddJson(3),
  ),
})).rule;

/** Every string inside a value. */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringsOf(x, out);
  return out;
}

/** Adds the marker to every string value (not to field and op names, which the SQL may name). */
function marked(v: unknown, key = ''): unknown {
  if (typeof v === 'string') return key === 'field' || key === 'op' || key === 'channel' ? v : `${MARK}${v}`;
  if (Array.isArray(v)) return v.map((x) => marked(x, key === 'value' ? 'value' : ''));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, marked(x, k)]));
  return v;
}

function compileAll(input: unknown, what = 'compileSegment'): CompiledQuery[] | null {
  const out = timed(what, () => [
    compileSegment(input as SegmentRule, { mode: 'count' }),
    compileSegment(input as SegmentRule, { mode: 'sample', limit: 10, now: new Date('2026-11-23T10:00:00Z') }),
    compileSegment(input as SegmentRule, { mode: 'batch', afterId: 100, limit: 500 }),
    compileSegmentWhere(input as SegmentRule, { paramOffset: 3, alias: 'cust', plan: 'per_row' }),
  ]);
  if (!out.ok) {
    const error = expectOwnError(out.error, [SegmentRulesError]) as SegmentRulesError;
    expect(error.errors.length).toBeGreaterThan(0);
    for (const line of error.errors) expect(line).toMatch(/^rules[^:]*: \S/);
    return null;
  }
  return out.value;
}

function expectParameterised(queries: CompiledQuery[], offsets: number[]): void {
  queries.forEach((q, i) => {
    expect(q.sql).not.toContain(MARK);
    const used = new Set([...q.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    for (let n = 1; n <= q.params.length; n++) expect(used.has(n + offsets[i])).toBe(true);
    for (const n of used) expect(n > offsets[i] && n <= offsets[i] + q.params.length).toBe(true);
    // Quotes in the SQL come in pairs: no value can have opened a literal.
    expect((q.sql.match(/'/g) ?? []).length % 2).toBe(0);
  });
}

announceSeed('segment DSL');

describe('fuzz: segment DSL compiler', () => {
  it('compiles or refuses any JSON', () => {
    fc.assert(
      fc.property(oddJson(8), (input) => {
        compileAll(input);
      }),
      fuzzParameters(1500),
    );
  });

  it('compiles or refuses near-valid rule trees; what compiles carries every value as a parameter', () => {
    let compiled = 0;
    fc.assert(
      fc.property(rules, (input) => {
        const queries = compileAll(marked(input));
        if (queries) {
          compiled++;
          expectParameterised(queries, [0, 0, 0, 3]);
        }
      }),
      fuzzParameters(1500),
    );
    // The generator must reach the SQL generation, not only the validator.
    expect(compiled).toBeGreaterThan(50);
  });

  it('refuses deep, wide and huge rule trees quickly', () => {
    const big = [
      deeplyNested(100_000, { field: 'email', op: 'is_set' }, (inner) => ({ not: inner })),
      deeplyNested(100_000, { field: 'email', op: 'is_set' }, (inner) => ({ all: [inner] })),
      deeplyNested(100_000, null, (inner) => [inner]),
      { any: Array.from({ length: 100_000 }, () => ({ field: 'email', op: 'is_set' })) },
      { all: Array.from({ length: 200 }, () => ({ any: Array.from({ length: 200 }, () => ({ field: 'email', op: 'eq', value: 'x' })) })) },
      { field: 'first_name', op: 'in', value: Array.from({ length: 100_000 }, (_, i) => `v${i}`) },
      { field: 'first_name', op: 'contains', value: 'x'.repeat(2_000_000) },
      { field: 'attributes.city', op: 'eq', value: NASTY_STRINGS.join('') },
      Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])),
    ];
    for (const [i, input] of big.entries()) {
      const queries = compileAll(input, `compileSegment (big input ${i})`);
      if (queries) expect(stringsOf(input).length).toBeLessThan(10);
    }
  });
});
