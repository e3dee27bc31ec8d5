import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CITY_ID_PATTERN } from '@kudak/contracts';

export class DistrictDto {
  @ApiProperty({ example: 'district-1' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'id must be lowercase letters, digits and dashes' })
  id!: string;

  @ApiProperty({ example: 'District 1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class StartCandidacyDto {
  @ApiProperty({ example: 'isfahan', description: 'Stable city id; the candidacy is keyed by it.' })
  @Matches(CITY_ID_PATTERN, { message: 'cityId must be 2-63 lowercase letters, digits and dashes' })
  cityId!: string;

  @ApiProperty({ example: 'Isfahan' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  cityName!: string;

  @ApiProperty({ example: 'IR', description: 'ISO 3166-1 alpha-2 country code' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as IR' })
  country!: string;

  @ApiProperty({ type: [DistrictDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DistrictDto)
  districts!: DistrictDto[];
}
