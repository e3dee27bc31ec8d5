/** The kinds of line of a candidacy's human-readable timeline (the audit's history), to filter by. */
export const TIMELINE_KINDS = [
  'STARTED',
  'OBLIGATION',
  'STAGE_ENTERED',
  'DECISION',
  'EVALUATION',
  'AWARD',
  'DEADLINE',
  'NOTIFICATION',
  'REMINDER',
  'ESCALATION',
  'CONTINUED_AS_NEW',
  'CLOSED',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
