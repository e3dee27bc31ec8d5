import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { TEXT_MAX_LENGTH } from '@kudak/contracts';

/** Ids of districts, contacts, obligations and committee members: lowercase slugs. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

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
