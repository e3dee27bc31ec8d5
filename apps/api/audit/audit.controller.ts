import { Controller, Get, Header, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { ApiAuthenticated, ApiCandidacyNotFound } from '../common/api-errors.decorator';
import { AuditService } from './audit.service';
import { AuditVerificationDto, RawHistoryDto, ReplayReportDto, TimelinePageDto } from './dto/audit.dto';
import { TimelineQuery } from './dto/timeline.query';

@ApiTags('audit')
@ApiAuthenticated()
@ApiCandidacyNotFound()
@Roles('auditor', 'administrator')
@Controller('candidacies/:cityId')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('history')
  @ApiOperation({
    summary: 'The human-readable timeline of the candidacy, its runs and districts',
    description: '`total` and the paging count the lines the filters keep',
  })
  @ApiOkResponse({ type: TimelinePageDto })
  timeline(@CurrentIdentity() identity: Identity, @Param() { cityId }: CityIdParam, @Query() query: TimelineQuery) {
    return this.audit.timeline(identity, cityId, query.offset, query.limit, {
      kinds: query.kind,
      districtId: query.districtId,
    });
  }

  @Get('history/raw')
  @ApiOperation({ summary: 'Every raw Temporal history, in the JSON form of the Temporal CLI and Web UI' })
  @ApiOkResponse({ type: [RawHistoryDto] })
  @Header('Content-Disposition', 'attachment; filename="histories.json"')
  raw(@CurrentIdentity() identity: Identity, @Param() { cityId }: CityIdParam) {
    return this.audit.raw(identity, cityId);
  }

  @Get('audit/verification')
  @ApiOperation({ summary: "Recompute the audit log's hash chain and compare it with Temporal's history" })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify(@CurrentIdentity() identity: Identity, @Param() { cityId }: CityIdParam) {
    return this.audit.verify(identity, cityId);
  }

  @Get('audit/replay')
  @ApiOperation({ summary: 'Replay every history against the current workflow code' })
  @ApiOkResponse({ type: ReplayReportDto })
  replay(@CurrentIdentity() identity: Identity, @Param() { cityId }: CityIdParam) {
    return this.audit.replay(identity, cityId);
  }

  @Get('dossier')
  @ApiOperation({ summary: 'The evidence dossier: timeline, raw histories, CSVs and a SHA-256 manifest, zipped' })
  @ApiProduces('application/zip')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async dossier(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Res({ passthrough: true }) res: { setHeader(name: string, value: string): void },
  ): Promise<StreamableFile> {
    const { zip, fileName, sha256 } = await this.audit.dossier(identity, cityId);
    res.setHeader('X-Kudak-SHA256', sha256);
    return new StreamableFile(zip, {
      type: 'application/zip',
      disposition: `attachment; filename="${fileName}"`,
      length: zip.length,
    });
  }
}
