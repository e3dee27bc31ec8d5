import { Injectable } from '@nestjs/common';
import { Worker } from '@temporalio/worker';
import { stringify as toCsv } from 'csv-stringify/sync';
import { KudakConfig } from '@kudak/config';
import { candidacyWorkflowId, SHA256_HEX_PATTERN, type DocumentReference } from '@kudak/contracts';
import { AuditLogRepository, type AuditRead } from '@kudak/database';
import { workflowBundleOptions } from '@kudak/temporal';
import type { Identity } from '../auth/identity';
import { CandidacyAccessService } from '../candidacies/candidacy-access.service';
import { DocumentsService, type DocumentProblem } from '../documents/documents.service';
import { chainRows, verifyChain, type AuditVerification } from './audit-chain';
import { CandidacyHistoryService } from './candidacy-history.service';
import { sha256Of } from '../documents/document-content-store';
import { DossierZip } from './dossier-zip';
import { RunCache } from './run-cache';
import { buildTimeline, timelineEntriesOf, type RunHistory, type TimelineEntry } from './timeline.builder';
import { timelineFilter, type TimelineFilter } from './timeline.filter';
import { readableEntry, type ReadableTimelineEntry } from './timeline.readable';

export interface TimelinePage {
  total: number;
  offset: number;
  entries: ReadableTimelineEntry[];
}

export interface ReplayReport {
  ok: boolean;
  replayed: Array<{ workflowId: string; runId: string; ok: boolean; error?: string }>;
  firstDivergence?: { workflowId: string; runId: string; error: string };
}

/** The audit log's verification, and the stored documents whose bytes are lost or altered. */
export interface CandidacyVerification extends AuditVerification {
  documents: DocumentProblem[];
}

/** A document of the dossier: where it is in the zip, or why it is not there. */
interface DossierDocument extends DocumentReference {
  file?: string;
  problem?: DocumentProblem['problem'];
}

export interface Dossier {
  fileName: string;
  zip: Buffer;
  sha256: string;
}

/** Timeline lines kept between reads (a full Isfahan lifecycle has a few hundred). */
const TIMELINE_LINES_KEPT = 500_000;

/** What auditors read, verify and take away; every read of raw histories and dossiers is logged. */
@Injectable()
export class AuditService {
  /** Each run's timeline lines, so that paging through a timeline does not derive it again each time. */
  private readonly runEntries = new RunCache(timelineEntriesOf, TIMELINE_LINES_KEPT, (lines) => lines.length);

  constructor(
    private readonly access: CandidacyAccessService,
    private readonly histories: CandidacyHistoryService,
    private readonly log: AuditLogRepository,
    private readonly config: KudakConfig,
    private readonly documents: DocumentsService,
  ) {}

  /** The timeline, after bringing the audit log up to date with the histories. */
  async timeline(
    identity: Identity,
    cityId: string,
    offset: number,
    limit: number,
    filter: TimelineFilter = {},
  ): Promise<TimelinePage> {
    // Access first, then the histories: a caller outside the city's scope reads nothing, and gets
    // the same answer whether the city has a candidacy or not.
    await this.access.state(identity, cityId);
    const runs = await this.histories.runs(cityId);
    const timeline = this.timelineOf(runs);
    await this.sync(cityId, timeline);
    // The log holds every line; the filters narrow only what this page shows, paging included.
    const kept = timeline.filter(timelineFilter(cityId, filter));
    return { total: kept.length, offset, entries: kept.slice(offset, offset + limit).map(readableEntry) };
  }

  /** Appends to the audit log the entries of the history it does not hold yet. */
  async sync(cityId: string, timeline?: TimelineEntry[]): Promise<void> {
    const candidacyId = candidacyWorkflowId(cityId);
    const entries = timeline ?? this.timelineOf(await this.histories.runs(cityId));
    const stored = await this.log.rows(candidacyId);
    if (stored.length >= entries.length) return;
    const last = stored[stored.length - 1];
    await this.log.append(candidacyId, chainRows(entries.slice(stored.length), last?.hash, stored.length));
  }

  /**
   * Compares the stored log with the one derived anew from Temporal's histories. A log that is an
   * untouched prefix of it only lacks what happened since the log was last read: verification
   * appends that first (`appendedRows`), as a timeline read would, and reports on the whole log.
   * Every document uploaded for the city is hashed again too.
   */
  async verify(identity: Identity, cityId: string): Promise<CandidacyVerification> {
    await this.access.state(identity, cityId);
    const candidacyId = candidacyWorkflowId(cityId);
    const expected = chainRows(this.timelineOf(await this.histories.runs(cityId)));
    const stored = await this.log.rows(candidacyId);
    let report = verifyChain(stored, expected);
    let appendedRows = 0;
    if (report.problems.length > 0 && report.problems.every((p) => p.kind === 'MISSING')) {
      // The stored rows are the derived log's first ones, so its remaining rows chain on from them.
      appendedRows = await this.log.append(candidacyId, expected.slice(stored.length));
      report = verifyChain(await this.log.rows(candidacyId), expected);
    }
    const documents = await this.documents.verify(cityId);
    await this.logRead(identity, cityId, 'VERIFICATION');
    return { ...report, ok: report.ok && documents.length === 0, appendedRows, documents };
  }

