/**
 * A document a decision rests on (a plan, an evaluation report, a receipt...). Uploaded to the API
 * first, stored under the SHA-256 of its bytes, then referenced by that hash in the decision: the
 * hash and this metadata are what the workflow's history keeps.
 */
export interface DocumentReference {
  /** The SHA-256 of the document's bytes, in lowercase hex. */
  sha256: string;
  /** The file name, without any folder. */
  name: string;
  /** The media type its content was detected as (not the one its name or the upload claimed). */
  contentType: string;
  /** In bytes. */
  size: number;
}

/** How many documents one decision may carry. */
export const MAX_DOCUMENTS_PER_DECISION = 10;

export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
