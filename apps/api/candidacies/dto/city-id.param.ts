import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CITY_ID_PATTERN } from '@kudak/contracts';

export class CityIdParam {
  @ApiProperty({ example: 'isfahan', pattern: CITY_ID_PATTERN.source })
  @Matches(CITY_ID_PATTERN, { message: 'cityId must be 2-63 lowercase letters, digits and dashes' })
  cityId!: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class DistrictParams extends CityIdParam {
  @ApiProperty({ example: 'district-1', pattern: SLUG.source })
  @Matches(SLUG, { message: 'districtId must be lowercase letters, digits and dashes' })
  districtId!: string;
}

export class ObligationParams extends CityIdParam {
  @ApiProperty({ example: 'unicef-funding', pattern: SLUG.source })
  @Matches(SLUG, { message: 'obligationId must be lowercase letters, digits and dashes' })
  obligationId!: string;
}
