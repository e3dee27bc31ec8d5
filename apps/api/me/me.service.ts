import { Injectable, NotFoundException } from '@nestjs/common';
import { displayInstant } from '@kudak/calendar';
import {
  NotificationsRepository,
  ReadModelRepository,
  type InboxNotification,
  type InboxScope,
  type ListedTask,
} from '@kudak/database';
import type { Identity } from '../auth/identity';
import type { MyNotificationDto, MyNotificationsDto, MyTaskDto, MyTasksQuery, PageQuery } from './dto/me.dto';

@Injectable()
export class MeService {
  constructor(
    private readonly readModel: ReadModelRepository,
    private readonly inbox: NotificationsRepository,
  ) {}

  /**
   * The decisions and deadlines waiting for the caller (by any of a task's roles, by name on
   * committee votes, and for a district submitter in its token's districts), soonest first: a page
   * of the read model, as current as the workflows' last projection.
   */
  async tasks(identity: Identity, query: MyTasksQuery): Promise<MyTaskDto[]> {
    const tasks = await this.readModel.tasks(
      {
        role: identity.role,
        personId: identity.sub,
        country: identity.country,
        cities: identity.cities,
        ...(identity.role === 'district_submitter' ? { districts: identity.districts ?? [] } : {}),
      },
      { city: query.city, districtId: query.districtId, overdue: query.overdue, dueBefore: query.dueBefore },
      { limit: query.limit, offset: query.offset },
    );
    return tasks.map(toTask);
  }

  /** The caller's inbox in the token's country and cities, and how much of it is unread. */
  async notifications(identity: Identity, page: PageQuery): Promise<MyNotificationsDto> {
    const scope = inboxScope(identity);
    const [items, unreadCount] = await Promise.all([
      this.inbox.list(scope, { limit: page.limit, offset: page.offset }),
      this.inbox.countUnread(scope),
    ]);
    return { items: items.map(toNotification), unreadCount };
  }

  /** Marks one of the caller's notifications read (again: no change); 404 outside the inbox. */
  async markRead(identity: Identity, id: number): Promise<MyNotificationDto> {
    const read = await this.inbox.markRead(inboxScope(identity), id);
    if (!read) throw new NotFoundException(`Notification ${id} is not in your inbox`);
    return toNotification(read);
  }
}

function inboxScope(identity: Identity): InboxScope {
  return { recipientId: identity.sub, country: identity.country, cities: identity.cities };
}

function toNotification(n: InboxNotification): MyNotificationDto {
  const { id, cityId, workflowId, template, locale, subject, body, createdAt, readAt } = n;
  return { id, cityId, workflowId, template, locale, subject, body, createdAt, readAt };
}

function toTask(t: ListedTask): MyTaskDto {
  return {
    cityId: t.cityId,
    cityName: t.cityName,
    workflowId: t.workflowId,
    districtId: t.districtId,
    obligationId: t.obligationId,
    taskId: t.taskId,
    kind: t.kind,
    stage: t.stage,
    assigneeRole: t.assigneeRole,
    assigneeRoles: t.assigneeRoles,
    openedAt: t.openedAt,
    dueAt: t.dueAt,
    due: t.dueAt ? displayInstant(t.dueAt) : undefined,
    overdue: t.overdue,
    updatedAt: t.updatedAt,
  };
}
