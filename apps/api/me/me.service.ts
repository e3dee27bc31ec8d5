import { Injectable, NotFoundException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { displayInstant } from '@kudak/calendar';
import {
  districtPlanWorkflowId,
  getCandidacyStateQuery,
  getDistrictPlanStateQuery,
  taskRoles,
  type OpenTask,
} from '@kudak/contracts';
import { NotificationsRepository, type InboxNotification, type InboxScope } from '@kudak/database';
import { coversDistrict, type Identity } from '../auth/identity';
import { CandidaciesService } from '../candidacies/candidacies.service';
import type { MyNotificationDto, MyNotificationsDto, MyTaskDto, PageQuery } from './dto/me.dto';

/** How many running candidacies one inbox looks through. */
const MAX_CANDIDACIES = 500;

@Injectable()
export class MeService {
  constructor(
    private readonly client: Client,
    private readonly candidacies: CandidaciesService,
    private readonly inbox: NotificationsRepository,
  ) {}

  /**
   * The decisions and deadlines waiting for the caller (by any of a task's roles, by name on
   * committee votes, and for a district submitter in its token's districts), soonest first.
   */
  async tasks(identity: Identity): Promise<MyTaskDto[]> {
    const mine = (t: OpenTask) =>
      taskRoles(t).includes(identity.role) &&
      (!t.assignees || t.assignees.includes(identity.sub)) &&
      (t.districtId === undefined || coversDistrict(identity, t.districtId));
    const workflowIds: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.candidacies.list(identity, { pageSize: 100, pageToken });
      workflowIds.push(...page.items.filter((c) => c.status === 'RUNNING').map((c) => c.workflowId));
      pageToken = page.nextPageToken;
    } while (pageToken && workflowIds.length < MAX_CANDIDACIES);

    const perCandidacy = await Promise.all(
      workflowIds.map(async (workflowId): Promise<MyTaskDto[]> => {
        const state = await this.client.workflow.getHandle(workflowId).query(getCandidacyStateQuery);
        const own = state.openTasks.filter(mine).map((t) => toTask(state.cityId, workflowId, t));
        const districts = state.stage === 'DISTRICT_PLANNING' ? state.districts : [];
        const districtTasks = await Promise.all(
          districts
            .filter((d) => d.status !== 'APPROVED' && d.status !== 'WAIVED' && coversDistrict(identity, d.id))
            .map(async (d) => {
              const id = districtPlanWorkflowId(workflowId, d.id);
              const district = await this.client.workflow.getHandle(id).query(getDistrictPlanStateQuery);
              return district.openTasks.filter(mine).map((t) => toTask(state.cityId, id, t));
            }),
        );
        return [...own, ...districtTasks.flat()];
      }),
    );
    const due = (t: MyTaskDto) => (t.dueAt ? Date.parse(t.dueAt) : Number.MAX_SAFE_INTEGER);
    return perCandidacy.flat().sort((a, b) => due(a) - due(b));
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

function toTask(cityId: string, workflowId: string, t: OpenTask): MyTaskDto {
  return {
    cityId,
    workflowId,
    districtId: t.districtId,
    obligationId: t.obligationId,
    taskId: t.id,
    kind: t.kind,
    stage: t.stage,
    assigneeRole: t.assigneeRole,
    assigneeRoles: taskRoles(t),
    openedAt: t.openedAt,
    dueAt: t.dueAt,
    due: t.dueAt ? displayInstant(t.dueAt) : undefined,
    overdue: t.overdue,
  };
}
