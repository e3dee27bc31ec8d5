// Benchmark: building the auditors' timeline and evidence dossier of one full Isfahan-sized
// lifecycle (15 districts, 18 months, time-skipped), against fetching the raw histories alone, in
// the same run. Run with `npm run bench:audit`. Goal: under 2x the raw fetch.
import '../test/support/quiet-temporal-runtime';
import { KudakConfig } from '@kudak/config';
import { AuditLogRepository, DocumentsRepository } from '@kudak/database';
import { AuditService } from '../apps/api/audit/audit.service';
import { CandidacyHistoryService } from '../apps/api/audit/candidacy-history.service';
import type { Identity } from '../apps/api/auth/identity';
import { CandidacyAccessService } from '../apps/api/candidacies/candidacy-access.service';
import { createDocumentContentStore } from '../apps/api/documents/document-content-store';
import { DocumentsService } from '../apps/api/documents/documents.service';
import { actors, CandidacyDriver, cityInput, UNICEF_FUNDING } from '../test/support/candidacy-fixtures';
import { evaluateAfter, finalAssessmentPasses, toImplementation } from '../test/support/candidacy-steps';
import { startLifecycleHarness } from '../test/support/lifecycle-harness';
import { fulfilObligationUpdate } from '@kudak/contracts';

const ROUNDS = 9;
const auditor: Identity = { sub: 'bench', role: 'auditor', organisation: 'Bench', country: 'IR', cities: ['*'] };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(fn: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const h = await startLifecycleHarness();
  try {
    const districts = Array.from({ length: 15 }, (_, i) => `d${i + 1}`);
    const c = await CandidacyDriver.start(
      h.env.client,
      h.taskQueue,
      cityInput({ cityId: 'isfahan-audit', obligations: [UNICEF_FUNDING] }),
    );
    await c.update(fulfilObligationUpdate, { actor: actors.unicef, obligationId: 'unicef-funding', evidence: 'paid' });
    await toImplementation(c, districts);
    for (let i = 0; i < 3; i++) await evaluateAfter(h.env, c, 6);
    await finalAssessmentPasses(c);
    await c.stage('ACCEDED');
    await h.acts.settled();

    const config = KudakConfig.fromEnvironment();
    const access = new CandidacyAccessService(h.env.client);
    const documents = new DocumentsService(
      access,
      new DocumentsRepository(h.acts.knex),
      createDocumentContentStore(config, h.acts.knex),
    );
    const auditWith = (histories: CandidacyHistoryService) =>
      new AuditService(access, histories, new AuditLogRepository(h.acts.knex), config, documents);
    const histories = new CandidacyHistoryService(h.env.client);
    const audit = auditWith(histories);
    const runs = await histories.runs('isfahan-audit');
    const events = runs.reduce((n, r) => n + r.events.length, 0);
    console.log(
      `\nAudit benchmark: ${runs.length} histories, ${events} events (Isfahan, 15 districts, full lifecycle)\n`,
    );
    // Interleaved: each round times the raw fetch, the timeline and the dossier back to back, so a
    // change in the machine's load falls on all three; the ratios are the medians of each round's.
    const rounds: Array<{ raw: number; timeline: number; dossier: number; firstDossier: number }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push({
        raw: await timed(() => histories.runs('isfahan-audit')),
        timeline: await timed(() => audit.timeline(auditor, 'isfahan-audit', 0, 100)),
        dossier: await timed(() => audit.dossier(auditor, 'isfahan-audit')),
        // As a just-started API builds it: every history turned into JSON, none kept from before.
        firstDossier: await timed(() =>
          auditWith(new CandidacyHistoryService(h.env.client)).dossier(auditor, 'isfahan-audit'),
        ),
      });
    }
    const line = (label: string, ms: number) => console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
    line('raw history fetch (all runs and districts)', median(rounds.map((r) => r.raw)));
    line('timeline (fetch + build + audit log sync)', median(rounds.map((r) => r.timeline)));
    line('dossier (fetch + timeline + CSV + zip + log)', median(rounds.map((r) => r.dossier)));
    line('first dossier of an API (no JSON kept yet)', median(rounds.map((r) => r.firstDossier)));
    const timelineRatio = median(rounds.map((r) => r.timeline / r.raw));
    const dossierRatio = median(rounds.map((r) => r.dossier / r.raw));
    const firstDossierRatio = median(rounds.map((r) => r.firstDossier / r.raw));
    console.log(`(medians of ${ROUNDS} interleaved rounds)`);
    console.log(
      `\nratio timeline/raw fetch: ${timelineRatio.toFixed(2)}x (goal < 2x: ${timelineRatio < 2 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `ratio dossier/raw fetch:  ${dossierRatio.toFixed(2)}x (goal < 2x: ${dossierRatio < 2 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `ratio first dossier of an API/raw fetch: ${firstDossierRatio.toFixed(2)}x (the histories' JSON is made, not reused)`,
    );
  } finally {
    await h.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