  /** Replaces a candidacy's audit log by one derived anew from Temporal's histories. */
  async rebuild(cityId: string): Promise<number> {
    const rows = chainRows(this.timelineOf(await this.histories.runs(cityId)));
    await this.log.replace(candidacyWorkflowId(cityId), rows);
    return rows.length;
  }

  async raw(identity: Identity, cityId: string) {
    await this.access.state(identity, cityId);
    const raw = this.histories.toJson(await this.histories.runs(cityId));
    await this.logRead(identity, cityId, 'RAW_HISTORY');
    return raw;
  }

  /** Replays every history of the candidacy against the workflow code this process runs. */
  async replay(identity: Identity | undefined, cityId: string): Promise<ReplayReport> {
    if (identity) await this.access.state(identity, cityId);
    return replayRuns(await this.histories.runs(cityId), this.config);
  }

  /**
   * Timeline and raw histories as JSON, decisions and evaluations as CSV, the documents the
   * decisions rest on (`documents/<sha256>-<name>`), and a SHA-256 manifest.
   */
  async dossier(identity: Identity, cityId: string): Promise<Dossier> {
    // Each history goes into the zip as it arrives (turned into JSON and compressed while the next
    // ones are being fetched); the access check runs alongside, and its answer comes first: a city
    // the caller may not read gets the same 404 whether or not it exists (nothing is returned or
    // logged unless it passes, and the zip begun meanwhile is dropped).
    const zip = new DossierZip();
    const historyFile = (run: RunHistory) => `histories/${run.workflowId.replace(/\//g, '__')}__${run.runId}.json`;
    const fetching = this.histories.runs(cityId, (run) => zip.add(historyFile(run), this.histories.jsonText(run)));
    fetching.catch(() => undefined); // awaited below, once the access check has passed
    await this.access.state(identity, cityId);
    const runs = await fetching;
    const timeline = this.timelineOf(runs);
    await this.sync(cityId, timeline);
    zip.add('timeline.json', JSON.stringify(timeline.map(readableEntry)));
    zip.add('decisions.csv', decisionsCsv(timeline));
    zip.add('evaluations.csv', evaluationsCsv(timeline));
    const names = ['timeline.json', ...runs.map(historyFile), 'decisions.csv', 'evaluations.csv'];
    const documents: DossierDocument[] = [];
    for (const document of documentsIn(timeline)) {
      const stored = await this.documents.content(document.sha256);
      if (stored.problem) {
        documents.push({ ...document, problem: stored.problem });
        continue;
      }
      const file = `documents/${document.sha256}-${document.name}`;
      zip.add(file, stored.content);
      names.push(file);
      documents.push({ ...document, file });
    }
    const manifest = {
      candidacy: candidacyWorkflowId(cityId),
      generatedAt: new Date().toISOString(),
      generatedBy: { id: identity.sub, role: identity.role, organisation: identity.organisation },
      files: zip.listed(names),
      documents,
    };
    const archive = await zip.finish('manifest.json', JSON.stringify(manifest, null, 2));
    const digest = sha256Of(archive);
    await this.logRead(identity, cityId, 'DOSSIER', digest);
    return { fileName: `kudak-dossier-${cityId}.zip`, zip: archive, sha256: digest };
  }

  private timelineOf(runs: RunHistory[]): TimelineEntry[] {
    return buildTimeline(runs, (run) => this.runEntries.get(run));
  }

  private logRead(identity: Identity, cityId: string, what: AuditRead['what'], digest?: string): Promise<void> {
    return this.log.logRead({
      candidacyId: candidacyWorkflowId(cityId),
      what,
      readerId: identity.sub,
      readerRole: identity.role,
      readerOrganisation: identity.organisation,
      sha256: digest,
    });
  }
}

