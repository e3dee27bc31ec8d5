// How each decision of the table (libs/contracts DECISIONS: who may take it, in which stage) is
// asked for and sent: its fields, and its route. The table decides when a form is shown.
import { DECISIONS, type DecisionName } from '@kudak/contracts/decisions';
import type { CandidacyStage } from '@kudak/contracts/candidacy.types';
import type { Role } from '@kudak/contracts/actor.types';
import { api, unwrap, type Schemas } from '../api/client';
import { asciiDigits } from '../digits';
import { dueAtFromInput } from '../due-date';

export type FieldKind = 'text' | 'multiline' | 'select' | 'boolean' | 'number' | 'file';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required?: boolean;
  options?: readonly string[];
  /** Shown only when another field has this value. */
  when?: { field: string; value: string | boolean };
}

export type Values = Record<string, string | boolean | File | undefined>;

/** Where a decision applies: the city, and for some a district or an obligation. */
export interface DecisionTarget {
  cityId: string;
  districtId?: string;
  obligationId?: string;
}

interface DecisionForm {
  /** What the decision is about besides the city. */
  scope?: 'district' | 'obligation';
  fields: FieldSpec[];
  send(
    target: DecisionTarget,
    values: Values,
    documents: Schemas['DocumentReferenceDto'][],
    key: string,
  ): Promise<unknown>;
}

const text = (values: Values, name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};
const score = (values: Values, name: string) => Number(asciiDigits(text(values, name) ?? 'NaN'));
const docs = (documents: Schemas['DocumentReferenceDto'][]) => (documents.length > 0 ? { documents } : {});
const reason: FieldSpec = { name: 'reason', kind: 'multiline' };
const requiredReason: FieldSpec = { name: 'reason', kind: 'multiline', required: true };
const file: FieldSpec = { name: 'document', kind: 'file' };
const headers = (key: string) => ({ 'Idempotency-Key': key });
const city = (target: DecisionTarget) => ({ cityId: target.cityId });
const district = (target: DecisionTarget) => ({ cityId: target.cityId, districtId: target.districtId ?? '' });

