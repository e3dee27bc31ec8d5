import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { ApiAuthenticated } from '../common/api-errors.decorator';
import {
  MyNotificationDto,
  MyNotificationsDto,
  MyTaskDto,
  MyTasksQuery,
  NotificationIdParam,
  PageQuery,
} from './dto/me.dto';
import { MeService } from './me.service';

@ApiTags('me')
@ApiAuthenticated()
@Controller('me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get('tasks')
  @ApiOperation({
    summary: 'The decisions waiting for me, with their deadlines, soonest first (a page of the read model)',
  })
  @ApiOkResponse({ type: [MyTaskDto] })
  tasks(@CurrentIdentity() identity: Identity, @Query() query: MyTasksQuery): Promise<MyTaskDto[]> {
    return this.me.tasks(identity, query);
  }

  @Get('notifications')
  @ApiOperation({
    summary: "My in-app notifications in my token's country and cities, newest first, and how many are unread",
  })
  @ApiOkResponse({ type: MyNotificationsDto })
  notifications(@CurrentIdentity() identity: Identity, @Query() page: PageQuery): Promise<MyNotificationsDto> {
    return this.me.notifications(identity, page);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications read (again: it keeps the first time)' })
  @ApiOkResponse({ type: MyNotificationDto })
  @ApiNotFoundResponse({ description: 'No notification with this id in my inbox' })
  markRead(@CurrentIdentity() identity: Identity, @Param() { id }: NotificationIdParam): Promise<MyNotificationDto> {
    return this.me.markRead(identity, id);
  }
}
