// Benchmark: building the auditors' timeline and evidence dossier of one full Isfahan-sized
// lifecycle (15 districts, 18 months, time-skipped), against fetching the raw histories alone, in
// the same run. Run with `npm run bench:audit`. Goal: under 2x the raw fetch.
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

const ROUNDS = 5;
const auditor: Identity = { sub: 'bench', role: 'auditor', organisation: 'Bench', country: 'IR', cities: ['*'] };

async function median(label: string, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const m = times[Math.floor(ROUNDS / 2)];
  console.log(`${label.padEnd(44)} ${m.toFixed(1).padStart(8)} ms (median of ${ROUNDS})`);
  return m;
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

    const histories = new CandidacyHistoryService(h.env.client);
    const access = new CandidacyAccessService(h.env.client);
    const config = KudakConfig.fromEnvironment();
    const audit = new AuditService(
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
    const runs = await histories.runs('isfahan-audit');
    const events = runs.reduce((n, r) => n + r.events.length, 0);
    console.log(
      `\nAudit benchmark: ${runs.length} histories, ${events} events (Isfahan, 15 districts, full lifecycle)\n`,
    );
    const raw = await median('raw history fetch (all runs and districts)', () => histories.runs('isfahan-audit'));
    const timeline = await median('timeline (fetch + build + audit log sync)', () =>
      audit.timeline(auditor, 'isfahan-audit', 0, 100),
    );
    const dossier = await median('dossier (fetch + timeline + CSV + zip + log)', () =>
      audit.dossier(auditor, 'isfahan-audit'),
    );
    console.log(
      `\nratio timeline/raw fetch: ${(timeline / raw).toFixed(2)}x (goal < 2x: ${timeline / raw < 2 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `ratio dossier/raw fetch:  ${(dossier / raw).toFixed(2)}x (goal < 2x: ${dossier / raw < 2 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await h.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