export const DECISION_FORMS: Record<DecisionName, DecisionForm> = {
  signMemorandum: {
    fields: [reason],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/memorandum', {
          params: { path: city(t), header: headers(key) },
          body: { reason: text(v, 'reason') },
        }),
      ),
  },
  addObligation: {
    fields: [
      { name: 'obligationId', kind: 'text', required: true },
      { name: 'party', kind: 'text', required: true },
      {
        name: 'partyRole',
        kind: 'select',
        required: true,
        options: [
          'unicef_officer',
          'ministry_officer',
          'administrator',
          'district_submitter',
          'reviewer',
          'committee_member',
        ],
      },
      { name: 'owedTo', kind: 'text', required: true },
      { name: 'description', kind: 'multiline', required: true },
      { name: 'dueAt', kind: 'text', required: true },
      reason,
    ],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/obligations', {
          params: { path: city(t), header: headers(key) },
          body: {
            reason: text(v, 'reason'),
            obligation: {
              id: text(v, 'obligationId') ?? '',
              party: text(v, 'party') ?? '',
              partyRole: (text(v, 'partyRole') ?? 'unicef_officer') as Role,
              owedTo: text(v, 'owedTo') ?? '',
              description: text(v, 'description') ?? '',
              dueAt: dueAtFromInput(text(v, 'dueAt') ?? ''),
            },
          },
        }),
      ),
  },
  fulfilObligation: {
    scope: 'obligation',
    fields: [{ name: 'evidence', kind: 'multiline', required: true }, file, reason],
    send: async (t, v, d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/obligations/{obligationId}/fulfilment', {
          params: { path: { cityId: t.cityId, obligationId: t.obligationId ?? '' }, header: headers(key) },
          body: { evidence: text(v, 'evidence') ?? '', reason: text(v, 'reason'), ...docs(d) },
        }),
      ),
  },
  submitDistrictPlan: {
    scope: 'district',
    fields: [
      { name: 'summary', kind: 'multiline', required: true },
      file,
      { name: 'documentUrl', kind: 'text' },
      reason,
    ],
    send: async (t, v, d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/districts/{districtId}/plan', {
          params: { path: district(t), header: headers(key) },
          body: {
            summary: text(v, 'summary') ?? '',
            documentUrl: text(v, 'documentUrl'),
            reason: text(v, 'reason'),
            ...docs(d),
          },
        }),
      ),
  },
  reviewDistrictPlan: {
    scope: 'district',
    fields: [{ name: 'decision', kind: 'select', required: true, options: ['APPROVE', 'RETURN'] }, reason],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/districts/{districtId}/review', {
          params: { path: district(t), header: headers(key) },
          body: { decision: text(v, 'decision') === 'RETURN' ? 'RETURN' : 'APPROVE', reason: text(v, 'reason') },
        }),
      ),
  },
  waiveDistrictPlan: {
    scope: 'district',
    fields: [requiredReason],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/districts/{districtId}/waiver', {
          params: { path: district(t), header: headers(key) },
          body: { reason: text(v, 'reason') ?? '' },
        }),
      ),
  },
  recordActionPlanInput: {
    fields: [
      { name: 'source', kind: 'select', required: true, options: ['PARTNER_BODY', 'THINK_TANK', 'CHILDREN_COUNCIL'] },
      { name: 'party', kind: 'text', required: true },
      { name: 'summary', kind: 'multiline', required: true },
      reason,
    ],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/action-plan/inputs', {
          params: { path: city(t), header: headers(key) },
          body: {
            source: (text(v, 'source') ?? 'PARTNER_BODY') as Schemas['ActionPlanInputDto']['source'],
            party: text(v, 'party') ?? '',
            summary: text(v, 'summary') ?? '',
            reason: text(v, 'reason'),
          },
        }),
      ),
  },
  submitActionPlan: {
    fields: [{ name: 'summary', kind: 'multiline', required: true }, file, reason],
    send: async (t, v, d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/action-plan/submission', {
          params: { path: city(t), header: headers(key) },
          body: { summary: text(v, 'summary') ?? '', reason: text(v, 'reason'), ...docs(d) },
        }),
      ),
  },
  reviewActionPlan: {
    fields: [{ name: 'decision', kind: 'select', required: true, options: ['APPROVE', 'RETURN'] }, reason],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/action-plan/review', {
          params: { path: city(t), header: headers(key) },
          body: { decision: text(v, 'decision') === 'RETURN' ? 'RETURN' : 'APPROVE', reason: text(v, 'reason') },
        }),
      ),
  },
  castCommitteeVote: {
    fields: [{ name: 'vote', kind: 'select', required: true, options: ['APPROVE', 'REJECT', 'RECUSE'] }, reason],
    send: async (t, v, _d, key) => {
      const vote = text(v, 'vote');
      return unwrap(
        await api.POST('/candidacies/{cityId}/committee/votes', {
          params: { path: city(t), header: headers(key) },
          body:
            vote === 'RECUSE'
              ? { recuse: true, reason: text(v, 'reason') }
              : { vote: vote === 'REJECT' ? 'REJECT' : 'APPROVE', reason: text(v, 'reason') },
        }),
      );
    },
  },
  endorseCandidacy: {
    fields: [{ name: 'decision', kind: 'select', required: true, options: ['ENDORSE', 'DECLINE'] }, reason],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/endorsement', {
          params: { path: city(t), header: headers(key) },
          body: { decision: text(v, 'decision') === 'DECLINE' ? 'DECLINE' : 'ENDORSE', reason: text(v, 'reason') },
        }),
      ),
  },
  recordEvaluation: {
    fields: [
      { name: 'resultsForChildren', kind: 'number', required: true },
      { name: 'childParticipation', kind: 'number', required: true },
      { name: 'nonDiscrimination', kind: 'number', required: true },
      file,
      reason,
    ],
    send: async (t, v, d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/evaluations', {
          params: { path: city(t), header: headers(key) },
          body: {
            scores: {
              resultsForChildren: score(v, 'resultsForChildren'),
              childParticipation: score(v, 'childParticipation'),
              nonDiscrimination: score(v, 'nonDiscrimination'),
              localIndicators: [],
            },
            reason: text(v, 'reason'),
            ...docs(d),
          },
        }),
      ),
  },
  submitCorrectivePlan: {
    fields: [{ name: 'plan', kind: 'multiline', required: true }, file, reason],
    send: async (t, v, d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/corrective-plan', {
          params: { path: city(t), header: headers(key) },
          body: { plan: text(v, 'plan') ?? '', reason: text(v, 'reason'), ...docs(d) },
        }),
      ),
  },
  reinstateCandidacy: {
    fields: [requiredReason],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/reinstatement', {
          params: { path: city(t), header: headers(key) },
          body: { reason: text(v, 'reason') ?? '' },
        }),
      ),
  },
  recordFinalAssessment: {
    fields: [
      { name: 'demonstratedResults', kind: 'boolean' },
      { name: 'childParticipation', kind: 'boolean' },
      { name: 'nonDiscrimination', kind: 'boolean' },
      file,
      reason,
    ],
    send: async (t, v, d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/final-assessment', {
          params: { path: city(t), header: headers(key) },
          body: {
            demonstratedResults: v.demonstratedResults === true,
            childParticipation: v.childParticipation === true,
            nonDiscrimination: v.nonDiscrimination === true,
            reason: text(v, 'reason'),
            ...docs(d),
          },
        }),
      ),
  },
  appealDecision: {
    fields: [requiredReason],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/appeal', {
          params: { path: city(t), header: headers(key) },
          body: { reason: text(v, 'reason') ?? '' },
        }),
      ),
  },
  withdrawCandidacy: {
    fields: [requiredReason],
    send: async (t, v, _d, key) =>
      unwrap(
        await api.POST('/candidacies/{cityId}/withdrawal', {
          params: { path: city(t), header: headers(key) },
          body: { reason: text(v, 'reason') ?? '' },
        }),
      ),
  },
};

