// A timeline line's summary in the reader's language. The API's `summary` is the audit log's own
// wording (English, hash-chained, so never reworded): each kind of line is said again here from its
// kind and details, and a line this does not know keeps that wording.
import type { TFunction } from 'i18next';
import type { ObligationInput } from '@kudak/contracts/candidacy.types';
import type { DeadlineMemoEntry } from '@kudak/contracts/deadlines-memo';
import type { Schemas } from '../api/client';
import { formatDate, formatList, formatNumber } from '../format';
import type { Language } from '../i18n/i18n';

type TimelineEntry = Schemas['TimelineEntryDto'];

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** "<type> started" or "<type> started (cycle N)": the audit log's wording of a run's start. */
const STARTED = /^(\w+) started(?: \(cycle (\d+)\))?$/;
/** "Workflow completed" (cancelled, terminated, failed, timed out): how a run ended. */
const CLOSED = /^Workflow (completed|cancelled|terminated|failed|timed out)$/;

/** Between the entries of one line (two deadlines set at once). */
const entrySeparator: Record<Language, string> = { fa: '؛ ', en: '; ' };

export function timelineSummary(entry: TimelineEntry, t: TFunction, language: Language): string {
  const details = entry.details ?? {};
  switch (entry.kind) {
    case 'DECISION': {
      const kind = text(details.decisionKind);
      if (!kind) break;
      const district = text(details.districtId);
      const vote = text(details.vote);
      return [
        t(`decisionKinds.${kind}`, { defaultValue: kind }),
        district && `${t('fields.district')}: ${district}`,
        vote && t(`options.${vote}`, { defaultValue: vote }),
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'STARTED': {
      const [, type, cycle] = STARTED.exec(entry.summary) ?? [];
      if (type === 'candidacyWorkflow') {
        return cycle
          ? t('audit.renewalStarted', { cycle: formatNumber(Number(cycle), language) })
          : t('audit.candidacyStarted');
      }
      const district = entry.workflowId.split('/district/')[1];
      if (type === 'districtPlanWorkflow' && district) return t('audit.districtPlanStarted', { district });
      break;
    }
    case 'DEADLINE': {
      const deadlines = Array.isArray(details.deadlines) ? (details.deadlines as DeadlineMemoEntry[]) : [];
      if (deadlines.length === 0) break;
      return deadlines
        .map((d) =>
          [
            t('audit.deadline', {
              task: t(`tasks.${d.kind}`, { defaultValue: d.kind }),
              date: formatDate(d.dueAt, language, true),
              roles: formatList(
                (d.assigneeRoles ?? [d.assigneeRole]).map((r) => t(`roles.${r}`, { defaultValue: r })),
                language,
              ),
            }),
            d.districtId && `${t('fields.district')}: ${d.districtId}`,
            d.obligationId && `${t('fields.obligationId')}: ${d.obligationId}`,
          ]
            .filter(Boolean)
            .join(' · '),
        )
        .join(entrySeparator[language]);
    }
    case 'OBLIGATION': {
      const obligations = Array.isArray(details.obligations) ? (details.obligations as ObligationInput[]) : [];
      if (obligations.length === 0) break;
      return obligations
        .map((o) => t('audit.obligation', { ...o, date: formatDate(o.dueAt, language) }))
        .join(entrySeparator[language]);
    }
    case 'NOTIFICATION':
    case 'REMINDER':
    case 'ESCALATION': {
      const template = text(details.template);
      const recipients = Array.isArray(details.recipients) ? (details.recipients as string[]) : [];
      if (!template) break;
      const params = (details.params ?? {}) as Record<string, unknown>;
      const task = text(params.taskKind);
      return [
        t(`audit.notices.${template}`, { defaultValue: template }),
        task && t(`tasks.${task}`, { defaultValue: task }),
        recipients.length > 0 && t('audit.to', { recipients: formatList(recipients, language) }),
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'CONTINUED_AS_NEW':
      return t('audit.continuedAsNew');
    case 'CLOSED': {
      const [, how] = CLOSED.exec(entry.summary) ?? [];
      if (how) return t(`audit.closed.${how.replace(' ', '_')}`);
      break;
    }
    case 'STAGE_ENTERED':
      if (entry.stage) return t('audit.stageEntered', { stage: t(`stages.${entry.stage}`) });
      break;
    case 'EVALUATION':
      return t(details.satisfactory ? 'candidacy.satisfactory' : 'candidacy.unsatisfactory');
    case 'AWARD': {
      const kind = text(details.kind);
      if (!kind) break;
      const expires = text(details.expiresAt);
      return [t(`awards.${kind}`), expires && t('audit.validUntil', { date: formatDate(expires, language) })]
        .filter(Boolean)
        .join(' · ');
    }
  }
  return entry.summary;
}
