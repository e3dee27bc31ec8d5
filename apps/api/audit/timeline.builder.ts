import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { solarHijriDay } from '@kudak/calendar';
import {
  DEADLINES_MEMO_KEY,
  PROCESS_PATCHES,
  taskRoles,
  type Actor,
  type Award,
  type CandidacyWorkflowInput,
  type DeadlineMemoEntry,
  type DecisionInput,
  type DecisionRecord,
  type DocumentReference,
  type EvaluationRecord,
  type NotificationRequest,
  type TimelineKind,
} from '@kudak/contracts';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One workflow run's history, as fetched from Temporal. */
export interface RunHistory {
  workflowId: string;
  runId: string;
  events: HistoryEvent[];
}

/** A line of the human-readable timeline, pointing back at the history event it came from. */
export interface TimelineEntry {
  workflowId: string;
  runId: string;
  eventId: number;
  kind: TimelineKind;
  /** ISO-8601 instant, and the same day in the Solar Hijri calendar (YYYY/MM/DD). */
  at: string;
  atSolarHijri: string;
  /** When Temporal recorded the event (the timeline's order). */
  recordedAt: string;
  stage?: string;
  actor?: Actor;
  reason?: string;
  summary: string;
  details?: Record<string, unknown>;
}

const decode = (payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown[] =>
  (payloads?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p));