/** The decisions this role may take at this stage, as the table says. */
export function decisionsFor(role: Role, stage: CandidacyStage): DecisionName[] {
  return (Object.keys(DECISIONS) as DecisionName[]).filter((name) => {
    const rule: { roles: readonly Role[]; stages?: readonly CandidacyStage[] } = DECISIONS[name];
    return rule.roles.includes(role) && (!rule.stages || rule.stages.includes(stage));
  });
}

/** The decision that completes a task of /me/tasks. */
export const TASK_DECISIONS: Partial<Record<Schemas['MyTaskDto']['kind'], DecisionName>> = {
  SIGN_MEMORANDUM: 'signMemorandum',
  SUBMIT_DISTRICT_PLAN: 'submitDistrictPlan',
  REVIEW_DISTRICT_PLAN: 'reviewDistrictPlan',
  SUBMIT_ACTION_PLAN: 'submitActionPlan',
  REVIEW_ACTION_PLAN: 'reviewActionPlan',
  COMMITTEE_VOTE: 'castCommitteeVote',
  ENDORSE_CANDIDACY: 'endorseCandidacy',
  RECORD_EVALUATION: 'recordEvaluation',
  SUBMIT_CORRECTIVE_PLAN: 'submitCorrectivePlan',
  RECORD_FINAL_ASSESSMENT: 'recordFinalAssessment',
  FULFIL_OBLIGATION: 'fulfilObligation',
  APPEAL_OR_ACCEPT: 'appealDecision',
  REINSTATE_OR_WITHDRAW: 'reinstateCandidacy',
};

/** Uploads a file for the city; its reference goes with the decision. */
export async function uploadDocument(cityId: string, document: File): Promise<Schemas['DocumentReferenceDto']> {
  const uploaded = unwrap(
    await api.POST('/candidacies/{cityId}/documents', {
      params: { path: { cityId } },
      body: { file: '' },
      bodySerializer: () => {
        const form = new FormData();
        form.append('file', document, document.name);
        return form;
      },
    }),
  );
  return { sha256: uploaded.sha256 };
}
