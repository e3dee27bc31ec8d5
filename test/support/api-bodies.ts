import type { Role } from '@kudak/contracts';

/** The JSON body of `POST /candidacies` for a city like Isfahan, as a client sends it. */
export function startBody(cityId: string, districts = 15) {
  return {
    cityId,
    cityName: 'Isfahan',
    country: 'IR',
    districts: Array.from({ length: districts }, (_, i) => ({ id: `district-${i + 1}`, name: `District ${i + 1}` })),
    contacts: [
      { id: 'focal-point', name: 'CFC focal point', role: 'administrator', locale: 'fa' },
      { id: 'plan-reviewer', name: 'Plan reviewer', role: 'reviewer', locale: 'fa' },
    ],
    obligations: [
      {
        id: 'unicef-funding',
        party: 'UNICEF',
        partyRole: 'unicef_officer',
        owedTo: 'Isfahan Municipality',
        description: 'Dedicated CFC funding',
        dueAt: '2099-06-01T00:00:00Z',
        gatesStage: 'IMPLEMENTATION',
      },
    ],
    policy: { committee: { members: ['member-1', 'member-2', 'member-3'], quorum: 2 } },
  };
}

/** Every decision route (under /candidacies/{cityId}/) with a well-formed body, and the roles allowed to call it. */
export const DECISION_ENDPOINTS: Array<{ path: string; body: object; roles: Role[]; validNow?: boolean }> = [
  { path: 'memorandum', body: {}, roles: ['administrator'], validNow: true },
  { path: 'withdrawal', body: { reason: 'x' }, roles: ['administrator'], validNow: true },
  { path: 'appeal', body: { reason: 'x' }, roles: ['administrator'] },
  { path: 'reinstatement', body: { reason: 'x' }, roles: ['ministry_officer'] },
  {
    path: 'obligations',
    body: {
      obligation: {
        id: 'x',
        party: 'P',
        partyRole: 'administrator',
        owedTo: 'O',
        description: 'D',
        dueAt: '2099-01-01T00:00:00Z',
      },
    },
    roles: ['administrator'],
    validNow: true,
  },
  {
    path: 'obligations/unicef-funding/fulfilment',
    body: { evidence: 'e' },
    roles: ['administrator', 'unicef_officer'],
    validNow: true,
  },
  { path: 'districts/district-1/plan', body: { summary: 's' }, roles: ['district_submitter', 'administrator'] },
  { path: 'districts/district-1/review', body: { decision: 'APPROVE' }, roles: ['reviewer'] },
  { path: 'districts/district-1/waiver', body: { reason: 'x' }, roles: ['administrator'] },
  {
    path: 'action-plan/inputs',
    body: { source: 'THINK_TANK', party: 'p', summary: 's' },
    roles: ['administrator'],
  },
  { path: 'action-plan/submission', body: { summary: 's' }, roles: ['administrator'] },
  { path: 'action-plan/review', body: { decision: 'APPROVE' }, roles: ['ministry_officer'] },
  { path: 'committee/votes', body: { vote: 'APPROVE' }, roles: ['committee_member'] },
  { path: 'endorsement', body: { decision: 'ENDORSE' }, roles: ['unicef_officer'] },
  {
    path: 'evaluations',
    body: {
      scores: { resultsForChildren: 4, childParticipation: 4, nonDiscrimination: 4, localIndicators: [] },
    },
    roles: ['committee_member', 'ministry_officer'],
  },
  { path: 'corrective-plan', body: { plan: 'p' }, roles: ['administrator'] },
  {
    path: 'final-assessment',
    body: { demonstratedResults: true, childParticipation: true, nonDiscrimination: true },
    roles: ['unicef_officer'],
  },
];
