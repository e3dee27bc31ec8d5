import { Controller, Get, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiInternalServerErrorResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ROLES } from '@kudak/contracts';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { ApiAuthenticated, ApiCandidacyNotFound, ERROR_SCHEMA } from '../common/api-errors.decorator';
import { DOCUMENT_MEDIA_TYPES } from './document-types';
import { DocumentsService, type UploadedDocumentFile } from './documents.service';
import { DocumentDto, DocumentParams, UPLOAD_FORM_SCHEMA } from './dto/document.dto';
import { UploadSizeLimitInterceptor } from './upload-size-limit.interceptor';

/** The header that carries a document's SHA-256 (as the dossier's does). */
export const SHA256_HEADER = 'X-Kudak-SHA256';

/** These routes wait on the document store too. */
const ApiDocumentStoreUnavailable = () =>
  ApiServiceUnavailableResponse({
    description: 'Temporal or the document store did not answer in time; retry after the Retry-After header',
    schema: ERROR_SCHEMA,
  });

@ApiTags('documents')
@ApiAuthenticated()
@Controller('candidacies/:cityId/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  // Whoever takes decisions on a candidacy may upload what they rest on; auditors only read.
  @Roles(...ROLES.filter((role) => role !== 'auditor'))
  @UseInterceptors(UploadSizeLimitInterceptor, FileInterceptor('file'))
  @ApiOperation({
    summary: 'Upload a document for decisions to reference by its SHA-256',
    description:
      'The type is detected from the content (PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG), never ' +
      'from the name. The same bytes uploaded again for the city are stored once and answer the first upload.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_FORM_SCHEMA })
  @ApiCreatedResponse({ type: DocumentDto })
  @ApiCandidacyNotFound()
  @ApiPayloadTooLargeResponse({ description: 'Larger than DOCUMENT_MAX_BYTES', schema: ERROR_SCHEMA })
  @ApiUnsupportedMediaTypeResponse({ description: 'The content is of a type not accepted', schema: ERROR_SCHEMA })
  @ApiDocumentStoreUnavailable()
  upload(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @UploadedFile() file: UploadedDocumentFile | undefined,
  ): Promise<DocumentDto> {
    return this.documents.upload(identity, cityId, file);
  }

  @Get(':sha256')
  @ApiOperation({ summary: 'Download a document uploaded for the candidacy, with its SHA-256 in a header' })
  // The types on the 200 alone (@ApiProduces would put them on the JSON error responses too).
  @ApiOkResponse({
    content: Object.fromEntries(
      DOCUMENT_MEDIA_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
    headers: { [SHA256_HEADER]: { description: 'The SHA-256 of the content', schema: { type: 'string' } } },
  })
  @ApiCandidacyNotFound('No such candidacy, or no such document uploaded for it')
  @ApiInternalServerErrorResponse({ description: 'The stored copy is lost or altered', schema: ERROR_SCHEMA })
  @ApiDocumentStoreUnavailable()
  async download(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, sha256 }: DocumentParams,
    // Express's response: attachment() writes Content-Disposition, with a UTF-8 form for other names.
    @Res({ passthrough: true }) res: { attachment(name: string): void; setHeader(name: string, value: string): void },
  ): Promise<StreamableFile> {
    const { upload, content } = await this.documents.download(identity, cityId, sha256);
    res.attachment(upload.name);
    res.setHeader('Content-Type', upload.contentType); // the detected type, not one guessed from the name
    res.setHeader(SHA256_HEADER, upload.sha256);
    return new StreamableFile(content, { type: upload.contentType, length: content.length });
  }
}
