import { Module } from '@nestjs/common';
import { DefaultTemplatesLoader } from './default-templates.loader';
import { TemplateEditorService } from './template-editor.service';
import { TemplatePreviewService } from './template-preview.service';
import { TemplatesController } from './templates.controller';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

/**
 * Email and SMS templates. Exports TemplatesService: resolve a template to the current
 * version for a locale, build a customer's render context, render a version per message.
 */
@Module({
  controllers: [TemplatesController],
  providers: [TemplatesRepository, TemplatesService, TemplateEditorService, TemplatePreviewService, DefaultTemplatesLoader],
  exports: [TemplatesService, TemplateEditorService, TemplatePreviewService],
})
export class TemplatesModule {}
