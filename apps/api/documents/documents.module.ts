import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { Knex } from 'knex';
import { KudakConfig } from '@kudak/config';
import { KNEX } from '@kudak/database';
import { CandidaciesModule } from '../candidacies/candidacies.module';
import { createDocumentContentStore, DOCUMENT_CONTENT_STORE } from './document-content-store';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { UploadSizeLimitInterceptor } from './upload-size-limit.interceptor';

@Module({
  imports: [
    CandidaciesModule,
    MulterModule.registerAsync({
      inject: [KudakConfig],
      useFactory: (config: KudakConfig) => ({
        // In memory (at most DOCUMENT_MAX_BYTES): the content is checked and hashed before it is stored.
        limits: { fileSize: config.documents.maxBytes, files: 1, fields: 10 },
        // Names as browsers and curl send them (UTF-8), not Latin-1: Persian names stay readable.
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [DocumentsController],
  providers: [
    DocumentsService,
    UploadSizeLimitInterceptor,
    {
      provide: DOCUMENT_CONTENT_STORE,
      inject: [KudakConfig, KNEX],
      useFactory: (config: KudakConfig, knex: Knex) => createDocumentContentStore(config, knex),
    },
  ],
  exports: [DocumentsService],
})
export class DocumentsModule {}
