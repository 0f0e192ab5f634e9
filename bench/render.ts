// `npm run bench:render -- [--n N] [--template PATH]`
//
// Renders N personalised emails (default 100,000) from one template version after a single
// MJML compile, cycling through a pool of varied customers (Russian and English, with and
// without patronymics, orders of 1–6 items, different zones), on one core. Before that it
// measures the naive way, a full MJML compile per recipient, as the baseline.
// The last line is: `render: <renders/s> renders/s, mjml_compile_ms: <ms>`.

import { join } from 'node:path';
import mjml2html from 'mjml';
import {
  compileEmail,
  compileTemplate,
  defaultTemplatesDir,
  emailSourceOf,
  loadTemplateFile,
  mergeContext,
  renderData,
  sampleContext,
  sampleTrackLink,
  type RenderContext,
} from '../src/templates/render';

function flag(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

const FIRST_RU = ['Анна', 'Иван', 'Мария', 'Алексей', 'Ольга', 'Дмитрий', 'Екатерина', 'Сергей', 'Наталья', 'Павел'];
const PATRONYMIC_RU = ['Сергеевна', 'Петрович', 'Андреевна', 'Игоревич', 'Викторовна', 'Олегович', undefined];
const LAST_RU = ['Иванова', 'Смирнов', 'Кузнецова', 'Попов', 'Соколова', 'Лебедев', 'Новикова', 'Морозов'];
const FIRST_EN = ['Emily', 'James', 'Olivia', 'Harry', 'Sophie', 'Jack', 'Amelia', 'George'];
const LAST_EN = ['Clarke', 'Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', "O'Neil", 'Evans'];
const ZONES = ['Europe/Moscow', 'Asia/Yekaterinburg', 'Asia/Novosibirsk', 'Asia/Vladivostok', 'Europe/London', 'Europe/Berlin'];
const PRODUCTS_RU = ['Рубашка льняная', 'Сумка-шопер', 'Кеды белые', 'Плед шерстяной', 'Кружка <эмаль>', 'Шарф & шапка'];
const PRODUCTS_EN = ['Linen shirt', 'Canvas tote', 'White sneakers', 'Wool blanket', 'Enamel mug', 'Scarf & hat'];

/** A pool of distinct recipients; rendering cycles through it. */
function customers(count: number): RenderContext[] {
  const base = { ru: sampleContext('ru'), en: sampleContext('en') };
  const pool: RenderContext[] = [];
  for (let i = 0; i < count; i++) {
    const en = i % 4 === 3;
    const items = Array.from({ length: 1 + (i % 6) }, (_, k) => ({
      productId: `SKU-${(i * 7 + k) % 500}`,
      name: (en ? PRODUCTS_EN : PRODUCTS_RU)[(i + k) % 6],
      quantity: 1 + ((i + k) % 3),
      price: (490 + ((i * 37 + k * 101) % 9000)).toFixed(2),
    }));
    const total = items.reduce((sum, it) => sum + Number(it.price) * it.quantity, 0);
    pool.push(
      mergeContext(en ? base.en : base.ru, {
        customer: {
          id: 100000 + i,
          firstName: i % 17 === 0 ? null : (en ? FIRST_EN : FIRST_RU)[i % (en ? 8 : 10)],
          patronymic: en ? undefined : PATRONYMIC_RU[i % 7],
          lastName: (en ? LAST_EN : LAST_RU)[(i >> 1) % 8],
          email: `customer${i}@example.com`,
          locale: en ? (i % 8 === 3 ? 'en-US' : 'en-GB') : 'ru',
          timeZone: ZONES[i % ZONES.length],
        },
        order: {
          number: `A-${20000 + i}`,
          total: total.toFixed(2),
          items,
          trackingNumber: i % 5 === 0 ? null : `RA${100000000 + i}RU`,
          orderedAt: new Date(Date.UTC(2026, 2, 1 + (i % 28), i % 24, i % 60)).toISOString(),
        },
        message: {
          id: `m-${i}`,
          unsubscribeUrl: `https://mail.example.com/u/m-${i}?sig=${(i * 2654435761) % 4294967296}`,
          preferencesUrl: `https://mail.example.com/p/m-${i}`,
          viewInBrowserUrl: `https://mail.example.com/v/m-${i}`,
          trackLink: sampleTrackLink(`m-${i}`),
        },
        data: { promoCode: `SPRING${i % 1000}`, discountPercent: 10 + (i % 4) * 5 },
      }),
    );
  }
  return pool;
}

async function main(): Promise<void> {
  const n = Number(flag('n') ?? 100000);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n: expected a whole number ≥ 1, got ${flag('n')}`);
  const path = flag('template') ?? join(defaultTemplatesDir(), 'email', 'b2c-promo.ru.mjml');
  const file = loadTemplateFile(path);
  const pool = customers(1000);
  console.log(`template: ${path}`);
  console.log(`recipients: ${n} (pool of ${pool.length} distinct customers), node ${process.version}`);

  // Baseline: the naive way, MJML compiled for every recipient (Handlebars on the MJML, then MJML).
  const naiveSubject = compileTemplate(file.subject ?? '', { noEscape: true });
  const naiveBody = compileTemplate(file.body);
  await mjml2html(naiveBody(pool[0], renderData(pool[0], file.locale))); // warm-up
  const naiveCount = 30;
  let naiveStart = performance.now();
  for (let i = 0; i < naiveCount; i++) {
    const ctx = pool[i];
    const state = renderData(ctx, file.locale);
    naiveSubject(ctx, state);
    await mjml2html(naiveBody(ctx, state), { validationLevel: 'skip' });
  }
  const naiveMs = (performance.now() - naiveStart) / naiveCount;
  console.log(`baseline: naive per-recipient MJML compile ${naiveMs.toFixed(2)} ms/recipient (~${Math.round(1000 / naiveMs)} renders/s)`);

  // The pipeline: one compile per template version.
  naiveStart = performance.now();
  const compiled = await compileEmail(emailSourceOf(file));
  const compileMs = performance.now() - naiveStart;
  console.log(
    `compile once: ${compileMs.toFixed(1)} ms total (MJML ${compiled.mjmlCompileMs.toFixed(1)} ms, html template ${compiled.artifact.html.length} chars)`,
  );

  let checksum = 0;
  for (let i = 0; i < 2000; i++) checksum += compiled.render(pool[i % pool.length]).html.length; // warm-up
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const out = compiled.render(pool[i % pool.length]);
    bytes += out.html.length + out.text.length + out.subject.length;
  }
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  checksum += bytes;
  const rate = n / (elapsed / 1000);
  console.log(
    `rendered ${n} emails in ${(elapsed / 1000).toFixed(2)} s: ${((elapsed * 1000) / n).toFixed(1)} µs/render, ` +
      `avg ${Math.round(bytes / n)} chars (html+text+subject), speed-up over naive ×${Math.round(naiveMs / (elapsed / n))} [${checksum % 10}]`,
  );
  console.log(
    `process CPU time ${(cpuMs / 1000).toFixed(2)} s: ${Math.round(n / (cpuMs / 1000))} renders per CPU-second (wall and CPU differ when other processes share the core)`,
  );
  console.log(`render: ${Math.round(rate)} renders/s, mjml_compile_ms: ${compiled.mjmlCompileMs.toFixed(1)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
