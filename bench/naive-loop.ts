// `node dist/bench/naive-loop.js '<json>'`, started by bench:campaign: its baseline.
//
// nodemailer.sendMail, one message after another, over the same messages as the campaign (its
// template version, the first customers, a price list of the same size) to the same sink. It
// runs in a process of its own so that what nodemailer leaves behind (a few hundred MB of
// freed stream buffers the process keeps) is not counted as the API's memory. Prints one JSON
// line (NaiveLoopResult).
import '../src/common/bigint-json';
import { PrismaPg } from '@prisma/adapter-pg';
import nodemailer from 'nodemailer';
import { PrismaClient } from '../src/generated/prisma/client';
import { customerRenderContext } from '../src/templates/customer-context';
import { emailOfStored } from '../src/templates/template-source';

export interface NaiveLoopInput {
  databaseUrl: string;
  sinkPort: number;
  versionId: number;
  sample: number;
  /** the campaign's attachment: its size and the byte it is filled with */
  attachmentBytes: number;
  attachmentFill: number;
  locale: string;
  timeZone: string;
}

/** What the naive loop prints, as one JSON line. */
export interface NaiveLoopResult {
  rate: number;
  messages: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as NaiveLoopInput;
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: input.databaseUrl, max: 2 }) });
  try {
    const row = await prisma.templateVersion.findUniqueOrThrow({
      where: { id: input.versionId },
      include: { template: { select: { channel: true } } },
    });
    const email = await emailOfStored({ ...row, channel: row.template.channel });
    const customers = await prisma.customer.findMany({ take: input.sample, orderBy: { id: 'asc' } });
    const attachment = Buffer.alloc(input.attachmentBytes, input.attachmentFill);
    const transporter = nodemailer.createTransport({ host: '127.0.0.1', port: input.sinkPort, secure: false, ignoreTLS: true });
    const started = process.hrtime.bigint();
    for (const customer of customers) {
      const content = email.render(customerRenderContext(customer, {}, { locale: input.locale, timeZone: input.timeZone }));
      await transporter.sendMail({
        from: 'news@shop.example',
        to: customer.email ?? '',
        subject: content.subject,
        html: content.html,
        text: content.text,
        attachments: [{ filename: 'price-list.pdf', content: attachment, contentType: 'application/pdf' }],
      });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    transporter.close();
    const result: NaiveLoopResult = {
      rate: customers.length / seconds,
      messages: customers.length,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    console.log(JSON.stringify(result));
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
