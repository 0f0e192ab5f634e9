// The segments pages: the list, a segment's form with the visual builder, and the builder's live
// preview (counts and the first customers of unsaved rules, as JSON for segment-builder.js).
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DomainError, type FieldIssue } from '../common/domain-error';
import { IdPipe } from '../common/zod-validation';
import { AudienceService } from '../segments/audience.service';
import { toFieldIssues } from '../segments/dsl/format-issues';
import { parseSegmentRules, type SegmentRule } from '../segments/dsl/segment-rules';
import { SegmentsService, type SegmentInput } from '../segments/segments.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, sendPage, type AdminRequest } from './admin-http';
import { errorNotice, noticeOf, text, type Form } from './admin-forms';
import { ui } from './views/layout';
import {
  ruleIssue,
  segmentDescription,
  segmentIssueText,
  segmentName,
  segmentPage,
  segmentsPage,
  type SegmentFormValues,
} from './views/segments';

/** Customers the live preview lists under the counts. */
const PREVIEW_SAMPLE = 10;
const MAX_RULES_TEXT = 100_000;

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin')
export class AdminSegmentsController {
  constructor(
    private readonly segments: SegmentsService,
    private readonly audience: AudienceService,
  ) {}

  @Get('segments')
  async segmentList(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(response, 200, segmentsPage(request.adminSession!, await this.segments.list(), noticeOf(done, ui(request.adminSession!))));
  }

  @Get('segments/new')
  newSegment(@Req() request: AdminRequest, @Res() response: Response): void {
    sendPage(response, 200, segmentPage(request.adminSession!, { id: null, name: '', description: null, rules: '{"all": []}' }, null));
  }

  @Get('segments/:id')
  async segment(
    @Param('id', IdPipe) id: number,
    @Query('done') done: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const u = ui(request.adminSession!);
    const s = await this.segments.get(id);
    const values = { id: s.id, name: segmentName(u, s), description: segmentDescription(u, s), rules: JSON.stringify(s.rules, null, 2) };
    sendPage(response, 200, segmentPage(request.adminSession!, values, noticeOf(done, u)));
  }

  /**
   * The builder's live preview of unsaved rules: the total, how many are reachable by email and
   * by SMS (as a campaign would freeze them) and the first customers. Changes nothing, so
   * viewers may; a JSON answer, with the rule issues by path and in words on a 400.
   */
  @Post('segments/preview')
  @HttpCode(200)
  @AdminRole('viewer')
  async preview(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const u = ui(request.adminSession!);
    const read = readRules(body);
    if (!read.ok) {
      const issues = read.issues.map((i) => ruleIssue(u, i));
      response.status(400).json({ error: read.issues.map((i) => segmentIssueText(u, i)).join('; '), issues });
      return;
    }
    try {
      const now = new Date();
      const source = { rules: read.rules };
      const [reach, sample] = await Promise.all([
        this.audience.reach(source, { now }),
        this.audience.sample(source, { now, limit: PREVIEW_SAMPLE }),
      ]);
      response.json({
        ...reach,
        shown: {
          total: u.f.number(reach.total),
          reachableEmail: u.f.number(reach.reachableEmail),
          reachableSms: u.f.number(reach.reachableSms),
        },
        sample: sample.map((c) => ({
          id: c.id,
          name: c.name ?? null,
          contact: c.email ?? c.phone ?? null,
          company: c.companyName ?? null,
        })),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const issues = error.issues.map((i) => ruleIssue(u, i));
      response
        .status(400)
        .json({ error: issues.length ? error.issues.map((i) => segmentIssueText(u, i)).join('; ') : error.message, issues });
    }
  }

  @Post('segments')
  async createSegment(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const input = readSegmentForm(body);
    if (input.ok) {
      const created = await this.segments.create(input.segment);
      response.redirect(303, `/admin/segments/${created.id}?done=created`);
      return;
    }
    refused(request, response, { id: null, ...typed(body) }, input.issues);
  }

  @Post('segments/:id')
  async saveSegment(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const input = readSegmentForm(body);
    if (!input.ok) {
      await this.segments.get(id); // an unknown segment is a 404, not a form
      refused(request, response, { id, ...typed(body) }, input.issues);
      return;
    }
    try {
      await this.segments.update(id, input.segment);
      response.redirect(303, `/admin/segments/${id}?done=saved`);
    } catch (error) {
      // A built-in segment cannot be changed: said on the form, with what was typed.
      if (!(error instanceof DomainError) || error.code !== 'invalid_state') throw error;
      sendPage(response, 409, segmentPage(request.adminSession!, { id, ...typed(body) }, errorNotice(error, ui(request.adminSession!))));
    }
  }
}

/** The form again, as typed, with every refused field named on it. */
function refused(request: AdminRequest, response: Response, values: SegmentFormValues, issues: FieldIssue[]): void {
  const u = ui(request.adminSession!);
  const notice = { kind: 'error' as const, text: issues.map((i) => segmentIssueText(u, i)).join('; ') };
  sendPage(response, 400, segmentPage(request.adminSession!, values, notice, issues));
}

function typed(body: Form): Omit<SegmentFormValues, 'id'> {
  const raw = (field: string) => (typeof body[field] === 'string' ? body[field] : '');
  return { name: raw('name'), description: raw('description'), rules: raw('rules') };
}

type Read<T> = ({ ok: true } & T) | { ok: false; issues: FieldIssue[] };

/** The rules field: JSON text that validates as segment rules; the issues name their paths (`rules.all[1].value`). */
function readRules(body: Form): Read<{ rules: SegmentRule }> {
  const source = typeof body.rules === 'string' ? body.rules.trim() : '';
  if (!source) return { ok: false, issues: [{ path: 'rules', message: 'is required' }] };
  if (source.length > MAX_RULES_TEXT)
    return { ok: false, issues: [{ path: 'rules', message: `must be at most ${MAX_RULES_TEXT} characters` }] };
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    return { ok: false, issues: [{ path: 'rules', message: `not valid JSON (${(error as Error).message})` }] };
  }
  const parsed = parseSegmentRules(json);
  return parsed.ok ? { ok: true, rules: parsed.rules } : { ok: false, issues: toFieldIssues(parsed.issues) };
}

/** Name, description and rules of a posted segment form; every refused field is named, not just the first. */
function readSegmentForm(body: Form): Read<{ segment: SegmentInput }> {
  const issues: FieldIssue[] = [];
  const field = (name: string, options: { required?: boolean; max: number }) => {
    try {
      return text(body, name, options);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      issues.push(...error.issues);
      return '';
    }
  };
  const name = field('name', { required: true, max: 200 });
  const description = field('description', { max: 2000 });
  const rules = readRules(body);
  if (!rules.ok) issues.push(...rules.issues);
  if (issues.length || !rules.ok) return { ok: false, issues };
  return { ok: true, segment: { name, description: description || null, rules: rules.rules } };
}
