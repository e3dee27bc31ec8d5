import { ApiProperty } from '@nestjs/swagger';
import type { InstantDisplay } from '@kudak/calendar';

/** A text people read, in each language Kudak writes; dates in both calendars. */
export class LocalizedTextDto implements InstantDisplay {
  @ApiProperty({
    description: 'Persian: Solar Hijri date first, Gregorian beside it',
    example: '۱۴۰۵/۰۹/۰۷ (۲۸ نوامبر ۲۰۲۶)، ساعت ۱۲:۰۰ به وقت UTC',
  })
  fa!: string;

  @ApiProperty({
    description: 'English: Gregorian date first, Solar Hijri beside it',
    example: '28 November 2026 (7 Azar 1405 SH), 12:00 UTC',
  })
  en!: string;
}
