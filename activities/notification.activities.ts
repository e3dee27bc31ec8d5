import { Injectable, Logger } from '@nestjs/common';
import { Context } from '@temporalio/activity';

export interface CandidacyNotice {
  cityId: string;
  subject: string;
  body: string;
}

/** Tells the city's parties what happened. Idempotent: keyed by workflow id + activity id. */
@Injectable()
export class NotificationActivities {
  private readonly logger = new Logger(NotificationActivities.name);

  async notifyAdministrators(notice: CandidacyNotice): Promise<string> {
    const { workflowExecution, activityId } = Context.current().info;
    const key = `${workflowExecution?.workflowId ?? 'standalone'}/${activityId}`;
    this.logger.log(`[${key}] ${notice.cityId}: ${notice.subject}`);
    return key;
  }
}
