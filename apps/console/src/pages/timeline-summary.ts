// A timeline line's summary in the reader's language. The API's `summary` is the audit log's own
// wording (English, hash-chained, so never reworded); the lines people read most (decisions,
// stages, evaluations, awards) are said again here from their kind and details, and the others keep
// that wording.
import type { TFunction } from 'i18next';
import type { Schemas } from '../api/client';
import { formatDate } from '../format';
import type { Language } from '../i18n/i18n';

type TimelineEntry = Schemas['TimelineEntryDto'];

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

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
