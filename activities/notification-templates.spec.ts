import { NOTIFICATION_TEMPLATES, type NotificationParams, type NotificationTemplate } from '@kudak/contracts';
import { formatParam, renderNotice, type NoticeInput } from './notification-templates';

const base: Omit<NoticeInput, 'template' | 'locale'> = {
  recipientName: 'Name',
  cityName: 'شیراز',
  stage: 'IMPLEMENTATION',
  params: {
    taskKind: 'RECORD_EVALUATION',
    decisionKind: 'COMMITTEE_OUTCOME',
    awardKind: 'CANDIDACY_LOGO',
    dueAt: '2026-11-28T12:00:00Z',
  },
};

describe('renderNotice', () => {
  it.each(NOTIFICATION_TEMPLATES.flatMap((t) => [[t, 'fa'] as const, [t, 'en'] as const]))(
    'words %s in %s',
    (template, locale) => {
      const recipientName = locale === 'fa' ? 'سارا' : 'Name';
      const { subject, body } = renderNotice({ ...base, recipientName, template, locale });
      expect(subject).toContain('شیراز');
      expect(body).toContain('شیراز');
      // No code leaks through untranslated.
      expect(`${subject}\n${body}`).not.toMatch(/[A-Z]{2,}_[A-Z_]+/);
      if (locale === 'fa') {
        expect(body).toContain('۱۴۰۵/۰۹/۰۷');
        // Persian text: no Latin words besides the time zone's name.
        expect(`${subject}\n${body}`.replace(/UTC/g, '')).not.toMatch(/[A-Za-z]/);
      } else {
        expect(body).toContain('28 November 2026 (7 Azar 1405 SH)');
        expect(body).toMatch(/^Dear Name,\n\n/);
      }
    },
  );

  it('lists every param, unknown ones under their own name, without repeating the subject', () => {
    const { subject, body } = renderNotice({
      ...base,
      template: 'TASK_ESCALATION',
      locale: 'en',
      params: { taskKind: 'SUBMIT_ACTION_PLAN', dueAt: '2026-01-01T00:00:00Z', escalation: 2, ticket: 'T-9' },
    });
    expect(subject).toBe('Overdue in شیراز: Submit the action plan');
    expect(body).toBe(
      [
        'Dear Name,',
        '"Submit the action plan" in the Implementation stage of شیراز\'s candidacy is past its deadline and has been escalated to you.',
        'Due: 1 January 2026 (11 Dey 1404 SH), 00:00 UTC\nEscalation no.: 2\nticket: T-9',
        'Kudak, for the Child Friendly Cities Initiative',
      ].join('\n\n') + '\n',
    );
  });

  it('falls back to general words when the template param is missing', () => {
    expect(renderNotice({ ...base, template: 'DECISION_RECORDED', locale: 'fa', params: {} })).toEqual({
      subject: 'شیراز: تصمیمی ثبت شد',
      body: 'Name گرامی،\n\nدر مرحلهٔ «اجرا» نامزدی شیراز تصمیمی ثبت شد.\n\nکودک، سامانهٔ طرح شهرهای دوستدار کودک\n',
    });
    expect(renderNotice({ ...base, template: 'AWARD_GRANTED', locale: 'en', params: {} }).subject).toBe(
      'شیراز has been awarded a Child Friendly Cities award',
    );
  });

  it('refuses an unknown template, locale or stage', () => {
    expect(() => renderNotice({ ...base, template: 'HELLO' as never, locale: 'en' })).toThrow(
      'Unknown notification template "HELLO"',
    );
    expect(() => renderNotice({ ...base, template: 'STAGE_OPENED', locale: 'de' as never })).toThrow(
      'locale must be "fa" or "en", got "de"',
    );
    expect(() => renderNotice({ ...base, stage: 'PAUSED' as never, template: 'STAGE_OPENED', locale: 'en' })).toThrow(
      'Unknown candidacy stage "PAUSED"',
    );
  });
});

/** Each template's params as the workflows send them (typed: a key a template does not read fails to compile). */
const SENT: { [T in NotificationTemplate]: NotificationParams[T] } = {
  STAGE_OPENED: { stage: 'ACTION_PLAN', cycle: 1 },
  TASK_ASSIGNED: {
    taskKind: 'FULFIL_OBLIGATION',
    taskId: 'fulfil_obligation-1',
    dueAt: '2026-11-28T12:00:00Z',
    obligationId: 'unicef-funding',
  },
  TASK_REMINDER: { taskKind: 'SUBMIT_DISTRICT_PLAN', taskId: 'submit_district_plan-1', dueAt: '2026-11-28T12:00:00Z' },
  TASK_ESCALATION: {
    taskKind: 'SUBMIT_DISTRICT_PLAN',
    taskId: 'submit_district_plan-1',
    dueAt: '2026-11-28T12:00:00Z',
    districtId: 'district-4',
    escalation: 1,
  },
  DECISION_RECORDED: {
    decisionKind: 'DISTRICT_PLAN_RETURNED',
    reason: 'بودجه روشن نیست',
    previousStage: 'DISTRICT_PLANNING',
    districtId: 'district-4',
    dueAt: '2026-11-28T12:00:00Z',
  },
  OBLIGATION_OVERDUE: {
    obligationId: 'unicef-funding',
    party: 'یونیسف',
    owedTo: 'شهرداری شیراز',
    description: 'بودجهٔ ویژه',
    dueAt: '2026-11-28T12:00:00Z',
  },
  EVALUATION_UNSATISFACTORY: { sequence: 2, kind: 'CORRECTIVE_FOLLOW_UP', reason: 'نتایج ناکافی' },
  AWARD_GRANTED: { awardKind: 'RECOGNITION', awardedAt: '2026-11-28T12:00:00Z', expiresAt: '2030-11-28T12:00:00Z' },
  CANDIDACY_CLOSED: { stage: 'WITHDRAWN', closedAt: '2026-11-28T12:00:00Z' },
  SIDE_EFFECT_FAILED: {
    activity: 'recordDecision',
    subject: 'DISTRICT_PLAN_RETURNED',
    failureType: 'InvalidActivityInput',
    message: 'decision.reason must be a non-empty string',
    failedAt: '2026-11-28T12:00:00Z',
  },
};

