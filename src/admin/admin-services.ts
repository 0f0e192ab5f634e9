// The domain services behind the admin pages that are not the obvious one per page: the
// template editor and preview, cleanup undo and withheld changes, and address-change proposals.
import { Injectable } from '@nestjs/common';
import { TemplateEditorService } from '../templates/template-editor.service';
import { TemplatePreviewService } from '../templates/template-preview.service';
import { CleanupService } from '../feedback/cleanup.service';
import { AddressChangesService } from '../feedback/address-changes.service';
import { FeedbackService } from '../feedback/feedback.service';

@Injectable()
export class AdminServices {
  constructor(
    readonly templateEditor: TemplateEditorService,
    readonly templatePreview: TemplatePreviewService,
    readonly cleanup: CleanupService,
    readonly feedback: FeedbackService,
    readonly addressChanges: AddressChangesService,
  ) {}
}
