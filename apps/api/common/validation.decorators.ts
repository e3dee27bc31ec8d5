import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { SLUG_PATTERN, TEXT_MAX_LENGTH } from '@kudak/contracts';

/** Ids of districts, contacts, obligations and committee members: lowercase slugs. */
export const SLUG = SLUG_PATTERN;

/**
 * A nested object validated as its DTO. `@ValidateNested` alone lets an array through in the
 * object's place (it validates the array's items instead: `[]` passes), so each value must be an
 * object too. With `each`: a list of such objects (`[[]]` used to pass as a list of one).
 */
export function NestedObject(type: () => new () => object, options: { each?: boolean } = {}) {
  const message = options.each
    ? ({ property }: { property: string }) => `${property} must be a list of objects`
    : ({ property }: { property: string }) => `${property} must be an object`;
  return applyDecorators(IsObject({ each: options.each, message }), ValidateNested({ each: options.each }), Type(type));
}

export const slugMessage = (field: string) => ({ message: `${field} must be lowercase letters, digits and dashes` });

/** A required non-empty string of at most `max` characters, validated and documented alike. */
export const Text =
  (max: number = TEXT_MAX_LENGTH, example?: string) =>
  (target: object, key: string) => {
    ApiProperty({ minLength: 1, maxLength: max, example })(target, key);
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(max)(target, key);
  };

/** The same, optional. */
export const OptionalText =
  (max: number = TEXT_MAX_LENGTH, description?: string) =>
  (target: object, key: string) => {
    ApiPropertyOptional({ minLength: 1, maxLength: max, description })(target, key);
    IsOptional()(target, key);
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(max)(target, key);
  };
