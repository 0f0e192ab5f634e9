import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, type Principal } from '../auth/auth.decorators';
import { ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import {
  templateDetail,
  templateItems,
  templatePreview,
  templateVersion,
  validationReport,
  versionItems,
} from './dto/template-response.dto';
import {
  createTemplateBody,
  listTemplatesQuery,
  listVersionsQuery,
  localeSchema,
  previewBody,
  saveVersionBody,
  updateTemplateBody,
  validateTemplateBody,
  type CreateTemplateInput,
  type PreviewInput,
  type SaveVersionInput,
  type UpdateTemplateInput,
  type ValidateTemplateInput,
} from './dto/templates.dto';
import { TemplateEditorService } from './template-editor.service';
import { TemplatePreviewService } from './template-preview.service';

/** Who saved a version, as stored on it. */
function authorOf(principal: Principal | undefined): string {
  return principal ? `${principal.kind}:${principal.id}` : 'unknown';
}

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(
    private readonly editor: TemplateEditorService,
    private readonly previews: TemplatePreviewService,
  ) {}

  @Get()
  @ApiZodQuery(listTemplatesQuery)
  @ApiZodResponse(200, templateItems)
  list(@Query() query: unknown) {
    return this.editor.list(parseOrThrow(listTemplatesQuery, query, 'query'));
  }

  /** A new template with its first version; 400 with line and column when the template is invalid. */
  @Post()
  @ApiZodBody(createTemplateBody)
  @ApiZodResponse(201, templateDetail, 'Created')
  create(@Body(new ZodPipe(createTemplateBody)) body: CreateTemplateInput, @CurrentPrincipal() principal?: Principal) {
    return this.editor.create(body, authorOf(principal));
  }

  /** Checks a draft without saving: `{ valid, errors, warnings, sample? }` (SMS: length of a sample render). */
  @Post('validate')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiZodBody(validateTemplateBody)
  @ApiZodResponse(200, validationReport)
  validate(@Body(new ZodPipe(validateTemplateBody)) body: ValidateTemplateInput) {
    return this.editor.validate(body);
  }

  @Get(':id')
  @ApiZodResponse(200, templateDetail)
  get(@Param('id', IdPipe) id: number) {
    return this.editor.get(id);
  }

  @Patch(':id')
  @ApiZodBody(updateTemplateBody)
  @ApiZodResponse(200, templateDetail)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateTemplateBody)) body: UpdateTemplateInput) {
    return this.editor.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContent()
  async remove(@Param('id', IdPipe) id: number): Promise<void> {
    await this.editor.remove(id);
  }

  @Get(':id/versions')
  @ApiZodQuery(listVersionsQuery)
  @ApiZodResponse(200, versionItems)
  listVersions(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    return this.editor.listVersions(id, parseOrThrow(listVersionsQuery, query, 'query').locale);
  }

  /** Saves a new immutable version of one locale variant. */
  @Post(':id/versions')
  @ApiZodBody(saveVersionBody)
  @ApiZodResponse(201, templateVersion, 'Saved')
  saveVersion(
    @Param('id', IdPipe) id: number,
    @Body(new ZodPipe(saveVersionBody)) body: SaveVersionInput,
    @CurrentPrincipal() principal?: Principal,
  ) {
    return this.editor.saveVersion(id, body, authorOf(principal));
  }

  @Get(':id/versions/:versionId')
  @ApiZodResponse(200, templateVersion)
  getVersion(@Param('id', IdPipe) id: number, @Param('versionId', IdPipe) versionId: number) {
    return this.editor.getVersion(id, versionId);
  }

  /** A built-in variant back to its default file (as a new version). */
  @Post(':id/locales/:locale/reset')
  @ApiZodResponse(201, templateVersion, 'A new version from the default file')
  reset(@Param('id', IdPipe) id: number, @Param('locale') locale: string) {
    return this.editor.reset(id, parseOrThrow(localeSchema, locale, 'locale'));
  }

  /** Renders a version for a customer (or a sample one): subject, HTML and text, or SMS text and its length. */
  @Post(':id/preview')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiZodBody(previewBody)
  @ApiZodResponse(200, templatePreview)
  preview(@Param('id', IdPipe) id: number, @Body(new ZodPipe(previewBody)) body: PreviewInput) {
    return this.previews.preview(id, body);
  }
}
