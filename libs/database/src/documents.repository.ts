import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import type { Actor, DocumentReference } from '@kudak/contracts';
import { KNEX } from './database.constants';
import { readInstant, toIsoInstant } from './instants';

/** A document uploaded for a city: what it is, who uploaded it and when. */
export interface DocumentUpload extends DocumentReference {
  cityId: string;
  uploadedBy: Actor;
  uploadedAt: string;
}

interface DocumentRow {
  city_id: string;
  sha256: string;
  name: string;
  content_type: string;
  size: number | string;
  uploaded_by_id: string;
  uploaded_by_role: Actor['role'];
  uploaded_by_organisation: string;
  uploaded_by_name: string | null;
  uploaded_at: string | Date;
}

/** Which documents were uploaded for which city (their bytes are in a DocumentContentStore). */
@Injectable()
export class DocumentsRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /**
   * Records an upload, once per city and content: the same bytes uploaded again for the same city
   * keep the first record, which is returned either way.
   */
  async record(upload: DocumentUpload): Promise<DocumentUpload> {
    await this.knex('documents')
      .insert({
        city_id: upload.cityId,
        sha256: upload.sha256,
        name: upload.name,
        content_type: upload.contentType,
        size: upload.size,
        uploaded_by_id: upload.uploadedBy.id,
        uploaded_by_role: upload.uploadedBy.role,
        uploaded_by_organisation: upload.uploadedBy.organisation,
        uploaded_by_name: upload.uploadedBy.name ?? null,
        uploaded_at: toIsoInstant(upload.uploadedAt),
      })
      .onConflict(['city_id', 'sha256'])
      .ignore();
    return (await this.find(upload.cityId, [upload.sha256]))[0];
  }

  /** The city's uploads among these hashes (in no particular order; unknown hashes are left out). */
  async find(cityId: string, sha256s: string[]): Promise<DocumentUpload[]> {
    if (sha256s.length === 0) return [];
    const rows: DocumentRow[] = await this.knex('documents').where({ city_id: cityId }).whereIn('sha256', sha256s);
    return rows.map(toUpload);
  }

  /** Every upload of the city, oldest first. */
  async list(cityId: string): Promise<DocumentUpload[]> {
    const rows: DocumentRow[] = await this.knex('documents').where({ city_id: cityId }).orderBy('id');
    return rows.map(toUpload);
  }
}

function toUpload(row: DocumentRow): DocumentUpload {
  return {
    cityId: row.city_id,
    sha256: row.sha256,
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    uploadedBy: {
      id: row.uploaded_by_id,
      role: row.uploaded_by_role,
      organisation: row.uploaded_by_organisation,
      ...(row.uploaded_by_name ? { name: row.uploaded_by_name } : {}),
    },
    uploadedAt: readInstant(row.uploaded_at)!,
  };
}
