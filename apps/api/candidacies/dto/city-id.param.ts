import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CITY_ID_PATTERN } from '@kudak/contracts';
import { SLUG, slugMessage } from '../../common/validation.decorators';

export class CityIdParam {
  @ApiProperty({ example: 'isfahan', pattern: CITY_ID_PATTERN.source })
  @Matches(CITY_ID_PATTERN, { message: 'cityId must be 2-63 lowercase letters, digits and dashes' })
  cityId!: string;
}

export class DistrictParams extends CityIdParam {
  @ApiProperty({ example: 'district-1', pattern: SLUG.source })
  @Matches(SLUG, slugMessage('districtId'))
  districtId!: string;
}

export class ObligationParams extends CityIdParam {
  @ApiProperty({ example: 'unicef-funding', pattern: SLUG.source })
  @Matches(SLUG, slugMessage('obligationId'))
  obligationId!: string;
}
