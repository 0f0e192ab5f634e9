// The customer pages: the search (the API's `GET /customers?q=` rule, through the customers
// service), the card with its edit form (the API's PATCH rules), consent per channel set by hand
// through the consent service (which keeps the history), and the personal-data export and erasure.
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DomainError, type FieldIssue } from '../common/domain-error';
import { rowCursorText } from '../common/ids';
import { ownValue } from '../common/own-value';
import { parseOrThrow, zodIssues } from '../common/zod-validation';
import { IdPipe } from '../common/zod-validation';
import { ConsentService } from '../customers/consent/consent.service';
import { CustomersService } from '../customers/customers.service';
import { customerFieldsSchema } from '../customers/dto/customer.dto';
import { GdprService } from '../customers/gdpr/gdpr.service';
import { OrdersService } from '../customers/orders/orders.service';
import { TimelineService } from '../customers/timeline/timeline.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, sendPage, type AdminRequest } from './admin-http';
import { errorNotice, text, type Form } from './admin-forms';
import { customerBody, formValuesOf, postedValues, type CustomerFormValues } from './customer-form';
import type { MessageKey } from './i18n/t';
import { customerPage, customersPage, customerIssueText } from './views/customers';
import { ui, type Notice, type Ui } from './views/layout';

const PAGE = 50;
const TIMELINE_PAGE = 50;
const RECENT_ORDERS = 10;
const COMPANY_CHOICES = 500;
/** The zones offered in the time-zone field (any IANA name is accepted). */
const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** Fixed notices after a redirect (`?done=key`): the query picks one, it never supplies text. */
const NOTICES: Record<string, MessageKey> = {
  saved: 'customer.saved',
  consent: 'customer.consentSaved',
  erased: 'customer.erased',
};

function noticeOf(done: unknown, u: Ui): Notice | null {
  const key = typeof done === 'string' ? ownValue(NOTICES, done) : undefined;
  return key ? { kind: 'ok', text: u.t(key) } : null;
}

/** A refused form: the problems as one notice on top, each also beside its field. */
function refusal(error: unknown, u: Ui): { notice: Notice; issues: FieldIssue[] } {
  if (error instanceof DomainError && error.issues.length) {
    return { notice: { kind: 'error', text: error.issues.map((i) => customerIssueText(u, i)).join('; ') }, issues: error.issues };
  }
  return { notice: errorNotice(error, u), issues: [] };
}

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/customers')
export class AdminCustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly consent: ConsentService,
    private readonly orders: OrdersService,
    private readonly timeline: TimelineService,
    private readonly gdpr: GdprService,
  ) {}

  /** The search box: the API's `q` (names in any order, email, phone in any form, company, external id). */
  @Get()
  async list(
    @Query('q') q: unknown,
    @Query('after') after: unknown,
    @Query('done') done: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const session = request.adminSession!;
    const search = typeof q === 'string' ? q.trim().slice(0, 100) : '';
    const afterId = parseOrThrow(rowCursorText.optional(), after, 'after');
    const page = await this.customers.list({ limit: PAGE, after: afterId, q: search || undefined });
    sendPage(response, 200, customersPage(session, search, page.items, page.next, noticeOf(done, ui(session))));
  }

  @Get(':id')
  async card(
    @Param('id', IdPipe) id: number,
    @Query('before') before: unknown,
    @Query('done') done: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const session = request.adminSession!;
    await this.sendCard(request, response, id, 200, noticeOf(done, ui(session)), {
      before: typeof before === 'string' ? before : undefined,
    });
  }

  /** Saves every field of the form; refused, the form comes back with what was typed and each problem beside its field. */
  @Post(':id')
  async save(@Param('id', IdPipe) id: number, @Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const u = ui(request.adminSession!);
    const current = await this.customers.get(id);
    const typed = postedValues(body, current.kind);
    try {
      const read = customerBody(typed, current.kind, isRecord(current.attributes) ? current.attributes : {});
      if (!read.ok) throw DomainError.validation(read.issues);
      const parsed = customerFieldsSchema.safeParse(read.body);
      if (!parsed.success) throw DomainError.validation(zodIssues(parsed.error));
      await this.customers.update(id, parsed.data);
      response.redirect(303, `/admin/customers/${id}?done=saved`);
    } catch (error) {
      const { notice, issues } = refusal(error, u);
      await this.sendCard(request, response, id, error instanceof DomainError && error.code === 'conflict' ? 409 : 400, notice, {
        form: typed,
        issues,
      });
    }
  }

  /** Consent on one channel set by hand: recorded by the consent service with its history event. */
  @Post(':id/consent')
  async setConsent(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const session = request.adminSession!;
    const u = ui(session);
    const typed = { channel: text(body, 'channel'), status: text(body, 'status'), proof: text(body, 'proof') };
    try {
      if (typed.channel !== 'email' && typed.channel !== 'sms')
        throw DomainError.validation([{ path: 'channel', message: 'must be one of email, sms' }]);
      if (typed.status !== 'opted_in' && typed.status !== 'opted_out')
        throw DomainError.validation([{ path: 'status', message: 'must be one of opted_in, opted_out' }]);
      const proofForm = text(body, 'proof', { max: 500 }) || undefined;
      const source = u.t('customer.consentSource', { email: session.user.email });
      await this.consent.set(id, typed.channel, { status: typed.status, source, proofForm }, source);
      response.redirect(303, `/admin/customers/${id}?done=consent`);
    } catch (error) {
      const { notice } = refusal(error, u);
      await this.sendCard(request, response, id, error instanceof DomainError && error.code === 'invalid_state' ? 409 : 400, notice, {
        consentTyped: typed,
      });
    }
  }

  /** Everything stored about the customer, as a JSON file (the API's export). */
  @Get(':id/export')
  @AdminRole('marketer')
  async export(@Param('id', IdPipe) id: number, @Res() response: Response): Promise<void> {
    const data = await this.gdpr.export(id);
    response
      .status(200)
      .set({
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="customer-${id}.json"`,
        'cache-control': 'no-store, private, max-age=0',
        'x-content-type-options': 'nosniff',
      })
      .send(JSON.stringify(data, null, 2));
  }

  /** Erases the personal data for good (the API's erase): admins only, after a confirmation. */
  @Post(':id/erase')
  @AdminRole('admin')
  async erase(@Param('id', IdPipe) id: number, @Res() response: Response): Promise<void> {
    await this.gdpr.erase(id);
    response.redirect(303, '/admin/customers?done=erased');
  }

  private async sendCard(
    request: AdminRequest,
    response: Response,
    id: number,
    status: number,
    notice: Notice | null,
    options: {
      before?: string;
      form?: CustomerFormValues;
      issues?: FieldIssue[];
      consentTyped?: { channel: string; status: string; proof: string };
    } = {},
  ): Promise<void> {
    const customer = await this.customers.get(id);
    const [timeline, orders, companies] = await Promise.all([
      this.timeline.page(id, options.before, TIMELINE_PAGE),
      this.orders.recentOf(id, RECENT_ORDERS),
      customer.kind === 'company' ? Promise.resolve({ items: [] }) : this.customers.list({ kind: 'company', limit: COMPANY_CHOICES }),
    ]);
    sendPage(
      response,
      status,
      customerPage(
        request.adminSession!,
        {
          customer,
          form: options.form ?? formValuesOf(customer),
          issues: options.issues ?? [],
          orders,
          companies: companies.items,
          timeline,
          consentTyped: options.consentTyped,
          zones: ZONES,
        },
        notice,
      ),
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
