import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CITY_ID_PATTERN } from '@kudak/contracts';

export class CityIdParam {
  @ApiProperty({ example: 'isfahan' })
  @Matches(CITY_ID_PATTERN, { message: 'cityId must be 2-63 lowercase letters, digits and dashes' })
  cityId!: string;
}
