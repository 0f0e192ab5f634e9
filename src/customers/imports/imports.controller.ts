import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../../auth/auth.decorators';
import { DomainError } from '../../common/domain-error';
import { ApiFileResponse, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow } from '../../common/zod-validation';
import { importIssuePage, importPage, importStatus } from '../dto/import-response.dto';
import { importIssuesQuery, importListQuery, importUploadQuery } from '../dto/import.dto';
import { sourceOf } from '../principal-source';
import { ISSUE_REPORT_HEADER, issueReportLine } from './issue-report';
import { ImportsService } from './imports.service';

const KINDS = ['customers', 'orders'] as const;
const UPLOAD_TYPES = /^(text\/csv|text\/plain|application\/csv|application\/vnd\.ms-excel|application\/octet-stream)\b/i;

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  /**
   * Upload a CSV as the request body (`curl --data-binary @file.csv -H 'content-type: text/csv'`).
   * Answers 201 with the queued job; poll GET /imports/:id for progress and the report.
   */
  @Post(':kind')
  @ApiParam({ name: 'kind', enum: KINDS })
  @ApiConsumes('text/csv')
  @ApiBody({
    description: 'The CSV file (UTF-8 or windows-1251, `,` `;` or tab between cells).',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiZodQuery(importUploadQuery)
  @ApiZodResponse(201, importStatus, 'Queued: poll GET /imports/{id}')
  upload(@Param('kind') kind: string, @Query() query: unknown, @Req() request: Request, @CurrentPrincipal() principal?: Principal) {
    if (!(KINDS as readonly string[]).includes(kind)) throw DomainError.notFound('Import kind', kind);
    const type = request.headers['content-type'] ?? '';
    if (!UPLOAD_TYPES.test(type)) {
      throw DomainError.validation([
        {
          path: 'content-type',
          message: `expected text/csv with the file as the body (curl --data-binary @file.csv -H 'content-type: text/csv'), got ${type || 'none'}`,
        },
      ]);
    }
    const length = Number(request.headers['content-length']);
    return this.imports.upload(
      kind as (typeof KINDS)[number],
      request,
      parseOrThrow(importUploadQuery, query, 'query'),
      sourceOf(principal),
      Number.isFinite(length) ? length : undefined,
    );
  }

  @Get()
  @ApiZodQuery(importListQuery)
  @ApiZodResponse(200, importPage)
  list(@Query() query: unknown) {
    return this.imports.list(parseOrThrow(importListQuery, query, 'query'));
  }

  /** Status, progress (bytes read of the total), counts, the file's encoding and columns, the first errors. */
  @Get(':id')
  @ApiZodResponse(200, importStatus)
  status(@Param('id', IdPipe) id: number) {
    return this.imports.status(id);
  }

  /** Every issue by line, paged: `next` is the cursor for the following page (`after`). */
  @Get(':id/issues')
  @ApiZodQuery(importIssuesQuery)
  @ApiZodResponse(200, importIssuePage)
  issues(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    return this.imports.issues(id, parseOrThrow(importIssuesQuery, query, 'query'));
  }

  /** The same report as a CSV file for a spreadsheet. */
  @Get(':id/issues.csv')
  @ApiFileResponse('text/csv', 'The issues as CSV (UTF-8)')
  async issuesCsv(@Param('id', IdPipe) id: number, @Res() response: Response): Promise<void> {
    let page = await this.imports.issues(id, { limit: 5000 });
    response.type('text/csv; charset=utf-8').set('content-disposition', `attachment; filename="import-${id}-issues.csv"`);
    response.write(ISSUE_REPORT_HEADER);
    for (;;) {
      response.write(page.items.map(issueReportLine).join(''));
      if (page.next === null) break;
      page = await this.imports.issues(id, { limit: 5000, after: BigInt(page.next) });
    }
    response.end();
  }
}
