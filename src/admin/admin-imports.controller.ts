// CSV import pages: upload a file (kept server-side as a pending import), see how it was read
// and map its columns, start it (optionally as a dry run), follow its progress, read the result
// and its issues by line, download them as CSV, and import for real after a dry run.
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { CSV_BOM, csvRow } from '../common/csv';
import { DomainError } from '../common/domain-error';
import { bigRowCursorText, rowIdText } from '../common/ids';
import { IdPipe, parseOrThrow } from '../common/zod-validation';
import { attributeKeysOf, CsvImportError, importTargets, type ImportFileKind } from '../customers/csv';
import { ImportsService, type ReadChoice } from '../customers/imports/imports.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, AdminUpload, sendPage, type AdminRequest } from './admin-http';
import { text, type Form } from './admin-forms';
import { MalformedUpload, readUploadForm, type UploadedFile } from './admin-upload';
import type { MessageKey, Params } from './i18n/t';
import { DELIMITERS, ENCODINGS, fileSize, importsPage, issueReason, jobPage, mappingPage, mappingProblemTexts } from './views/imports';
import { ui, type Notice, type Ui } from './views/layout';

const LIST_PAGE = 30;
const ISSUE_PAGE = 50;
/** What a multipart form adds to its file (boundaries, part headers, the CSRF and kind fields). */
const FORM_OVERHEAD = 64 << 10;
/** While an import runs its page reloads itself (the Refresh header, no script needed) this often. */
const REFRESH_SECONDS = 2;
const CSV_EXTENSION = /\.(csv|txt|tsv)$/i;
const CSV_TYPES = /^(text\/csv|text\/plain|text\/tab-separated-values|application\/csv|application\/vnd\.ms-excel)$/i;
const SPREADSHEET_EXTENSION = /\.(xlsx|xlsm|xls|ods|numbers)$/i;
/** The first bytes of a zip (xlsx, ods) and of an OLE compound file (xls). */
const SPREADSHEET_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0])];

