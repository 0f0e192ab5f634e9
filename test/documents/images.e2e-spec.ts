// Images for templates, end to end: uploaded through the API (JSON, base64) and through the
// admin route the content studio uses (multipart with a real session and its CSRF header),
// served publicly under their content hash with year-long caching, stored once however often
// they are uploaded, and refused (SVG, a text file named .png, too big, too wide) with a message
// naming the file and the limit, nothing stored.
import { createHash } from 'node:crypto';
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import { PrismaService } from '../../src/database/prisma.service';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { GIF_1X1, JPEG_1X1, pngImage, SVG_WITH_SCRIPT, WEBP_1X1 } from '../support/images';
import { startTestApp, type TestApp } from '../support/test-app';

const MAX_BYTES = 64 * 1024;

let t: TestApp;
let prisma: PrismaService;
let api: KeyedApi;
let viewerApi: KeyedApi;
let session: { token: string; csrf: string };

beforeAll(async () => {
  t = await startTestApp({ OTKLIK_ROLE: 'api', IMAGE_MAX_BYTES: String(MAX_BYTES), PUBLIC_URL: 'https://mail.shop.example/otklik/' });
  prisma = t.app.get(PrismaService);
  api = keyedApi(t, await t.key('marketer'));
  viewerApi = keyedApi(t, await t.key('viewer'));
  const users = t.app.get(AdminAuthService);
  await users.createUser({ email: 'studio@images.test', role: 'marketer', password: 'password of the studio' });
  const { token } = (await users.login('studio@images.test', 'password of the studio'))!;
  session = { token, csrf: (await users.session(token))!.csrfToken };
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const servedPath = (url: string) => new URL(url).pathname.replace(/^\/otklik/, '');
const counts = async () => ({ images: await prisma.image.count(), contents: await prisma.documentContent.count() });

async function adminUpload(filename: string, data: Buffer, headers: Record<string, string> = { 'x-csrf-token': session.csrf }) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), filename);
  const response = await fetch(`${t.url}/admin/images`, {
    method: 'POST',
    headers: { cookie: `otk_admin=${session.token}`, ...headers },
    body: form,
    redirect: 'manual',
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text,
    body: /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : null,
  };
}