/** Technical details an administrator's alert quotes as the system gave them (not translated). */
const QUOTED: Partial<Record<NotificationTemplate, string[]>> = {
  SIDE_EFFECT_FAILED: ['activity', 'failureType', 'message'],
};

describe('renderNotice of what the workflows send', () => {
  it.each(NOTIFICATION_TEMPLATES.flatMap((t) => [[t, 'fa'] as const, [t, 'en'] as const]))(
    'labels and translates every param of %s in %s',
    (template, locale) => {
      const recipientName = locale === 'fa' ? 'سارا' : 'Name';
      const params = SENT[template];
      const { subject, body } = renderNotice({ ...base, recipientName, template, locale, params });
      const text = `${subject}\n${body}`;
      const codes = Object.values(params).filter((v) => typeof v === 'string' && /^[A-Z][A-Z_]+$/.test(v));
      for (const code of codes) expect(text).not.toContain(String(code));
      for (const name of Object.keys(params)) expect(text).not.toContain(`\n${name}: `); // each one labelled
      const quoted = (QUOTED[template] ?? []).map((name) => String(params[name as keyof typeof params]));
      const translated = quoted.reduce((t, value) => t.replaceAll(value, ''), text);
      if (locale === 'fa') expect(translated.replace(/UTC|district-4|unicef-funding/g, '')).not.toMatch(/[A-Za-z]/);
    },
  );

  it('names the award the workflow grants, in both languages', () => {
    const logo = { awardKind: 'CANDIDACY_LOGO', awardedAt: '2026-11-28T12:00:00Z' } as const;
    expect(renderNotice({ ...base, template: 'AWARD_GRANTED', locale: 'en', params: logo }).subject).toBe(
      'شیراز has been awarded the Child Friendly City candidate logo',
    );
    expect(renderNotice({ ...base, template: 'AWARD_GRANTED', locale: 'fa', params: logo }).subject).toBe(
      'نشان نامزدی شهر دوستدار کودک به شیراز اعطا شد',
    );
    // @ts-expect-error the template reads awardKind: the key the workflow once sent does not compile
    const wrongKey: NotificationParams['AWARD_GRANTED'] = { award: 'CANDIDACY_LOGO', awardedAt: logo.awardedAt };
    expect(wrongKey).toBeDefined();
  });
});

describe('a new task', () => {
  it('is named with its deadline, in the Persian calendar first in Persian', () => {
    const task = { taskKind: 'REVIEW_DISTRICT_PLAN', taskId: 'review_district_plan-2' } as const;
    const due = { ...task, dueAt: '2026-11-28T12:00:00Z', districtId: 'district-7' };
    expect(renderNotice({ ...base, template: 'TASK_ASSIGNED', locale: 'en', params: due })).toEqual({
      subject: 'New task for شیراز: Review the district plan',
      body:
        [
          'Dear Name,',
          '"Review the district plan" is now yours in the Implementation stage of شیراز\'s candidacy.',
          'Due: 28 November 2026 (7 Azar 1405 SH), 12:00 UTC\nDistrict: district-7',
          'Kudak, for the Child Friendly Cities Initiative',
        ].join('\n\n') + '\n',
    });
    const persian = renderNotice({ ...base, template: 'TASK_ASSIGNED', locale: 'fa', params: due });
    expect(persian.subject).toBe('کار تازه در شیراز: بررسی برنامهٔ منطقه');
    expect(persian.body).toContain('«بررسی برنامهٔ منطقه» در مرحلهٔ «اجرا» نامزدی شیراز به شما سپرده شد.');
    expect(persian.body).toMatch(/مهلت: ۱۴۰۵\/۰۹\/۰۷/);
    // A task without a deadline says none.
    expect(renderNotice({ ...base, template: 'TASK_ASSIGNED', locale: 'en', params: task }).body).not.toContain('Due');
  });
});

describe('formatParam', () => {
  it('translates codes, localises numbers and keeps free text', () => {
    expect(formatParam('stage', 'MINISTRY_REVIEW', 'fa')).toBe('بررسی وزارتخانه');
    expect(formatParam('assigneeRole', 'committee_member', 'en')).toBe('Committee member');
    expect(formatParam('taskKind', 'SOMETHING_NEW', 'en')).toBe('SOMETHING_NEW');
    expect(formatParam('sequence', 12, 'fa')).toBe('۱۲');
    expect(formatParam('reason', 'Budget missing', 'fa')).toBe('Budget missing');
  });

  it('names a param ending in At that is not an instant', () => {
    expect(() => formatParam('dueAt', 'soon', 'en')).toThrow('must be an ISO-8601 instant');
  });
});
