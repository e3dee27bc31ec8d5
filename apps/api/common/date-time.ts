import { ValidateBy, buildMessage, isISO8601 } from 'class-validator';

/**
 * An RFC 3339 date-time, which is what `format: date-time` means in the OpenAPI document:
 * `2026-06-01T00:00:00Z`, an optional fraction, then `Z` or an offset `+hh:mm`.
 */
export const DATE_TIME_PATTERN =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/** The OpenAPI description of such a field. */
export const DATE_TIME_DOC = {
  format: 'date-time',
  pattern: DATE_TIME_PATTERN.source,
  example: '2026-06-01T00:00:00Z',
};

/** Whether `value` is an RFC 3339 date-time of a real calendar day and time that Date can read. */
export function isDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    DATE_TIME_PATTERN.test(value) &&
    isISO8601(value, { strict: true }) &&
    !Number.isNaN(Date.parse(value))
  );
}

/**
 * Validates an RFC 3339 date-time. `@IsISO8601` alone also lets through week dates (`2026-W01-1`),
 * ordinal dates (`2026-123`) and decimal commas, which `new Date()` cannot read: they reached the
 * workflows, or made the list query throw (a 500).
 */
export function IsDateTime() {
  return ValidateBy({
    name: 'isDateTime',
    validator: {
      validate: (value: unknown) => isDateTime(value),
      defaultMessage: buildMessage(
        (each) => `${each}$property must be an RFC 3339 date-time such as 2026-06-01T00:00:00Z`,
      ),
    },
  });
}
