// Shared settings of the fuzz runs (`src/**/*.fuzz.spec.ts`): one fixed seed, so a run is
// repeatable and a failure reproduces; FUZZ_SEED picks another seed and FUZZ_RUNS sets the
// runs of every property (e.g. FUZZ_RUNS=20000 for a long run on a quiet machine). A case
// that takes longer than CASE_LIMIT_MS twice running fails as a hang: a catastrophic regex or a quadratic
// loop shows up as time long before it would hit Jest's timeout.
import fc from 'fast-check';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261123);
export const CASE_LIMIT_MS = Number(process.env.FUZZ_CASE_LIMIT_MS ?? 2000);

/** fast-check parameters: the seed, and `runs` unless FUZZ_RUNS says otherwise. */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  const override = Number(process.env.FUZZ_RUNS);
  return { seed: FUZZ_SEED, numRuns: Number.isInteger(override) && override > 0 ? override : runs };
}

export type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };

const slowest = { ms: 0, what: '' };

/**
 * Prints the seed when the file starts, so a red run can be replayed with FUZZ_SEED, and the
 * slowest case when it ends, to show how far below the time bound the code stays.
 */
export function announceSeed(what: string): void {
  beforeAll(() => {
    process.stdout.write(
      `fuzz ${what}: seed ${FUZZ_SEED}${process.env.FUZZ_RUNS ? `, ${process.env.FUZZ_RUNS} runs per property` : ''} (FUZZ_SEED, FUZZ_RUNS to change)\n`,
    );
  });
  afterAll(() => {
    process.stdout.write(`fuzz ${what}: slowest case ${Math.round(slowest.ms)} ms (limit ${CASE_LIMIT_MS} ms): ${slowest.what}\n`);
  });
}

/** Records the case's time, and whether it passed CASE_LIMIT_MS. */
function settle<T>(what: string, started: number, outcome: Outcome<T>): Outcome<T> & { over: boolean } {
  outcome.ms = performance.now() - started;
  if (outcome.ms > slowest.ms) Object.assign(slowest, { ms: outcome.ms, what });
  return { ...outcome, over: outcome.ms > CASE_LIMIT_MS };
}

/**
 * A case over the limit runs once more: a hang (a catastrophic regex, a quadratic loop) is slow
 * again on the same input, while a pause of the machine (a busy CI host, a garbage collection)
 * is not. Only a second slow run fails the property.
 */
function hang(what: string, first: number, second: number): Error {
  return new Error(
    `${what} took ${Math.round(first)} ms, then ${Math.round(second)} ms again (limit ${CASE_LIMIT_MS} ms): a hang on this input`,
  );
}

function runSync<T>(what: string, fn: () => T): Outcome<T> & { over: boolean } {
  const started = performance.now();
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: fn(), ms: 0 };
  } catch (error) {
    outcome = { ok: false, error, ms: 0 };
  }
  return settle(what, started, outcome);
}

/** Runs `fn`: its value or what it threw, failing when it is slower than CASE_LIMIT_MS twice running. */
export function timed<T>(what: string, fn: () => T): Outcome<T> {
  const first = runSync(what, fn);
  if (!first.over) return first;
  const second = runSync(what, fn);
  if (second.over) throw hang(what, first.ms, second.ms);
  return second;
}

async function runAsync<T>(what: string, fn: () => Promise<T>): Promise<Outcome<T> & { over: boolean }> {
  const started = performance.now();
  const outcome: Outcome<T> = await fn().then(
    (value) => ({ ok: true as const, value, ms: 0 }),
    (error: unknown) => ({ ok: false as const, error, ms: 0 }),
  );
  return settle(what, started, outcome);
}

