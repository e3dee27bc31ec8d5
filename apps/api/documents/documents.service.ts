import {
  BadRequestException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { DocumentReference } from '@kudak/contracts';
import { DocumentsRepository, type DocumentUpload } from '@kudak/database';
import { toActor, type Identity } from '../auth/identity';
import { CandidacyAccessService } from '../candidacies/candidacy-access.service';
import {
  DOCUMENT_CONTENT_STORE,
  DocumentStoreUnavailableError,
  sha256Of,
  type DocumentContentStore,
} from './document-content-store';
import { ACCEPTED_KINDS, detectDocumentType, documentFileName } from './document-types';

/** A file as the multipart parser hands it over (multer's memory storage). */
export interface UploadedDocumentFile {
  buffer: Buffer;
  originalname: string;
}

/** What a decision's request may say of a document: its hash, and optionally what it expects. */
export interface DocumentReferenceRequest {
  sha256: string;
  name?: string;
  contentType?: string;
  size?: number;
}

/** A stored document whose bytes are gone or no longer hash to its name. */
export interface DocumentProblem {
  sha256: string;
  problem: 'MISSING' | 'CONTENT_CHANGED';
}

/** A document's bytes as stored now, or what is wrong with them. */
export type StoredContent =
  { content: Buffer; problem?: undefined } | { content?: Buffer; problem: DocumentProblem['problem'] };

/**
 * Documents that decisions rest on: uploaded for a city, checked by content, stored once under the
 * SHA-256 of their bytes, referenced by that hash in decisions, read back, and verified.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    private readonly access: CandidacyAccessService,
    private readonly uploads: DocumentsRepository,
    @Inject(DOCUMENT_CONTENT_STORE) private readonly store: DocumentContentStore,
  ) {}

  async upload(identity: Identity, cityId: string, file: UploadedDocumentFile | undefined): Promise<DocumentUpload> {
    await this.access.state(identity, cityId);
    if (!file || file.buffer.length === 0) {
      throw new BadRequestException("file is required: a non-empty multipart/form-data field named 'file'");
    }
    const type = await detectDocumentType(file.buffer);
    if (!type.accepted) {
      const detected = type.mime ? `${type.mime} (.${type.ext})` : 'of no recognised type';
      throw new UnsupportedMediaTypeException(
        `file: its content is ${detected}, whatever its name says; accepted: ${ACCEPTED_KINDS}`,
      );
    }
    const sha256 = sha256Of(file.buffer);
    await this.storeOnce(sha256, file.buffer);
    return this.uploads.record({
      cityId,
      sha256,
      name: documentFileName(file.originalname, type.mime),
      contentType: type.mime,
      size: file.buffer.length,
      uploadedBy: toActor(identity),
      uploadedAt: new Date().toISOString(),
    });
  }

  /** A document uploaded for the city, with its bytes; an altered or lost file is not served. */
  async download(
    identity: Identity,
    cityId: string,
    sha256: string,
  ): Promise<{ upload: DocumentUpload; content: Buffer }> {
    await this.access.state(identity, cityId);
    const [upload] = await this.uploads.find(cityId, [sha256]);
    if (!upload) throw new NotFoundException(`No document ${sha256} was uploaded for city '${cityId}'`);
    const stored = await this.content(sha256);
    if (stored.problem) {
      throw new InternalServerErrorException(
        `Document ${sha256} is damaged in storage (${stored.problem}); GET /candidacies/${cityId}/audit/verification reports it`,
      );
    }
    return { upload, content: stored.content };
  }

  /**
   * The documents a decision references, described as uploaded for this city (the name may be the
   * decision's own). Each reference must name a document of this city, and agree with it on what
   * it states; otherwise a 422 names the reference's field.
   */
  async resolve(cityId: string, references: DocumentReferenceRequest[]): Promise<DocumentReference[]> {
    const uploads = new Map(
      (
        await this.uploads.find(
          cityId,
          references.map((r) => r.sha256),
        )
      ).map((u) => [u.sha256, u]),
    );
    const problems: string[] = [];
    const resolved = references.map((reference, i) => {
      const upload = uploads.get(reference.sha256);
      if (!upload) {
        problems.push(`documents[${i}].sha256: no document ${reference.sha256} was uploaded for city '${cityId}'`);
        return undefined;
      }
      for (const field of ['contentType', 'size'] as const) {
        if (reference[field] !== undefined && reference[field] !== upload[field]) {
          problems.push(`documents[${i}].${field}: the upload's is ${upload[field]}, not ${reference[field]}`);
        }
      }
      return {
        sha256: upload.sha256,
        name: reference.name === undefined ? upload.name : documentFileName(reference.name, upload.contentType),
        contentType: upload.contentType,
        size: upload.size,
      };
    });
    if (problems.length > 0) throw new UnprocessableEntityException(problems);
    return resolved as DocumentReference[];
  }

  /** The bytes stored under a hash, checked against it. */
  async content(sha256: string): Promise<StoredContent> {
    const content = await this.fromStore(() => this.store.read(sha256));
    if (!content) return { problem: 'MISSING' };
    if (sha256Of(content) !== sha256) return { content, problem: 'CONTENT_CHANGED' };
    return { content };
  }

  /** The city's uploaded documents whose stored bytes are lost or no longer match their hash. */
  async verify(cityId: string): Promise<DocumentProblem[]> {
    const problems: DocumentProblem[] = [];
    for (const { sha256 } of await this.uploads.list(cityId)) {
      const { problem } = await this.content(sha256);
      if (problem) problems.push({ sha256, problem });
    }
    return problems;
  }

  /** Content-addressed: bytes already stored intact are not written again; damaged ones are replaced. */
  private async storeOnce(sha256: string, content: Buffer): Promise<void> {
    const stored = await this.content(sha256);
    if (!stored.problem) return;
    await this.fromStore(() => this.store.write(sha256, content));
  }

  /** A store that cannot answer now is a 503 to retry (before anything is recorded), not a 500. */
  private async fromStore<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      if (!(err instanceof DocumentStoreUnavailableError)) throw err;
      this.logger.warn(`503: ${err.message}`);
      throw new ServiceUnavailableException('The document store is not reachable or too slow now; try again shortly');
    }
  }
}
