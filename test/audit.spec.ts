import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KudakConfig } from '@kudak/config';
import { AuditLogRepository, DocumentsRepository } from '@kudak/database';
import { AuditService } from '../apps/api/audit/audit.service';
import { CandidacyHistoryService } from '../apps/api/audit/candidacy-history.service';
import { replayRuns } from '../apps/api/audit/audit.service';
import type { Identity } from '../apps/api/auth/identity';
import { CandidacyAccessService } from '../apps/api/candidacies/candidacy-access.service';
import { createDocumentContentStore } from '../apps/api/documents/document-content-store';
import { DocumentsService } from '../apps/api/documents/documents.service';
import { actors, CandidacyDriver, cityInput } from './support/candidacy-fixtures';
import { evaluateAfter, finalAssessmentPasses, toImplementation } from './support/candidacy-steps';
import { startLifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';

// The auditors' services over a full lifecycle, on the real time-skipping server (18 months pass
// in seconds) with the real activities and database: the timeline, the hash-chained audit log and
// its tamper detection, the rebuild, replay verification and the dossier.
describe('audit: timeline, hash-chained log, replay verification, dossier', () => {
  let h: LifecycleHarness;
  let audit: AuditService;
  let histories: CandidacyHistoryService;
  let c: CandidacyDriver;
  const auditor: Identity = {
    sub: 'auditor-1',
    role: 'auditor',
    organisation: 'National audit office',
    country: 'IR',
    cities: ['*'],
  };
  const cityId = 'audited-city';

  beforeAll(async () => {
    h = await startLifecycleHarness();
    histories = new CandidacyHistoryService(h.env.client);
    const access = new CandidacyAccessService(h.env.client);
    const config = KudakConfig.fromEnvironment();
    audit = new AuditService(
      access,
      histories,
      new AuditLogRepository(h.acts.knex),
      config,
      new DocumentsService(
        access,
        new DocumentsRepository(h.acts.knex),
        createDocumentContentStore(config, h.acts.knex),
      ),
    );
    c = await CandidacyDriver.start(h.env.client, h.taskQueue, cityInput({ cityId, districts: 3 }));
    await toImplementation(c, ['d1', 'd2', 'd3']);
    for (let i = 0; i < 3; i++) await evaluateAfter(h.env, c, 6);
    await finalAssessmentPasses(c);
    await c.stage('ACCEDED');
    await h.acts.settled();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the timeline lists every decision with its actor, in both calendars, from the candidacy and its districts', async () => {
    const { total, entries } = await audit.timeline(auditor, cityId, 0, 1000);
    expect(entries).toHaveLength(total);
    const decisions = entries.filter((e) => e.kind === 'DECISION');
    const state = await c.state();
    // Every decision of the candidacy's state, and every district decision, is on the timeline.
    for (const d of state.decisions) {
      expect(decisions).toContainEqual(expect.objectContaining({ at: d.at, actor: d.actor, stage: d.stage }));
    }
    const districtDecisions = decisions.filter((e) => e.workflowId.includes('/district/'));
    expect(districtDecisions).toHaveLength(6); // submitted and approved, three districts
    expect(districtDecisions[0].actor).toMatchObject({ role: expect.stringMatching(/district_submitter|reviewer/) });
    for (const e of entries) expect(e.atSolarHijri).toMatch(/^14\d\d\/\d\d\/\d\d$/);
    const kinds = new Set(entries.map((e) => e.kind));
    expect([...kinds]).toEqual(
      expect.arrayContaining(['STARTED', 'STAGE_ENTERED', 'DECISION', 'EVALUATION', 'AWARD', 'NOTIFICATION']),
    );
    expect(entries.filter((e) => e.kind === 'AWARD').map((e) => e.summary)).toEqual([
      expect.stringMatching(/^CANDIDACY_LOGO awarded/),
      expect.stringMatching(/^RECOGNITION awarded, valid until/),
    ]);
    const page = await audit.timeline(auditor, cityId, 5, 3);
    expect(page.entries).toEqual(entries.slice(5, 8));
  });

  it('the audit log verifies, and an edited, deleted or reordered row is reported with its position', async () => {
    expect(await audit.verify(auditor, cityId)).toMatchObject({ ok: true, problems: [] });
    const knex = h.acts.knex;
    const rows = await knex('audit_log').where({ candidacy_id: c.workflowId }).orderBy('position');
    expect(rows.length).toBeGreaterThan(20);

    // Edited: a reason rewritten.
    const edited = rows[10];
    await knex('audit_log')
      .where({ id: edited.id })
      .update({ entry: edited.entry.replace(/"summary":"/, '"summary":"X') });
    expect((await audit.verify(auditor, cityId)).problems[0]).toMatchObject({ kind: 'EDITED', position: 10 });
    await knex('audit_log').where({ id: edited.id }).update({ entry: edited.entry });

    // Edited with the hashes recomputed: caught by the comparison with Temporal's history.
    const { rowHash } = await import('../apps/api/audit/audit-chain');
    const forged = edited.entry.replace(/"summary":"/, '"summary":"Y');
    await knex('audit_log')
      .where({ id: edited.id })
      .update({ entry: forged, hash: rowHash(edited.prev_hash, forged) });
    const forgedReport = await audit.verify(auditor, cityId);
    expect(forgedReport.ok).toBe(false);
    expect(forgedReport.problems.map((p) => p.position)).toContain(10);
    await knex('audit_log').where({ id: edited.id }).update({ entry: edited.entry, hash: edited.hash });

    // Deleted.
    await knex('audit_log').where({ id: rows[7].id }).delete();
    const deleted = await audit.verify(auditor, cityId);
    expect(deleted.problems[0]).toMatchObject({ kind: 'BROKEN_CHAIN', position: 7 });
    await knex('audit_log').insert({ ...rows[7] });

    // Reordered: two rows swap contents.
    await knex('audit_log')
      .where({ id: rows[3].id })
      .update({ entry: rows[4].entry, hash: rows[4].hash, prev_hash: rows[4].prev_hash });
    await knex('audit_log')
      .where({ id: rows[4].id })
      .update({ entry: rows[3].entry, hash: rows[3].hash, prev_hash: rows[3].prev_hash });
    const reordered = await audit.verify(auditor, cityId);
    expect(reordered.ok).toBe(false);
    expect(reordered.problems[0].position).toBe(3);
    expect(reordered.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['BROKEN_CHAIN']));
    await knex('audit_log')
      .where({ id: rows[3].id })
      .update({ entry: rows[3].entry, hash: rows[3].hash, prev_hash: rows[3].prev_hash });
    await knex('audit_log')
      .where({ id: rows[4].id })
      .update({ entry: rows[4].entry, hash: rows[4].hash, prev_hash: rows[4].prev_hash });
    expect((await audit.verify(auditor, cityId)).ok).toBe(true);

    // Missing only at the end: indistinguishable from entries not appended yet, so verification
    // appends them again from the history (the same rows, hash for hash) and says so.
    await knex('audit_log')
      .whereIn(
        'id',
        rows.slice(-3).map((r) => r.id),
      )
      .delete();
    expect(await audit.verify(auditor, cityId)).toMatchObject({ ok: true, problems: [], appendedRows: 3 });
    const restored = await knex('audit_log').where({ candidacy_id: c.workflowId }).orderBy('position');
    expect(restored.map((r) => [r.position, r.entry, r.hash])).toEqual(rows.map((r) => [r.position, r.entry, r.hash]));
  });

  it('a rebuilt log equals the live one', async () => {
    const knex = h.acts.knex;
    const live = await knex('audit_log')
      .where({ candidacy_id: c.workflowId })
      .orderBy('position')
      .select('position', 'entry', 'prev_hash', 'hash');
    expect(await audit.rebuild(cityId)).toBe(live.length);
    const rebuilt = await knex('audit_log')
      .where({ candidacy_id: c.workflowId })
      .orderBy('position')
      .select('position', 'entry', 'prev_hash', 'hash');
    expect(rebuilt).toEqual(live);
  });

  it('replay verification passes on the current code and reports the first divergence on changed code', async () => {
    const report = await audit.replay(auditor, cityId);
    expect(report.ok).toBe(true);
    expect(report.replayed.length).toBe(4); // the candidacy and three districts
    const runs = await histories.runs(cityId);
    const changed = await replayRuns(
      runs,
      KudakConfig.fromEnvironment(),
      path.resolve(__dirname, 'fixtures', 'divergent-workflows'),
    );
    expect(changed.ok).toBe(false);
    expect(changed.firstDivergence).toMatchObject({
      workflowId: c.workflowId,
      error: expect.stringMatching(/[Nn]ondetermin/),
    });
  });

  it('the dossier holds the timeline, raw histories and CSVs, and its manifest checksums verify; the read is logged', async () => {
    const dossier = await audit.dossier(auditor, cityId);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-dossier-'));
    const zipFile = path.join(dir, dossier.fileName);
    fs.writeFileSync(zipFile, dossier.zip);
    execFileSync('python3', ['-m', 'zipfile', '-e', zipFile, path.join(dir, 'out')]);
    const out = path.join(dir, 'out');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['timeline.json', 'decisions.csv', 'evaluations.csv']),
    );
    expect(manifest.files.filter((f: { name: string }) => f.name.startsWith('histories/'))).toHaveLength(4);
    const { createHash } = await import('node:crypto');
    for (const f of manifest.files as Array<{ name: string; sha256: string }>) {
      const content = fs.readFileSync(path.join(out, f.name));
      expect({ name: f.name, sha256: createHash('sha256').update(content).digest('hex') }).toEqual({
        name: f.name,
        sha256: f.sha256,
      });
    }
    const csv = fs.readFileSync(path.join(out, 'decisions.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe(
      'at,at_solar_hijri,workflow_id,stage,decision,actor_id,actor_role,actor_organisation,reason,' +
        'district_id,committee_round,vote,outcome,dissenters,recused',
    );
    expect(csv.some((l) => l.includes(actors.ministry.id) && l.includes('MINISTRY_APPROVED'))).toBe(true);
    const raw = JSON.parse(
      fs.readFileSync(
        path.join(out, manifest.files.find((f: { name: string }) => f.name.startsWith('histories/')).name),
        'utf8',
      ),
    );
    expect(raw.events[0].eventType).toMatch(/WORKFLOW_EXECUTION_STARTED|WorkflowExecutionStarted/);
    expect(await new AuditLogRepository(h.acts.knex).reads(c.workflowId)).toContainEqual(
      expect.objectContaining({ what: 'DOSSIER', readerId: 'auditor-1', sha256: dossier.sha256 }),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('replay names the run where a divergence starts when the candidacy has continued as new', async () => {
    const firstRun = (await c.handle.describe()).runId;
    await h.env.sleep('1280 days'); // the renewal cycle opens: the candidacy continues as new
    await c.until((s) => s.cycle === 2, 'renewal cycle');
    const renewalRun = (await c.handle.describe()).runId;
    const runs = await histories.runs(cityId);
    expect(runs.filter((r) => r.workflowId === c.workflowId).map((r) => r.runId)).toEqual([firstRun, renewalRun]);

    const report = await audit.replay(auditor, cityId);
    expect(report.ok).toBe(true);
    expect(report.replayed.map((r) => r.runId)).toEqual(runs.map((r) => r.runId));

    // Code that only a continued run finds changed: the renewal run is the first divergence.
    const changed = await replayRuns(
      runs,
      KudakConfig.fromEnvironment(),
      path.resolve(__dirname, 'fixtures', 'divergent-renewals'),
    );
    expect(changed.replayed.filter((r) => r.workflowId === c.workflowId)).toEqual([
      { workflowId: c.workflowId, runId: firstRun, ok: true, error: undefined },
      expect.objectContaining({ workflowId: c.workflowId, runId: renewalRun, ok: false }),
    ]);
    expect(changed.firstDivergence).toMatchObject({ workflowId: c.workflowId, runId: renewalRun });
  });
});
