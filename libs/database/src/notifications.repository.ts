import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import type { NotificationTemplate, Role } from '@kudak/contracts';
import { KNEX } from './database.constants';
import { readInstant, toIsoInstant } from './instants';

/** One notification in a recipient's in-app inbox. */
export interface InboxNotification {
  id: number;
  /** The notify activity's idempotency key (workflow id / run id / activity id). */
  key: string;
  recipientId: string;
  recipientRole: Role;
  workflowId: string;
  cityId: string;
  /** ISO 3166-1 alpha-2; absent on rows written before it was recorded. */
  country?: string;
  template: NotificationTemplate;
  locale: 'fa' | 'en';
  subject: string;
  body: string;
  createdAt: string;
  readAt?: string;
}

export type NewInboxNotification = Omit<InboxNotification, 'id' | 'createdAt' | 'readAt'>;

/** An inbox as a token may read it: the recipient's rows in the token's country and cities. */
export interface InboxScope {
  recipientId: string;
  /** ISO 3166-1 alpha-2. Rows without a country (written before it was recorded) match on the city alone. */
  country: string;
  /** City ids, or ['*'] for every city of the country. */
  cities: string[];
}

export interface Page {
  /** 1 to 100; default 50. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

export const MAX_PAGE_SIZE = 100;

interface NotificationRow {
  id: number;
  key: string;
  recipient_id: string;
  recipient_role: Role;
  workflow_id: string;
  city_id: string;
  country: string | null;
  template: NotificationTemplate;
  locale: 'fa' | 'en';
  subject: string;
  body: string;
  created_at: string | Date;
  read_at: string | Date | null;
}

/** The in-app inbox: written by the notify activity, read by the inbox API. */
@Injectable()
export class NotificationsRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /** Inserts the rows not there yet (unique per key and recipient); returns how many were new. */
  async insertOnce(notifications: NewInboxNotification[], createdAt: string | Date): Promise<number> {
    if (notifications.length === 0) return 0;
    const created = toIsoInstant(createdAt);
    const inserted = await this.knex('notifications')
      .insert(
        notifications.map((n) => ({
          key: n.key,
          recipient_id: n.recipientId,
          recipient_role: n.recipientRole,
          workflow_id: n.workflowId,
          city_id: n.cityId,
          country: n.country ?? null,
          template: n.template,
          locale: n.locale,
          subject: n.subject,
          body: n.body,
          created_at: created,
        })),
      )
      .onConflict(['key', 'recipient_id'])
      .ignore()
      .returning('id');
    return inserted.length;
  }

  /** How many recipients hold the notification with this key. */
  async countForKey(key: string): Promise<number> {
    const [row] = await this.knex('notifications').where({ key }).count<{ n: number | string }[]>({ n: '*' });
    return Number(row?.n ?? 0);
  }

  /** The notifications of an inbox, newest first. */
  async list(scope: InboxScope, page: Page = {}): Promise<InboxNotification[]> {
    const { limit = 50, offset = 0 } = page;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${JSON.stringify(limit)}`);
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new RangeError(`offset must be a non-negative integer, got ${JSON.stringify(offset)}`);
    }
    const rows = await this.inScope(scope)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .offset(offset);
    return rows.map(toNotification);
  }

  /** How many notifications of an inbox are not read yet. */
  async countUnread(scope: InboxScope): Promise<number> {
    const [row] = await this.inScope(scope).whereNull('read_at').count<{ n: number | string }[]>({ n: '*' });
    return Number(row?.n ?? 0);
  }

  /**
   * Marks a notification of the inbox read; reading it again keeps the first time. Undefined when
   * the inbox holds no notification with this id (another recipient's, country's or city's).
   */
  async markRead(
    scope: InboxScope,
    id: number,
    at: string | Date = new Date(),
  ): Promise<InboxNotification | undefined> {
    await this.inScope(scope)
      .where({ id })
      .whereNull('read_at')
      .update({ read_at: toIsoInstant(at) });
    const [row] = await this.inScope(scope).where({ id });
    return row ? toNotification(row) : undefined;
  }

  private inScope(scope: InboxScope): Knex.QueryBuilder<NotificationRow, NotificationRow[]> {
    const { recipientId, country, cities } = scope;
    if (typeof recipientId !== 'string' || recipientId.length === 0) {
      throw new RangeError('recipientId must be a non-empty string');
    }
    const query = this.knex<NotificationRow, NotificationRow[]>('notifications')
      .where({ recipient_id: recipientId })
      .andWhere((rows) => void rows.where({ country }).orWhereNull('country'));
    return cities.includes('*') ? query : query.whereIn('city_id', cities);
  }
}

function toNotification(row: NotificationRow): InboxNotification {
  return {
    id: Number(row.id),
    key: row.key,
    recipientId: row.recipient_id,
    recipientRole: row.recipient_role,
    workflowId: row.workflow_id,
    cityId: row.city_id,
    ...(row.country ? { country: row.country } : {}),
    template: row.template,
    locale: row.locale,
    subject: row.subject,
    body: row.body,
    createdAt: readInstant(row.created_at)!,
    readAt: readInstant(row.read_at),
  };
}
