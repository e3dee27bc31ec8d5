import { fromBuffer } from 'file-type';

/**
 * The kinds of document a decision may carry, by media type, with the extensions their files go by
 * (the first is the one added to a name that has none of them).
 */
export const DOCUMENT_TYPES: Readonly<Record<string, { label: string; extensions: readonly string[] }>> = {
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word', extensions: ['docx'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel', extensions: ['xlsx'] },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    label: 'PowerPoint',
    extensions: ['pptx'],
  },
  'application/vnd.oasis.opendocument.text': { label: 'OpenDocument text', extensions: ['odt'] },
  'application/vnd.oasis.opendocument.spreadsheet': { label: 'OpenDocument spreadsheet', extensions: ['ods'] },
  'application/vnd.oasis.opendocument.presentation': { label: 'OpenDocument presentation', extensions: ['odp'] },
  'image/png': { label: 'PNG', extensions: ['png'] },
  'image/jpeg': { label: 'JPEG', extensions: ['jpg', 'jpeg'] },
};

export const DOCUMENT_MEDIA_TYPES = Object.keys(DOCUMENT_TYPES);

export type DetectedType = { accepted: true; mime: string } | { accepted: false; mime?: string; ext?: string };

/**
 * What the bytes are, from their signature (magic numbers), whatever the file's name or the
 * upload's Content-Type say. file-type 16 is its last CommonJS release: later ones are ES modules
 * only, which neither this CommonJS build nor Jest (without --experimental-vm-modules) can load.
 */
export async function detectDocumentType(content: Buffer): Promise<DetectedType> {
  const found = await fromBuffer(content);
  if (found && found.mime in DOCUMENT_TYPES) return { accepted: true, mime: found.mime };
  return { accepted: false, mime: found?.mime, ext: found?.ext };
}

/** The accepted kinds, for messages: "PDF, Word (docx), ...". */
export const ACCEPTED_KINDS = Object.values(DOCUMENT_TYPES)
  .map((t) => `${t.label} (${t.extensions.join('/')})`)
  .join(', ');

const MAX_NAME_LENGTH = 200;

/**
 * A file name safe to store, show and put in a zip: the last segment of what the client sent
 * (no folders), without control characters, at most 200 characters, ending in an extension of
 * the detected type (`report.txt` holding a PDF becomes `report.txt.pdf`).
 */
export function documentFileName(requested: string | undefined, mime: string): string {
  const { extensions } = DOCUMENT_TYPES[mime];
  const base = (requested ?? '')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  const extension = /\.([^.]+)$/.exec(base)?.[1]?.toLowerCase();
  const name = extension && extensions.includes(extension) ? base : `${base || 'document'}.${extensions[0]}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  const suffix = name.slice(name.lastIndexOf('.'));
  return name.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
}
