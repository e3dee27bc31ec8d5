import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SHA256_HEX_PATTERN } from '@kudak/contracts';
import { CityIdParam } from '../../candidacies/dto/city-id.param';
import { ActorDto } from '../../decisions/dto/decision-response.dto';
import { DOCUMENT_MEDIA_TYPES } from '../document-types';

const SHA256_MESSAGE = 'sha256 must be a SHA-256 in lowercase hex (64 characters)';
/** A file name: no folder separators, no control characters. */
// eslint-disable-next-line no-control-regex
const FILE_NAME = /^[^/\\\u0000-\u001f\u007f]+$/;

export class DocumentParams extends CityIdParam {
  @ApiProperty({
    pattern: SHA256_HEX_PATTERN.source,
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  })
  @Matches(SHA256_HEX_PATTERN, { message: SHA256_MESSAGE })
  sha256!: string;
}

/** The multipart form of an upload, as the OpenAPI document describes it. */
export const UPLOAD_FORM_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description: `The document; accepted by content: ${DOCUMENT_MEDIA_TYPES.join(', ')}`,
    },
  },
};

/** A document as uploaded for a city. */
export class DocumentDto {
  @ApiProperty({ pattern: SHA256_HEX_PATTERN.source }) sha256!: string;
  @ApiProperty({ example: 'district-1-plan.pdf' }) name!: string;
  @ApiProperty({ enum: DOCUMENT_MEDIA_TYPES, description: 'Detected from the content' }) contentType!: string;
  @ApiProperty({ type: 'integer', description: 'In bytes' }) size!: number;
  @ApiProperty() cityId!: string;
  @ApiProperty({ type: ActorDto }) uploadedBy!: ActorDto;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
}

/**
 * A decision's reference to a document uploaded for the same city. Only the hash is required: the
 * API fills in the rest from the upload, after checking any that is given.
 */
export class DocumentReferenceDto {
  @ApiProperty({ pattern: SHA256_HEX_PATTERN.source, description: 'As the upload answered it' })
  @Matches(SHA256_HEX_PATTERN, { message: SHA256_MESSAGE })
  sha256!: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    pattern: FILE_NAME.source,
    description: "The name to record; the upload's name when omitted",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(FILE_NAME, { message: 'name must be a file name: no slashes or control characters' })
  name?: string;

  @ApiPropertyOptional({ enum: DOCUMENT_MEDIA_TYPES, description: 'Checked against the upload when given' })
  @IsOptional()
  @IsIn(DOCUMENT_MEDIA_TYPES)
  contentType?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'In bytes; checked against the upload when given',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  size?: number;
}