async function fetchServed(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.url}${servedPath(url)}`, { headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('images through the API', () => {
  it('stores each type, serves the same bytes with caching headers, and stores the same bytes once', async () => {
    const png = pngImage(40, 30, 11);
    const first = await api('POST', '/images', { filename: 'баннер.png', contentBase64: png.toString('base64') });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(Number),
      url: `https://mail.shop.example/otklik/images/${sha(png)}.png`,
      sha256: sha(png),
      contentType: 'image/png',
      size: png.length,
      width: 40,
      height: 30,
      filename: 'баннер.png',
      createdAt: expect.any(String),
    });

    expect((await prisma.image.findUniqueOrThrow({ where: { sha256: sha(png) } })).createdBy).toMatch(/^api_key:\d+$/);

    const served = await fetchServed(first.body.url);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(png)).toBe(true);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(served.headers.get('etag')).toBe(`"${sha(png)}"`);
    // A client that has it gets 304 and no body.
    const again = await fetchServed(first.body.url, { 'if-none-match': `"${sha(png)}"` });
    expect([again.status, again.bytes.length]).toEqual([304, 0]);

    const before = await counts();
    const second = await api('POST', '/images', { filename: 'copy-under-another-name.png', contentBase64: png.toString('base64') });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body); // the same image, the first name kept
    expect(await counts()).toEqual(before);

    for (const [name, data, type, ext] of [
      ['photo.jpeg', JPEG_1X1, 'image/jpeg', 'jpg'],
      ['anim.gif', GIF_1X1, 'image/gif', 'gif'],
      ['pic.webp', WEBP_1X1, 'image/webp', 'webp'],
    ] as const) {
      const stored = await api('POST', '/images', { filename: name, contentBase64: data.toString('base64') });
      expect([name, stored.status, stored.body.contentType, stored.body.url]).toEqual([
        name,
        201,
        type,
        `https://mail.shop.example/otklik/images/${sha(data)}.${ext}`,
      ]);
      const got = await fetchServed(stored.body.url);
      expect([name, got.status, got.headers.get('content-type'), got.bytes.equals(data)]).toEqual([name, 200, type, true]);
    }

    const list = await viewerApi('GET', '/images?limit=2');
    expect(list.status).toBe(200);
    expect(list.body.map((i: { filename: string }) => i.filename)).toEqual(['pic.webp', 'anim.gif']);
  });

  it('stores bytes uploaded five times at once in one row: one 201, the others 200 with the same URL', async () => {
    const png = pngImage(16, 16, 5);
    const before = await counts();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => api('POST', '/images', { filename: `same-${i}.png`, contentBase64: png.toString('base64') })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.url))).toEqual(new Set([`https://mail.shop.example/otklik/images/${sha(png)}.png`]));
    expect(await counts()).toEqual({ images: before.images + 1, contents: before.contents + 1 });
  });

  it('answers 404 for an unknown hash, another type’s extension, or a name that is no hash', async () => {
    const png = pngImage(2, 2, 99);
    const stored = await api('POST', '/images', { filename: 'tiny.png', contentBase64: png.toString('base64') });
    expect(stored.status).toBe(201);
    for (const path of [
      `/images/${sha(png)}.jpg`,
      `/images/${sha(Buffer.from('nothing'))}.png`,
      '/images/logo.png',
      `/images/${sha(png)}`,
    ]) {
      const response = await fetch(`${t.url}${path}`);
      expect([path, response.status, response.headers.get('cache-control')]).toEqual([path, 404, 'no-store']);
    }
  });

  it('refuses SVG, a text file named .png, a file over the size limit and one over 8000 pixels, naming the file and the limit; nothing stored', async () => {
    const before = await counts();
    const cases: Array<[string, Buffer, RegExp]> = [
      ['logo.svg', SVG_WITH_SCRIPT, /«logo\.svg» is an SVG image: SVG is not accepted.*PNG, JPEG, GIF or WebP/],
      ['x.png', Buffer.from('I am only text pretending to be a picture'), /«x\.png» is not a PNG, JPEG, GIF or WebP image/],
      [
        'huge.png',
        Buffer.concat([pngImage(8, 8), Buffer.alloc(MAX_BYTES)]),
        /«huge\.png» is .*: images may be at most 64 KB \(65536 bytes\)/,
      ],
      ['wide.png', pngImage(8001, 1), /«wide\.png» is 8001×1 pixels: images may be at most 8000×8000 pixels/],
    ];
    for (const [filename, data, message] of cases) {
      const answer = await api('POST', '/images', { filename, contentBase64: data.toString('base64') });
      expect([filename, answer.status, answer.body.error]).toEqual([filename, 400, 'validation_failed']);
      expect(answer.body.message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('takes a JSON body as large as an image at the limit needs, and answers 413 naming the limit past it', async () => {
    const atLimit = Buffer.concat([pngImage(4, 4, 3), Buffer.alloc(MAX_BYTES - pngImage(4, 4, 3).length)]);
    expect(atLimit.length).toBe(MAX_BYTES);
    const stored = await api('POST', '/images', { filename: 'exactly.png', contentBase64: atLimit.toString('base64') });
    expect([stored.status, stored.body.size]).toEqual([201, MAX_BYTES]);
    const before = await counts();
    const flood = await api('POST', '/images', { filename: 'flood.png', contentBase64: 'A'.repeat(400_000) });
    expect([flood.status, flood.body.error]).toEqual([413, 'payload_too_large']);
    expect(flood.body.message).toMatch(/limit of 152920 bytes/);
    expect(await counts()).toEqual(before);
  });
});

describe('images through the admin route (the studio’s asset manager)', () => {
  it('uploads with the session and its CSRF header, answers JSON, serves the same bytes, and lists newest first', async () => {
    const png = pngImage(120, 60, 42);
    const first = await adminUpload('шапка письма.png', png);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      url: `https://mail.shop.example/otklik/images/${sha(png)}.png`,
      sha256: sha(png),
      contentType: 'image/png',
      size: png.length,
      width: 120,
      height: 60,
      filename: 'шапка письма.png',
    });
    const served = await fetchServed(first.body.url);
    expect(served.bytes.equals(png)).toBe(true);
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const row = await prisma.image.findUniqueOrThrow({ where: { sha256: sha(png) } });
    expect(row.createdBy).toBe('admin UI: studio@images.test');

    const before = await counts();
    const second = await adminUpload('again.png', png);
    expect([second.status, second.body.url]).toEqual([200, first.body.url]);
    expect(await counts()).toEqual(before);

    const list = await fetch(`${t.url}/admin/images`, { headers: { cookie: `otk_admin=${session.token}` } });
    expect(list.status).toBe(200);
    const { images } = (await list.json()) as { images: Array<Record<string, unknown>> };
    expect(images[0]).toEqual({ url: first.body.url, filename: 'шапка письма.png', width: 120, height: 60, size: png.length });
  });

  it('refuses in the user’s language, naming the file and the limit; nothing stored', async () => {
    const before = await counts();
    const cases: Array<[string, Buffer, string]> = [
      [
        'logo.svg',
        SVG_WITH_SCRIPT,
        '«logo.svg» — изображение SVG: SVG не принимается (в нём могут быть скрипты). Загрузите PNG, JPEG, GIF или WebP.',
      ],
      [
        'x.png',
        Buffer.from('plain text, renamed'),
        '«x.png» — не изображение PNG, JPEG, GIF или WebP (проверяется содержимое, а не имя файла).',
      ],
      [
        'huge.png',
        Buffer.concat([pngImage(8, 8), Buffer.alloc(MAX_BYTES)]),
        '«huge.png» больше допустимого: изображение может весить не больше 64 КБ.',
      ],
      ['wide.png', pngImage(9000, 2), '«wide.png» — 9000×2 пикселей: изображение может быть не больше 8000×8000 пикселей.'],
    ];
    for (const [filename, data, error] of cases) {
      const answer = await adminUpload(filename, data);
      expect([filename, answer.status, answer.body]).toEqual([filename, 400, { error }]);
    }
    // In English for a user who chose it.
    await prisma.user.update({ where: { email: 'studio@images.test' }, data: { locale: 'en' } });
    const english = await adminUpload('logo.svg', SVG_WITH_SCRIPT);
    expect(english.body).toEqual({
      error: '«logo.svg» is an SVG image: SVG is not accepted (it can carry scripts). Upload a PNG, JPEG, GIF or WebP.',
    });
    await prisma.user.update({ where: { email: 'studio@images.test' }, data: { locale: 'ru' } });
    expect(await counts()).toEqual(before);
  });

  it('refuses an upload without the session’s CSRF token, or with another’s, storing nothing', async () => {
    const before = await counts();
    const png = pngImage(3, 3, 201);
    for (const headers of [{}, { 'x-csrf-token': 'A'.repeat(session.csrf.length) }] as Array<Record<string, string>>) {
      const answer = await adminUpload('forged.png', png, headers);
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('CSRF');
    }
    expect(await counts()).toEqual(before);
  });
});