/** The async form of `timed` (the time includes everything the promise waited on). */
export async function timedAsync<T>(what: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  const first = await runAsync(what, fn);
  if (!first.over) return first;
  const second = await runAsync(what, fn);
  if (second.over) throw hang(what, first.ms, second.ms);
  return second;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * A thrown error must be one of the module's own, with a message a person can read; anything
 * else (TypeError, RangeError, a stack overflow) is a crash and is rethrown with its stack.
 */
export function expectOwnError(error: unknown, allowed: ErrorClass[]): Error {
  if (allowed.some((kind) => error instanceof kind) && (error as Error).message.trim() !== '') return error as Error;
  const crash = new Error(
    `unexpected ${error instanceof Error ? error.name : typeof error}: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (error instanceof Error) crash.stack = `${crash.message}\n${error.stack ?? ''}`;
  throw crash;
}

// ───────────────────────────── hostile strings ─────────────────────────────

/** Values that have broken parsers before: injection classics, control characters, odd Unicode. */
export const NASTY_STRINGS: readonly string[] = Object.freeze([
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\uD800',
  '\uDFFF\uD800',
  '\u202E',
  '\u200B',
  'é',
  '😀',
  '\r\n',
  '\r',
  '\t',
  '\\',
  '"',
  "'",
  '`',
  "'; DROP TABLE customers; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  "{{constructor.constructor('x')()}}",
  '{{#each this}}{{/each}}',
  '{{{',
  '}}}',
  '{{!--',
  '%s%s%n',
  '${process.exit()}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'NaN',
  '-0',
  '1e309',
  '9'.repeat(400),
  'null',
  'undefined',
  '[]',
  '{}',
  '=?utf-8?B?',
  '=?',
  '--',
  '---',
  '=\r\n',
  '=ZZ',
  'Content-Type: multipart/mixed; boundary=',
  'ivan@client.example',
  'iv\u0000an@client.example',
  "o'reilly+x@example.com",
  '"<script>"@example.com',
  'bounces+99999999999999999999999@mail.shop.example',
  '<otk.123@mail.shop.example>',
]);

/** Strings that mix the nasty ones with random text, so they also land mid-token. */
export function nastyString(maxLength = 200): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 3, arbitrary: fc.string({ maxLength, unit: 'grapheme' }) },
    { weight: 2, arbitrary: fc.string({ maxLength, unit: 'binary' }) },
    { weight: 2, arbitrary: fc.array(fc.constantFrom(...NASTY_STRINGS), { maxLength: 6 }).map((parts) => parts.join('')) },
  );
}

/** Deep, wide and odd values of the kinds a parsed JSON body holds (plain objects, no NaN). */
export function oddJson(maxDepth = 6): fc.Arbitrary<unknown> {
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth },
      fc.constantFrom(
        null,
        true,
        false,
        0,
        -0,
        1,
        -1,
        2147483647,
        2147483648,
        -2147483649,
        1e308,
        -1e308,
        5e-324,
        0.1,
        Number.MAX_SAFE_INTEGER + 2,
      ),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      nastyString(60),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(
        fc.oneof(nastyString(12), fc.constantFrom('__proto__', 'constructor', 'all', 'any', 'not', 'field', 'op', 'value')),
        tie('value'),
        { maxKeys: 5, noNullPrototype: true },
      ),
    ),
  })).value;
}

/** An array (or object) nested `depth` levels: what a stack-recursive walker dies on. */
export function deeplyNested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown = (inner) => [inner]): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

/** Mutations of a known-good text: cut, splice in noise, repeat a slice, flip bytes. */
export function mutated(samples: readonly string[]): fc.Arbitrary<string> {
  const sample = fc.constantFrom(...samples);
  const edit = fc.record({
    at: fc.nat(),
    length: fc.nat({ max: 64 }),
    noise: nastyString(40),
    times: fc.integer({ min: 2, max: 50 }),
    kind: fc.constantFrom('cut', 'splice', 'repeat', 'drop', 'flip'),
  });
  return fc.tuple(sample, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
    let out = text;
    for (const e of edits) {
      const at = out.length === 0 ? 0 : e.at % out.length;
      switch (e.kind) {
        case 'cut':
          out = out.slice(0, at);
          break;
        case 'splice':
          out = out.slice(0, at) + e.noise + out.slice(at + e.noise.length);
          break;
        case 'repeat':
          out = out.slice(0, at) + out.slice(at, at + e.length).repeat(e.times) + out.slice(at);
          break;
        case 'drop':
          out = out.slice(0, at) + out.slice(at + e.length);
          break;
        case 'flip':
          out = out.slice(0, at) + String.fromCharCode((out.charCodeAt(at) || 0) ^ (1 << (e.length % 8))) + out.slice(at + 1);
          break;
      }
    }
    return out;
  });
}
