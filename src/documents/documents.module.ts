import { Module } from '@nestjs/common';
import { DocumentsController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { ImagesController } from './images.controller';
import { ImagesRepository } from './images.repository';
import { ImagesService } from './images.service';

/**
 * Documents (files with versions: the price list) and which version each campaign run sent.
 * Exports DocumentsService to campaigns (validation, a run's versions) and delivery (the files).
 * Images for templates (uploaded once per content, served publicly, embedded by delivery as CID
 * parts) live here too: their bytes share the documents' content store.
 */
@Module({
  controllers: [DocumentsController, ImagesController],
  providers: [DocumentsRepository, DocumentsService, ImagesRepository, ImagesService],
  exports: [DocumentsService, ImagesService],
})
export class DocumentsModule {}
