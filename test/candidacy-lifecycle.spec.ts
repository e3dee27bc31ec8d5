import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  fulfilObligationUpdate,
  getDistrictPlanStateQuery,
  withdrawCandidacyUpdate,
  type CandidacyState,
} from '@kudak/contracts';
import { actors, CandidacyDriver, cityInput, UNICEF_FUNDING } from './support/candidacy-fixtures';
import {
  evaluateAfter,
  finalAssessmentPasses,
  prepareActionPlan,
  submitActionPlan,
  ministryApproves,
  toImplementation,
} from './support/candidacy-steps';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { startLifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';

// The full road of a 15-district city, on the real time-skipping server, with the real activities
// writing to a real SQLite database and sending e-mail to a real SMTP server on loopback.
describe('candidacy lifecycle: Isfahan, 15 districts, default calendar', () => {
  let h: LifecycleHarness;
  let env: TestWorkflowEnvironment;
  let smtp: SmtpSink;
  const districtIds = Array.from({ length: 15 }, (_, i) => `d${i + 1}`);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startLifecycleHarness({ smtpUrl: smtp.url });
    env = h.env;
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('runs from commitment to accession: 18 months, three evaluations, logo and recognition', async () => {
    const input = cityInput({
      cityId: 'isfahan',
      email: (id) => (id === actors.admin.id || id === actors.unicef.id ? `${id}@kudak.test` : undefined),
      obligations: [UNICEF_FUNDING],
    });
    const c = await CandidacyDriver.start(env.client, h.taskQueue, input);
    const started = await c.state();
    expect(started.policy).toMatchObject({ programmeMonths: 18, evaluationIntervalMonths: 6, actionPlanMonths: 1 });

    // UNICEF's funding gates the implementation stage: pay it now, as the obligations ledger records.
    await c.update(fulfilObligationUpdate, {
      actor: actors.unicef,
      obligationId: 'unicef-funding',
      evidence: 'Transfer 2026/114',
    });

    await toImplementation(c, districtIds);
    const atImplementation = await c.state();
    expect(atImplementation.districts.every((d) => d.status === 'APPROVED')).toBe(true);
    expect(atImplementation.awards).toEqual([expect.objectContaining({ kind: 'CANDIDACY_LOGO', cycle: 1 })]);
    expect(atImplementation.programme).toMatchObject({ evaluationsPlanned: 3, evaluationsDone: 0 });

    // The logo's notice, as the workflow sent it through the real notify activity, names the award
    // in each reader's language (the workflow once sent a key the template does not read).
    await h.acts.settled();
    const logoNotices: Array<{ recipient_id: string; locale: string; country: string; subject: string; body: string }> =
      await h.acts
        .knex('notifications')
        .where({ workflow_id: c.workflowId, template: 'AWARD_GRANTED' })
        .orderBy('recipient_id');
    expect(logoNotices.map((n) => [n.recipient_id, n.locale])).toEqual([
      ['focal-point', 'fa'],
      ['moi-officer', 'fa'],
      ['unicef-officer', 'en'],
    ]);
    const [persian, , english] = logoNotices;
    expect(persian.subject).toBe('نشان نامزدی شهر دوستدار کودک به Isfahan اعطا شد');
    expect(persian.body).toContain(
      'تبریک! نشان نامزدی شهر دوستدار کودک از سوی طرح شهرهای دوستدار کودک یونیسف به Isfahan اعطا شد.',
    );
    expect(persian.body).toMatch(/تاریخ اعطا: ۱۴[۰-۹]{2}\/[۰-۹]{2}\/[۰-۹]{2} \(/);
    expect(english.subject).toBe('Isfahan has been awarded the Child Friendly City candidate logo');
    expect(english.body).toMatch(/Awarded: \d{1,2} [A-Z][a-z]+ 20\d\d \(\d{1,2} [A-Z][a-z]+ 14\d\d SH\)/);
    for (const notice of logoNotices) expect(notice.body).not.toMatch(/CANDIDACY_LOGO|award:/);
    // Each row carries the candidacy's country: an inbox reads only its token's country.
    expect(logoNotices.map((n) => n.country)).toEqual(['IR', 'IR', 'IR']);

    for (const months of [6, 6, 6]) await evaluateAfter(env, c, months);
    await c.stage('FINAL_ASSESSMENT');
    await finalAssessmentPasses(c);
    const acceded: CandidacyState = await c.stage('ACCEDED');

    expect(acceded.evaluations.map((e) => [e.sequence, e.satisfactory])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    const recognition = acceded.awards.find((a) => a.kind === 'RECOGNITION')!;
    expect(new Date(recognition.expiresAt!).getUTCFullYear() - new Date(recognition.awardedAt).getUTCFullYear()).toBe(
      4,
    );
    expect(acceded.obligations[0]).toMatchObject({ status: 'FULFILLED', fulfilledBy: actors.unicef });

    // Every decision is attributable: who (id, role, organisation), when, at which stage.
    const kinds = acceded.decisions.map((d) => d.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'MOU_SIGNED',
        'ACTION_PLAN_SUBMITTED',
        'MINISTRY_APPROVED',
        'COMMITTEE_OUTCOME',
        'UNICEF_ENDORSED',
        'EVALUATION_RECORDED',
        'FINAL_ASSESSMENT_RECORDED',
      ]),
    );
    for (const d of acceded.decisions) {
      expect(d.actor).toEqual(expect.objectContaining({ id: expect.any(String), role: expect.any(String) }));
      expect(Date.parse(d.at)).not.toBeNaN();
    }
    expect(acceded.decisions.find((d) => d.kind === 'MINISTRY_APPROVED')?.actor).toEqual(actors.ministry);

    // District decisions live in the district workflows, with their reviewers.
    const d7 = await c.district('d7').query(getDistrictPlanStateQuery);
    expect(d7.decisions.map((d) => [d.kind, d.actor.id])).toEqual([
      ['DISTRICT_PLAN_SUBMITTED', 'mayor-d7'],
      ['DISTRICT_PLAN_APPROVED', 'plan-reviewer'],
    ]);

    // The records reached the database; the awards too.
    const db = h.acts.knex;
    await h.acts.settled();
    const awards = await db('awards').where({ workflow_id: c.workflowId }).orderBy('awarded_at');
    expect(awards.map((a: { kind: string }) => a.kind)).toEqual(['CANDIDACY_LOGO', 'RECOGNITION']);
    const decisions = await db('decisions').where({ workflow_id: c.workflowId });
    expect(decisions.length).toBe(acceded.decisions.length);
    expect(await db('evaluations').where({ workflow_id: c.workflowId })).toHaveLength(3);

    // E-mail went out over real SMTP to the contacts that have an address.
    const recipients = new Set(smtp.received.flatMap((m) => m.to));
    expect(recipients).toEqual(new Set(['focal-point@kudak.test', 'unicef-officer@kudak.test']));
    expect(smtp.received.some((m) => /Solar Hijri|۱۴۰/.test(m.text))).toBe(true);

    // No history grows past its budget.
    expect(await c.historyLength()).toBeLessThan(5000);
    expect(await c.historyLength(c.district('d1'))).toBeLessThan(5000);
  });

  it('renews: at the end of recognition the same candidacy continues as new into a renewal cycle', async () => {
    const c = new CandidacyDriver(env.client, 'isfahan');
    const before = await c.state();
    expect(before.stage).toBe('ACCEDED');
    const firstRun = (await c.handle.describe()).runId;

    // Recognition lasts 4 years; the renewal opens 6 months before it expires.
    await env.sleep('1280 days');
    const renewed = await c.until((s) => s.cycle === 2, 'renewal cycle');
    expect(renewed.stage).toBe('ACTION_PLAN');
    expect((await c.handle.describe()).runId).not.toBe(firstRun);
    expect(renewed.awards.map((a) => a.kind)).toEqual(['CANDIDACY_LOGO', 'RECOGNITION']);
    expect(renewed.decisions).toEqual([]);
    expect(renewed.policy).toEqual(before.policy);

    // The renewal cycle skips the candidacy decision: Ministry approval leads to implementation.
    await prepareActionPlan(c);
    await submitActionPlan(c);
    await ministryApproves(c);
    await c.stage('IMPLEMENTATION');
    expect((await c.state()).programme).toMatchObject({ evaluationsDone: 0, evaluationsPlanned: 3 });
    await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'test finished' });
    expect(((await c.handle.result()) as CandidacyState).stage).toBe('WITHDRAWN');
  });
});
