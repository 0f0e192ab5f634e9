// The preview is the message: a template's preview for a customer (POST /templates/:id/preview),
// given what only the real send knows (the message's signed links, the campaign, the brand),
// equals what a real SMTP server receives from the campaign: subject, HTML and text, byte for
// byte once the sample click links are mapped to the message's signed ones and the open pixel
// (added after rendering) is put in.
// The template declares a data field and shows the run's month: the campaign's `data` and the
// run's values reach the message (issue 18; before, a campaign had no `data` and such fields went
// out empty while the preview filled them from the sample), and given the same values the
// preview shows the same. A preview without them still fills `data` from the sample and `run`
// from now (template-preview.service.ts).
import { ConfigService } from '@nestjs/config';
import { simpleParser } from 'mailparser';
import { secretKeys } from '../../src/config/config.module';
import { PrismaService } from '../../src/database/prisma.service';
import { runValues } from '../../src/templates/render/run-values';
import { messageLinks } from '../../src/tracking/tracking-links';
import { withOpenPixel } from '../../src/tracking/open-pixel';
import { makeCustomers, segmentByTag } from '../campaigns/campaign-fixtures';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let api: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;
let marketer: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({
    SMTP_URL: sink.url,
    MAIL_FROM: 'news@shop.example',
    MAIL_FROM_NAME: 'Магазин',
    FREQUENCY_CAP_PER_WEEK: '0',
    PUBLIC_URL: 'https://mail.shop.example',
  });
  prisma = t.app.get(PrismaService);
  marketer = await t.key('marketer');
  api = keyedApi(t, marketer);
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

/** A campaign template of our own: customer fields, brand, campaign, the message's links, tracked links. */
const BODY = `<mjml lang="ru"><mj-head><mj-title>{{brand.name}}</mj-title></mj-head><mj-body>
<mj-section><mj-column>
<mj-text>{{#if viewInBrowserUrl}}<a href="{{viewInBrowserUrl}}">Открыть в браузере</a>{{/if}}</mj-text>
<mj-text>Здравствуйте, {{firstName default="друзья"}} {{customer.lastName}}! «{{campaign.name}}» от {{brand.name}}.</mj-text>
<mj-text>{{data.offer}} — только в {{data.month}} ({{run.date}}).</mj-text>
<mj-button href="{{track "https://shop.example/sale?from=mail&x=1"}}">В магазин</mj-button>
<mj-text><a href="{{track "https://shop.example/catalog"}}">Каталог</a> · <a href="{{unsubscribeUrl}}">Отписаться</a> · <a href="{{preferencesUrl}}">Настройки</a></mj-text>
</mj-column></mj-section>
</mj-body></mjml>`;

it('a campaign template’s preview for a customer equals the message the SMTP server received', async () => {
  const made = await api('POST', '/templates', {
    key: 'preview-check',
    name: 'preview check',
    channel: 'email',
    locale: 'ru',
    subject: '{{firstName}}, «{{campaign.name}}» — {{brand.name}}',
    body: BODY,
    dataSchema: [
      { name: 'offer', type: 'text', required: true },
      { name: 'month', type: 'text', default: '{{run.month}}' },
    ],
  });
  expect(made.status).toBe(201);
  const template = made.body.id as number;
  const [customer] = await makeCustomers(prisma, 'preview', 1);
  const name = 'Превью = письмо';
  const data = { offer: 'Скидка 10%' };
  const created = await api('POST', '/campaigns', { name, templateId: template, segmentId: await segmentByTag(prisma, 'preview'), data });
  expect(created.status).toBe(201);
  await api('POST', `/campaigns/${created.body.id}/schedule`);
  const message = await waitFor(
    () => prisma.message.findFirst({ where: { campaignId: created.body.id, status: 'sent' } }),
    30_000,
    'the campaign message sent',
  );
  const received = await simpleParser(sink.messages.find((m) => m.otklikId === String(message.id))!.raw);
  const { occurrenceAt } = await prisma.campaignRun.findUniqueOrThrow({ where: { id: message.runId! } });
  const run = runValues(occurrenceAt, 'Europe/Moscow', 'ru');

  const links = messageLinks('https://mail.shop.example', secretKeys(t.app.get(ConfigService)), message.id);
  const preview = await api('POST', `/templates/${template}/preview`, {
    customerId: customer.id,
    context: {
      message: {
        id: String(message.id),
        unsubscribeUrl: links.unsubscribeUrl,
        preferencesUrl: links.preferencesUrl,
        viewInBrowserUrl: links.viewInBrowserUrl,
        openPixelUrl: links.openPixelUrl,
      },
      campaign: { id: created.body.id, name },
      brand: { name: 'Магазин' },
      data: { ...data, month: run.month },
      run,
    },
  });
  expect(preview.status).toBe(200);
  expect(preview.body.warnings).toEqual([]);
  // The preview's sample click links (https://click.example.com/c/<id>/<index>?u=<url>, `=` escaped
  // in HTML attributes as the renderer escapes it) become the message's signed ones.
  const signed = (rendered: string) =>
    rendered.replace(
      /https:\/\/click\.example\.com\/c\/[^/]+\/(\d+)\?u(=|&#x3D;)([^"\s<>)\]]+)/g,
      (_m, index: string, equals: string, url: string) =>
        links.trackLink(decodeURIComponent(url), Number(index)).replace('?u=', `?u${equals}`),
    );

  expect(preview.body.subject).toBe(`Имя0, «${name}» — Магазин`);
  expect(received.subject).toBe(preview.body.subject);
  expect(received.html).toContain(`Скидка 10% — только в ${run.month} (${run.date}).`); // the default filled in for the run
  expect(preview.body.html).toContain('click.example.com/c/'); // the links were tracked in both
  expect(received.html).toBe(withOpenPixel(signed(preview.body.html), links.openPixelUrl));
  expect(received.text?.trim()).toBe(signed(preview.body.text).trim());
});
