// A field's refusal under the field: the common ones in the reader's language, any other as the
// API put it.
import type { TFunction } from 'i18next';
import { readFieldMessage } from './field-messages';
import { formatNumber } from './format';
import type { Language } from './i18n/i18n';

/** A refusal in the reader's language (numbers in its digits), or as the API put it. */
export function fieldMessageText(message: string, t: TFunction, language: Language): string {
  const read = readFieldMessage(message);
  if (!read) return message;
  const params = Object.fromEntries(
    Object.entries(read.params).map(([name, value]) => [
      name,
      typeof value === 'number' ? formatNumber(value, language) : value,
    ]),
  );
  return t(`fieldErrors.${read.key}`, params);
}
