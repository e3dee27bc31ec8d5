// The API refuses a field in English (class-validator's words, and the workflows' own): what the
// common refusals say, read from those words (field-message-text.ts says it in the reader's language).

/** What a refusal can say; each has a line in both catalogues (`fieldErrors.*`). */
export const FIELD_MESSAGE_KEYS = [
  'required',
  'maxLength',
  'oneOf',
  'min',
  'max',
  'integer',
  'url',
  'email',
  'slug',
  'cityId',
  'country',
  'dateTime',
  'maxItems',
  'minItems',
] as const;
export type FieldMessageKey = (typeof FIELD_MESSAGE_KEYS)[number];

export interface FieldMessage {
  key: FieldMessageKey;
  params: Record<string, string | number>;
}

const number = (m: RegExpExecArray) => Number(m[1]);

/** Each refusal's English ending, as the API words it, and what it says. */
const RULES: ReadonlyArray<readonly [RegExp, FieldMessageKey, (m: RegExpExecArray) => FieldMessage['params']]> = [
  [/ (?:is required|should not be empty)$/, 'required', () => ({})],
  [/ must be (?:shorter than or equal to|at most) (\d+) characters$/, 'maxLength', (m) => ({ max: number(m) })],
  [/ must be one of(?: the following values:)? (.+)$/, 'oneOf', (m) => ({ values: m[1] })],
  [/ must not be less than (-?\d+)$/, 'min', (m) => ({ min: number(m) })],
  [/ must not be greater than (-?\d+)$/, 'max', (m) => ({ max: number(m) })],
  [/ must be an integer number$/, 'integer', () => ({})],
  [/ must be a URL address$/, 'url', () => ({})],
  [/ must be an email$/, 'email', () => ({})],
  [/ must be 2-63 lowercase letters, digits and dashes$/, 'cityId', () => ({})],
  [/ must be (?:an id of )?lowercase letters, digits and dashes$/, 'slug', () => ({})],
  [/ must be an ISO 3166-1 alpha-2 code such as IR$/, 'country', () => ({})],
  [/ must be an RFC 3339 date-time/, 'dateTime', () => ({})],
  [/ must contain no more than (\d+) elements$/, 'maxItems', (m) => ({ max: number(m) })],
  [/ must contain at least (\d+) elements$/, 'minItems', (m) => ({ min: number(m) })],
];

/** What a refusal of the API says, if it is one the forms know; undefined otherwise. */
export function readFieldMessage(message: string): FieldMessage | undefined {
  for (const [pattern, key, params] of RULES) {
    const match = pattern.exec(message);
    if (match) return { key, params: params(match) };
  }
  return undefined;
}