/** An upload refused on the form: the message key of why, said after the file field's name. */
class UploadRefused extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
  ) {
    super(key);
  }
}

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/imports')
export class AdminImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Get()
  async list(@Query('before') before: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    await this.sendList(request, response, 200, null, undefined, parseOrThrow(rowIdText.optional(), before, 'before'));
  }

  /** The upload (multipart): stored as a pending import, then its mapping step. */
  @Post()
  @AdminUpload()
  async upload(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const session = request.adminSession!;
    const u = ui(session);
    let kind: string | undefined;
    const refuse = (status: number, key: MessageKey, params: Params = {}) =>
      this.sendList(request, response, status, fileNotice(u, key, params), kind);
    if (!/^multipart\/form-data/i.test(request.get('content-type') ?? '')) return refuse(400, 'imports.noFile');
    const maxBytes = this.imports.maxUploadBytes;
    const declared = Number(request.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD)
      return refuse(413, 'imports.tooLarge', { size: fileSize(u, maxBytes) });
    let stored: { id: number } | undefined;
    try {
      const form = await readUploadForm(request, 'file', (fields, file) => {
        kind = fields.kind;
        if (kind !== 'customers' && kind !== 'orders') throw new UploadRefused('imports.unknownKind');
        if (SPREADSHEET_EXTENSION.test(file.filename)) throw new UploadRefused('imports.spreadsheet');
        if (!CSV_EXTENSION.test(file.filename) && !CSV_TYPES.test(file.mimeType)) throw new UploadRefused('imports.notCsv');
        return this.imports.stage(kind, withoutSpreadsheets(file), file.filename, `admin UI: ${session.user.email}`);
      });
      kind = form.fields.kind;
      stored = form.file;
    } catch (error) {
      if (error instanceof UploadRefused) return refuse(400, error.key, error.params);
      if (error instanceof MalformedUpload) return refuse(400, 'imports.noFile');
      if (error instanceof DomainError && error.code === 'payload_too_large')
        return refuse(413, 'imports.tooLarge', { size: fileSize(u, maxBytes) });
      if (error instanceof DomainError && error.issues.some((i) => i.path === '(body)')) return refuse(400, 'imports.emptyFile');
      throw error;
    }
    if (!stored) return refuse(400, 'imports.noFile');
    try {
      await this.imports.preview(stored.id, {}, 1);
    } catch (error) {
      if (!(error instanceof CsvImportError)) throw error;
      await this.imports.discardPending(stored.id);
      return refuse(400, ...csvErrorText(error));
    }
    response.redirect(303, `/admin/imports/${stored.id}`);
  }

  /** A pending import's mapping step, a running one's progress, a finished one's result and issues. */
  @Get(':id')
  async show(
    @Param('id', IdPipe) id: number,
    @Query() query: Record<string, unknown>,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const job = await this.imports.status(id);
    if (job.status === 'pending') {
      const read = readChoiceOf(query);
      const stored = job.options as { mapping?: Record<string, string> };
      await this.sendMapping(request, response, id, 200, read, (headers, suggested) =>
        headers.map((h, i) => stored.mapping?.[h] ?? suggested[i]),
      );
      return;
    }
    if (job.status === 'queued' || job.status === 'running') response.set('refresh', String(REFRESH_SECONDS));
    const after = parseOrThrow(bigRowCursorText.optional(), query.after, 'after');
    const issues = await this.imports.issues(id, { after, limit: ISSUE_PAGE });
    const again = job.dryRun && (job.status === 'completed' || job.status === 'failed') && (await this.imports.hasFile(id));
    sendPage(response, 200, jobPage(request.adminSession!, job, issues, again, null));
  }

  @Post(':id/start')
  async start(@Param('id', IdPipe) id: number, @Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const read = readChoiceOf(body);
    const targets: string[] = [];
    for (let i = 0; typeof body[`col.${i}`] === 'string'; i++) targets.push(text(body, `col.${i}`));
    const dryRun = Boolean(body.dryRun);
    const { problems } = await this.imports.start(id, { ...toRead(read), targets, dryRun });
    if (problems.length === 0) {
      response.redirect(303, `/admin/imports/${id}`);
      return;
    }
    const u = ui(request.adminSession!);
    await this.sendMapping(
      request,
      response,
      id,
      400,
      read,
      (headers) => headers.map((_, i) => targets[i] ?? 'ignore'),
      dryRun,
      (headers) => ({
        kind: 'error',
        text: mappingProblemTexts(u, headers, problems)
          .map((message) => u.t('form.issue', { field: u.t('field.mapping'), message }))
          .join('; '),
      }),
    );
  }

  /** After a dry run: the same file and settings, imported for real as a new import. */
  @Post(':id/import')
  async importForReal(@Param('id', IdPipe) id: number, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const session = request.adminSession!;
    try {
      const created = await this.imports.importForReal(id, `admin UI: ${session.user.email}`);
      response.redirect(303, `/admin/imports/${created.id}`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid_state') throw error;
      const job = await this.imports.status(id);
      const issues = await this.imports.issues(id, { limit: ISSUE_PAGE });
      sendPage(response, 409, jobPage(session, job, issues, false, { kind: 'error', text: ui(session).t('imports.gone') }));
    }
  }

  /** Every issue as CSV for a spreadsheet, in the user's language (`;` between cells, as Russian Excel reads). */
  @Get(':id/issues.csv')
  @AdminRole('marketer')
  async issuesCsv(@Param('id', IdPipe) id: number, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const u = ui(request.adminSession!);
    let page = await this.imports.issues(id, { limit: 5000 });
    response.status(200).set({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="import-${id}-issues.csv"`,
      'cache-control': 'no-store, private',
    });
    const row = (values: unknown[]) => csvRow(values, ';');
    response.write(
      CSV_BOM +
        row([
          u.t('imports.col.line'),
          u.t('imports.col.severity'),
          u.t('col.field'),
          u.t('col.reason'),
          u.t('imports.col.otherLine'),
          'code',
        ]),
    );
    for (;;) {
      response.write(
        page.items
          .map((i) =>
            row([i.line, u.word('importSeverity', i.severity), u.word('importField', i.field), issueReason(u, i), i.otherLine, i.code]),
          )
          .join(''),
      );
      if (page.next === null) break;
      page = await this.imports.issues(id, { limit: 5000, after: BigInt(page.next) });
    }
    response.end();
  }

  private async sendList(
    request: AdminRequest,
    response: Response,
    status: number,
    notice: Notice | null,
    kind?: string,
    before?: number,
  ): Promise<void> {
    const page = await this.imports.list({ before, limit: LIST_PAGE });
    sendPage(
      response,
      status,
      importsPage(request.adminSession!, { rows: page.items, next: page.next, maxBytes: this.imports.maxUploadBytes, kind }, notice),
    );
  }

  /** The mapping step of a pending import, read as `read` says (detected when that fails). */
  private async sendMapping(
    request: AdminRequest,
    response: Response,
    id: number,
    status: number,
    read: { encoding: string; delimiter: string },
    targetsOf: (headers: string[], suggested: string[]) => string[],
    dryRun = false,
    noticeOf?: (headers: string[]) => Notice,
  ): Promise<void> {
    const session = request.adminSession!;
    const u = ui(session);
    const job = await this.imports.status(id);
    let notice: Notice | null = null;
    let preview;
    try {
      preview = await this.imports.preview(id, toRead(read));
    } catch (error) {
      if (!(error instanceof CsvImportError) || (!read.encoding && !read.delimiter)) throw error;
      const [key, params] = csvErrorText(error);
      notice = { kind: 'error', text: u.t('form.issue', { field: u.t('field.encoding'), message: u.t(key, params) }) };
      read = { encoding: '', delimiter: '' };
      preview = await this.imports.preview(id, {});
    }
    const targets = targetsOf(preview.headers, preview.suggested);
    const kind: ImportFileKind = job.kind;
    sendPage(
      response,
      status,
      mappingPage(
        session,
        {
          job,
          preview,
          read,
          targets,
          keys: attributeKeysOf(preview.headers, targets),
          options: importTargets(kind),
          dryRun,
        },
        noticeOf ? noticeOf(preview.headers) : notice,
      ),
    );
  }
}

/** The encoding and delimiter a form or query chose, as the names the page offers ('' = detect). */
function readChoiceOf(source: Record<string, unknown>): { encoding: string; delimiter: string } {
  const encoding = typeof source.encoding === 'string' && (ENCODINGS as readonly string[]).includes(source.encoding) ? source.encoding : '';
  const delimiter = typeof source.delimiter === 'string' && Object.hasOwn(DELIMITERS, source.delimiter) ? source.delimiter : '';
  return { encoding, delimiter };
}

function toRead(choice: { encoding: string; delimiter: string }): ReadChoice {
  return { encoding: choice.encoding || undefined, delimiter: choice.delimiter ? DELIMITERS[choice.delimiter] : undefined };
}

function fileNotice(u: Ui, key: MessageKey, params: Params): Notice {
  return { kind: 'error', text: u.t('form.issue', { field: u.t('field.file'), message: u.t(key, params) }) };
}

/** Why a stored file cannot be read as CSV, as a message of the catalogue. */
function csvErrorText(error: CsvImportError): [MessageKey, Params] {
  if (error.code === 'empty_file') return ['imports.noHeader', {}];
  if (error.code === 'header_mapping') return ['imports.binary', {}];
  return ['imports.unreadable', { reason: error.message }];
}

/** The file's bytes, refused at the first chunk when they are a spreadsheet (xlsx, ods, xls) renamed or sent as CSV. */
async function* withoutSpreadsheets(file: UploadedFile): AsyncGenerator<Uint8Array> {
  let first = true;
  for await (const piece of file.stream) {
    const chunk = piece as Buffer;
    if (first && SPREADSHEET_MAGIC.some((magic) => chunk.subarray(0, magic.length).equals(magic))) {
      throw new UploadRefused('imports.spreadsheet');
    }
    first = false;
    yield chunk;
  }
}