function instant(event: HistoryEvent): string {
  const t = event.eventTime;
  const ms = Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

function stageOf(event: HistoryEvent): string | undefined {
  const field = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.KudakStage;
  if (!field) return undefined;
  const value = defaultPayloadConverter.fromPayload(field);
  return Array.isArray(value) ? String(value[0]) : String(value);
}

function deadlinesIn(memo: temporal.api.common.v1.IMemo | null | undefined): DeadlineMemoEntry[] | undefined {
  const field = memo?.fields?.[DEADLINES_MEMO_KEY];
  // A field upserted as undefined (a null payload) was removed: no deadline is open.
  return field ? (defaultPayloadConverter.fromPayload<DeadlineMemoEntry[] | undefined>(field) ?? []) : undefined;
}

const describeDeadline = (d: DeadlineMemoEntry) =>
  `${d.kind} due ${d.dueAt} for ${taskRoles(d).join(' and ')}${d.districtId ? ` (district ${d.districtId})` : ''}`;

/** Ids of the deadlines a run's memo holds, as its history unfolds: a deadline is new once. */
type OpenDeadlines = Set<string>;

/** The documents a run's decisions rest on, by decision id. */
type DecisionDocuments = Map<string, DocumentReference[]>;

/**
 * The documents of each decision of a run: an Update's input (its accepted event) carries them, and
 * its result (its completed event) is the decision, with its id. The workflow need not know them.
 */
function documentsOfDecisions(run: RunHistory): DecisionDocuments {
  const byUpdate = new Map<string, DocumentReference[]>();
  const byDecision: DecisionDocuments = new Map();
  for (const event of run.events) {
    const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    if (request?.meta?.updateId) {
      const [input] = decode(request.input?.args) as [Partial<DecisionInput> | undefined];
      if (input?.documents?.length) byUpdate.set(request.meta.updateId, input.documents);
    }
    const completed = event.workflowExecutionUpdateCompletedEventAttributes;
    const documents = completed?.meta?.updateId ? byUpdate.get(completed.meta.updateId) : undefined;
    if (completed && documents) {
      const [decision] = decode(completed.outcome?.success) as [Partial<DecisionRecord> | undefined];
      if (decision?.id) byDecision.set(decision.id, documents);
    }
  }
  return byDecision;
}

/** The patch id a marker event records (`patched(id)`), if it is a patch marker. */
function patchIdOf(event: HistoryEvent): string | undefined {
  const payload = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<{ id?: string }>(payload).id : undefined;
}

type EntryBase = Pick<TimelineEntry, 'workflowId' | 'runId' | 'eventId' | 'at' | 'recordedAt'>;

/**
 * The obligations a candidacy starts with, as its start recorded them (those added later are
 * decisions): one line, on the marker of the change that gives each obligation a task, so the
 * timelines (and audit logs) of runs from before it stay as they were.
 */
function obligationsAtStart(run: RunHistory, base: EntryBase): Omit<TimelineEntry, 'atSolarHijri'> | undefined {
  const started = run.events[0];
  const [input] = decode(started?.workflowExecutionStartedEventAttributes?.input) as [
    Partial<CandidacyWorkflowInput> | undefined,
  ];
  const obligations = input?.continued ? [] : (input?.start?.obligations ?? []);
  if (obligations.length === 0) return undefined;
  const described = obligations.map(
    (o) =>
      `${o.id}: ${o.party} (${o.partyRole}) owes ${o.owedTo} "${o.description}", due ${o.dueAt}` +
      (o.gatesStage ? `, before stage ${o.gatesStage} opens` : ''),
  );
  return {
    ...base,
    at: instant(started),
    kind: 'OBLIGATION',
    actor: input!.start!.startedBy,
    summary: `Obligation${obligations.length > 1 ? 's' : ''} given at start: ${described.join('; ')}`,
    details: { obligations },
  };
}

/** The timeline entry an event means, if it means one. Pure: the same history gives the same lines. */
function entryOf(
  run: RunHistory,
  event: HistoryEvent,
  open: OpenDeadlines,
  documentsOf: DecisionDocuments,
): Omit<TimelineEntry, 'atSolarHijri'> | undefined {
  const recordedAt = instant(event);
  const base = {
    workflowId: run.workflowId,
    runId: run.runId,
    eventId: Number(event.eventId),
    at: recordedAt,
    recordedAt,
  };
  const started = event.workflowExecutionStartedEventAttributes;
  if (started) {
    // A continued run starts with the deadlines its predecessor left open: not new here.
    for (const d of deadlinesIn(started.memo) ?? []) open.add(d.taskId);
    const [input] = decode(started.input) as [Partial<CandidacyWorkflowInput> | undefined];
    const type = started.workflowType?.name ?? 'workflow';
    const renewal = input?.continued ? ` (cycle ${input.continued.cycle})` : '';
    return {
      ...base,
      kind: 'STARTED',
      actor: input?.start?.startedBy,
      summary: `${type} started${renewal}`,
    };
  }
  if (patchIdOf(event) === PROCESS_PATCHES.tasksForEveryDeadline) return obligationsAtStart(run, base);
  const stage = stageOf(event);
  if (stage) return { ...base, kind: 'STAGE_ENTERED', stage, summary: `Stage ${stage}` };
  const deadlines = deadlinesIn(event.workflowPropertiesModifiedEventAttributes?.upsertedMemo);
  if (deadlines) {
    const added = deadlines.filter((d) => !open.has(d.taskId));
    open.clear();
    for (const d of deadlines) open.add(d.taskId);
    // Closing a task also rewrites the memo; only a deadline set is a line of the timeline.
    if (added.length === 0) return undefined;
    return {
      ...base,
      kind: 'DEADLINE',
      stage: added[0].stage,
      summary: `Deadline: ${added.map(describeDeadline).join('; ')}`,
      details: { deadlines: added },
    };
  }
  const scheduled = event.activityTaskScheduledEventAttributes;
  if (scheduled) {
    const [arg] = decode(scheduled.input) as [Record<string, unknown>];
    switch (scheduled.activityType?.name) {
      case 'recordDecision': {
        const d = arg.decision as DecisionRecord;
        // Only a decision with documents gains the field: older lines of the audit log stay as they were.
        const documents = documentsOf.get(d.id);
        return {
          ...base,
          at: d.at,
          kind: 'DECISION',
          stage: d.stage,
          actor: d.actor,
          reason: d.reason,
          summary:
            `${d.kind} by ${d.actor.id} (${d.actor.role}, ${d.actor.organisation})` +
            (documents ? `, with ${documents.map((doc) => doc.name).join(', ')}` : ''),
          details: { decisionId: d.id, decisionKind: d.kind, ...d.details, ...(documents ? { documents } : {}) },
        };
      }
      case 'recordEvaluation': {
        const e = arg.evaluation as EvaluationRecord;
        return {
          ...base,
          at: e.at,
          kind: 'EVALUATION',
          actor: e.evaluatedBy,
          reason: e.reason,
          summary: `${e.kind} evaluation ${e.sequence}: ${e.satisfactory ? 'satisfactory' : 'unsatisfactory'}`,
          details: { evaluationId: e.id, scores: e.scores, satisfactory: e.satisfactory },
        };
      }
      case 'recordAward': {
        const a = arg.award as Award;
        return {
          ...base,
          at: a.awardedAt,
          kind: 'AWARD',
          actor: arg.actor as Actor,
          summary: `${a.kind} awarded${a.expiresAt ? `, valid until ${a.expiresAt}` : ''}`,
          details: { ...a },
        };
      }
      case 'notify': {
        const n = arg as unknown as NotificationRequest;
        const kind =
          n.template === 'TASK_REMINDER'
            ? 'REMINDER'
            : n.template === 'TASK_ESCALATION'
              ? 'ESCALATION'
              : 'NOTIFICATION';
        return {
          ...base,
          kind,
          stage: n.stage,
          summary: `${n.template} to ${n.recipients.map((r) => `${r.id} (${r.role})`).join(', ')}`,
          details: { template: n.template, recipients: n.recipients.map((r) => r.id), params: n.params },
        };
      }
    }
    return undefined;
  }
  if (event.workflowExecutionContinuedAsNewEventAttributes) {
    return { ...base, kind: 'CONTINUED_AS_NEW', summary: 'Continued as new (renewal cycle or bounded history)' };
  }
  const closed =
    (event.workflowExecutionCompletedEventAttributes && 'completed') ||
    (event.workflowExecutionCanceledEventAttributes && 'cancelled') ||
    (event.workflowExecutionTerminatedEventAttributes && 'terminated') ||
    (event.workflowExecutionFailedEventAttributes && 'failed') ||
    (event.workflowExecutionTimedOutEventAttributes && 'timed out');
  if (closed) return { ...base, kind: 'CLOSED', summary: `Workflow ${closed}` };
  return undefined;
}

/** One run's lines of the timeline, in its events' order. */
export function timelineEntriesOf(run: RunHistory): TimelineEntry[] {
  const open: OpenDeadlines = new Set();
  const documentsOf = documentsOfDecisions(run);
  return run.events.flatMap((event) => {
    const entry = entryOf(run, event, open, documentsOf);
    return entry ? [{ ...entry, atSolarHijri: solarHijriDay(new Date(entry.at)) }] : [];
  });
}

/**
 * The timeline of a candidacy from the histories of its runs and district workflows: one line per
 * meaningful event, ordered by when Temporal recorded it (then workflow, run and event id), so the
 * same histories always give the same timeline, and later events always sort after earlier ones.
 * `entriesOf` may give a run's lines kept from before (they are the same for the same events).
 */
export function buildTimeline(
  runs: RunHistory[],
  entriesOf: (run: RunHistory) => readonly TimelineEntry[] = timelineEntriesOf,
): TimelineEntry[] {
  return runs
    .flatMap((run) => entriesOf(run))
    .sort(
      (a, b) =>
        a.recordedAt.localeCompare(b.recordedAt) ||
        a.workflowId.localeCompare(b.workflowId) ||
        a.runId.localeCompare(b.runId) ||
        a.eventId - b.eventId,
    );
}