/** Replays runs against the current workflow code (the production bundle when there is one). */
export async function replayRuns(
  runs: RunHistory[],
  config: KudakConfig,
  otherWorkflowsPath?: string,
): Promise<ReplayReport> {
  const { workflowsPath, webpackConfigHook } = workflowBundleOptions();
  const source =
    config.usePrebuiltWorkflowBundle && !otherWorkflowsPath
      ? { workflowBundle: { codePath: config.workflowBundlePath } }
      : { workflowsPath: otherWorkflowsPath ?? workflowsPath, bundlerOptions: { webpackConfigHook } };
  const replayed: ReplayReport['replayed'] = [];
  const histories = runs.map((r) => ({ workflowId: r.workflowId, history: { events: r.events } }));
  // One result per history, in order: the nth is the nth run's (the runs of a candidacy that
  // continued as new share its workflow id, so the id cannot tell them apart).
  for await (const result of Worker.runReplayHistories(source, histories)) {
    const run = runs[replayed.length];
    replayed.push({
      workflowId: run.workflowId,
      runId: run.runId,
      ok: !result.error,
      error: result.error ? String(result.error.message) : undefined,
    });
  }
  const first = replayed.find((r) => !r.ok);
  return {
    ok: !first,
    replayed,
    firstDivergence: first ? { workflowId: first.workflowId, runId: first.runId, error: first.error! } : undefined,
  };
}

/** The documents the timeline's decisions rest on, each once per name, in the order they appear. */
function documentsIn(timeline: TimelineEntry[]): DocumentReference[] {
  const seen = new Map<string, DocumentReference>();
  for (const entry of timeline) {
    for (const d of (entry.details?.documents ?? []) as DocumentReference[]) {
      if (!SHA256_HEX_PATTERN.test(d.sha256) || typeof d.name !== 'string') continue; // not written by the API
      // A name from a history is still made safe as a path in the zip.
      const name = d.name.replace(/[\\/]/g, '_');
      seen.set(`${d.sha256}-${name}`, { sha256: d.sha256, name, contentType: d.contentType, size: d.size });
    }
  }
  return [...seen.values()];
}

/** A CSV cell from a scalar of a timeline entry's details. */
function cell(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A CSV cell listing the ids of a detail holding a list (dissenters...), separated by semicolons. */
function listCell(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(';') : '';
}

/** The committee round a vote, recusal or outcome belongs to (a round may span a continued run). */
const roundKey = (e: TimelineEntry) => `${e.workflowId}#${cell(e.details?.round)}`;

/**
 * One row per decision: who, when, why, and what each decision is about: the district of a plan
 * decision, each member's vote (or recusal) and round, and on a committee outcome its dissenters and
 * the members who recused.
 */
function decisionsCsv(timeline: TimelineEntry[]): string {
  const decisions = timeline.filter((e) => e.kind === 'DECISION');
  const recusals = new Map<string, string[]>();
  for (const e of decisions) {
    if (e.details?.decisionKind !== 'COMMITTEE_RECUSAL' || !e.actor) continue;
    recusals.set(roundKey(e), [...(recusals.get(roundKey(e)) ?? []), e.actor.id]);
  }
  const rows = decisions.map((e) => {
    const kind = e.details?.decisionKind;
    const outcome = kind === 'COMMITTEE_OUTCOME';
    return [
      e.at,
      e.atSolarHijri,
      e.workflowId,
      e.stage ?? '',
      cell(kind),
      e.actor?.id ?? '',
      e.actor?.role ?? '',
      e.actor?.organisation ?? '',
      e.reason ?? '',
      cell(e.details?.districtId),
      cell(e.details?.round),
      kind === 'COMMITTEE_RECUSAL' ? 'RECUSED' : kind === 'COMMITTEE_VOTE' ? cell(e.details?.vote) : '',
      outcome ? cell(e.details?.outcome) : '',
      outcome ? listCell(e.details?.dissenters) : '',
      outcome ? (recusals.get(roundKey(e)) ?? []).join(';') : '',
    ];
  });
  return toCsv([
    [
      'at',
      'at_solar_hijri',
      'workflow_id',
      'stage',
      'decision',
      'actor_id',
      'actor_role',
      'actor_organisation',
      'reason',
      'district_id',
      'committee_round',
      'vote',
      'outcome',
      'dissenters',
      'recused',
    ],
    ...rows,
  ]);
}

function evaluationsCsv(timeline: TimelineEntry[]): string {
  const rows = timeline
    .filter((e) => e.kind === 'EVALUATION')
    .map((e) => {
      const scores = (e.details?.scores ?? {}) as Record<string, unknown>;
      return [
        e.at,
        e.atSolarHijri,
        e.summary,
        cell(scores.resultsForChildren),
        cell(scores.childParticipation),
        cell(scores.nonDiscrimination),
        cell(e.details?.satisfactory),
        e.actor?.id ?? '',
        e.reason ?? '',
      ];
    });
  return toCsv([
    [
      'at',
      'at_solar_hijri',
      'evaluation',
      'results_for_children',
      'child_participation',
      'non_discrimination',
      'satisfactory',
      'evaluated_by',
      'reason',
    ],
    ...rows,
  ]);
}
