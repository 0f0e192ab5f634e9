// Throughput of the customer CSV reader alone (no database): generates a Russian-Excel-style
// file (semicolons, BOM, "8 (9xx) xxx-xx-xx" phones with uniformly random numbers, DD.MM.YYYY
// birthdays, mixed-case emails, an unknown column) and reads it as the import would.
//
//   node dist/bench/csv-reader.js [rows=1000000] [path]
//
// Prints: csv-reader: <rows/s> rows/s, peak_rss_mb: <MB>
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { readCustomerCsv } from '../src/customers/csv';

const FIRST = ['Иван', 'Мария', 'Пётр', 'Анна', 'Сергей', 'Ольга', 'Алексей', 'Елена'];
const LAST = ['Иванов', 'Петрова', 'Сидоров', 'Кузнецова', 'Смирнов', 'Попова'];
const DOMAINS = ['Mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'example.org'];

async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('\uFEFFКод клиента;Фамилия;Имя;E-mail;Телефон;Дата рождения;Теги;Согласие на рассылку;Город\r\n');
  let seed = 42;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < rows;) {
    let chunk = '';
    for (let k = 0; k < 1000 && i < rows; k++, i++) {
      const n = String(rnd(1_000_000_000)).padStart(9, '0');
      const phone = `8 (9${n.slice(0, 2)}) ${n.slice(2, 5)}-${n.slice(5, 7)}-${n.slice(7)}`;
      const birthday = `${String(1 + rnd(28)).padStart(2, '0')}.${String(1 + rnd(12)).padStart(2, '0')}.${1950 + rnd(55)}`;
      const first = FIRST[rnd(FIRST.length)];
      chunk += `C${i};${LAST[rnd(LAST.length)]};${first};User.${i}@${DOMAINS[rnd(DOMAINS.length)]};${phone};${birthday};"vip, b2b";да;Москва\r\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const path = process.argv[3] ?? join(tmpdir(), `otklik-bench-customers-${rows}.csv`);
  if (!existsSync(path)) await generate(path, rows);
  const totalBytes = statSync(path).size;

  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const reader = readCustomerCsv(createReadStream(path, { highWaterMark: 1 << 16 }), { totalBytes });
  let accepted = 0;
  for await (const batch of reader) accepted += batch.rows.length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const summary = reader.summary;
  const rate = Math.round(summary.dataLines / seconds);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.error(
    `rows=${summary.dataLines} accepted=${accepted} errors=${summary.errorCount} warnings=${summary.warningCount} ` +
      `encoding=${summary.encoding} delimiter=${JSON.stringify(summary.delimiter)} seconds=${seconds.toFixed(2)} cpu_seconds=${cpuSeconds.toFixed(2)} ` +
      `rows_per_cpu_s=${Math.round(summary.dataLines / cpuSeconds)} bytes=${totalBytes}`,
  );
  console.log(`csv-reader: ${rate} rows/s, peak_rss_mb: ${peakRssMb}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
