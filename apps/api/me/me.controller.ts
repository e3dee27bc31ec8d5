import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { ApiAuthenticated } from '../common/api-errors.decorator';
import { MyNotificationDto, MyTaskDto, PageQuery } from './dto/me.dto';
import { MeService } from './me.service';

@ApiTags('me')
@ApiAuthenticated()
@Controller('me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get('tasks')
  @ApiOperation({ summary: 'The decisions waiting for me, with their deadlines' })
  @ApiOkResponse({ type: [MyTaskDto] })
  tasks(@CurrentIdentity() identity: Identity): Promise<MyTaskDto[]> {
    return this.me.tasks(identity);
  }

  @Get('notifications')
  @ApiOperation({ summary: 'My in-app notifications, newest first' })
  @ApiOkResponse({ type: [MyNotificationDto] })
  notifications(@CurrentIdentity() identity: Identity, @Query() page: PageQuery): Promise<MyNotificationDto[]> {
    return this.me.notifications(identity, page);
  }
}
