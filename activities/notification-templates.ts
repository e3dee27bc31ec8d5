// The words of every notification, in Persian and English. Each template has a subject and an
// opening sentence; the request's params follow as labelled lines, instants (keys ending in "At")
// in both the Gregorian and the Solar Hijri calendar, known codes (stages, tasks...) translated.
import { formatInstant, type NoticeLocale } from '@kudak/calendar';
import {
  CANDIDACY_STAGES,
  NOTIFICATION_TEMPLATES,
  type CandidacyStage,
  type DecisionKind,
  type EvaluationRecord,
  type NotificationParams,
  type NotificationTemplate,
  type Role,
  type TaskKind,
} from '@kudak/contracts';

export interface NoticeInput {
  template: NotificationTemplate;
  locale: NoticeLocale;
  recipientName: string;
  cityName: string;
  stage: CandidacyStage;
  params: Record<string, string | number>;
}

export interface RenderedNotice {
  subject: string;
  body: string;
}

type Words<K extends string> = Record<K, Record<NoticeLocale, string>>;

const STAGES: Words<CandidacyStage> = {
  COMMITMENT: { en: 'Commitment', fa: 'تعهد' },
  DISTRICT_PLANNING: { en: 'District planning', fa: 'برنامه‌ریزی مناطق' },
  ACTION_PLAN: { en: 'Action plan', fa: 'برنامهٔ اقدام' },
  MINISTRY_REVIEW: { en: 'Ministry review', fa: 'بررسی وزارتخانه' },
  CANDIDACY_REVIEW: { en: 'Candidacy review', fa: 'بررسی نامزدی' },
  IMPLEMENTATION: { en: 'Implementation', fa: 'اجرا' },
  FINAL_ASSESSMENT: { en: 'Final assessment', fa: 'ارزیابی نهایی' },
  ACCEDED: { en: 'Member of the network', fa: 'عضویت در شبکه' },
  WITHDRAWN: { en: 'Withdrawn', fa: 'انصراف' },
  SUSPENDED: { en: 'Suspended', fa: 'تعلیق' },
  REJECTED: { en: 'Rejected', fa: 'رد' },
};

const TASKS: Words<TaskKind> = {
  SIGN_MEMORANDUM: { en: 'Sign the memorandum of understanding', fa: 'امضای تفاهم‌نامه' },
  SUBMIT_DISTRICT_PLAN: { en: 'Submit the district plan', fa: 'ارسال برنامهٔ منطقه' },
  REVIEW_DISTRICT_PLAN: { en: 'Review the district plan', fa: 'بررسی برنامهٔ منطقه' },
  SUBMIT_ACTION_PLAN: { en: 'Submit the action plan', fa: 'ارسال برنامهٔ اقدام' },
  REVIEW_ACTION_PLAN: { en: 'Review the action plan', fa: 'بررسی برنامهٔ اقدام' },
  COMMITTEE_VOTE: { en: 'Vote in the steering committee', fa: 'رأی‌دادن در کمیتهٔ راهبری' },
  ENDORSE_CANDIDACY: { en: 'Endorse the candidacy', fa: 'تأیید نامزدی' },
  RECORD_EVALUATION: { en: 'Record the evaluation', fa: 'ثبت ارزیابی' },
  SUBMIT_CORRECTIVE_PLAN: { en: 'Submit the corrective plan', fa: 'ارسال برنامهٔ اصلاحی' },
  RECORD_FINAL_ASSESSMENT: { en: 'Record the final assessment', fa: 'ثبت ارزیابی نهایی' },
  FULFIL_OBLIGATION: { en: 'Fulfil the obligation', fa: 'انجام تعهد' },
  APPEAL_OR_ACCEPT: { en: 'Appeal or accept the decision', fa: 'اعتراض به تصمیم یا پذیرش آن' },
  REINSTATE_OR_WITHDRAW: { en: 'Reinstate or withdraw the candidacy', fa: 'ازسرگیری نامزدی یا انصراف از آن' },
  PREPARE_EVALUATION: { en: 'Prepare the next evaluation', fa: 'آماده‌شدن برای ارزیابی بعدی' },
  PREPARE_RENEWAL: { en: 'Prepare the renewal of membership', fa: 'آماده‌شدن برای تمدید عضویت' },
};

const DECISIONS: Words<DecisionKind> = {
  MOU_SIGNED: { en: 'Memorandum of understanding signed', fa: 'تفاهم‌نامه امضا شد' },
  OBLIGATION_ADDED: { en: 'Obligation added', fa: 'تعهد تازه‌ای افزوده شد' },
  OBLIGATION_FULFILLED: { en: 'Obligation fulfilled', fa: 'تعهد انجام شد' },
  DISTRICT_PLAN_SUBMITTED: { en: 'District plan submitted', fa: 'برنامهٔ منطقه ارسال شد' },
  DISTRICT_PLAN_APPROVED: { en: 'District plan approved', fa: 'برنامهٔ منطقه تأیید شد' },
  DISTRICT_PLAN_RETURNED: { en: 'District plan returned for revision', fa: 'برنامهٔ منطقه برای اصلاح بازگردانده شد' },
  DISTRICT_WAIVED: { en: 'District exempted', fa: 'منطقه معاف شد' },
  ACTION_PLAN_INPUT_RECORDED: { en: 'Input to the action plan recorded', fa: 'دیدگاهی برای برنامهٔ اقدام ثبت شد' },
  ACTION_PLAN_SUBMITTED: { en: 'Action plan submitted', fa: 'برنامهٔ اقدام ارسال شد' },
  MINISTRY_APPROVED: { en: 'Approved by the ministry', fa: 'وزارتخانه تأیید کرد' },
  MINISTRY_RETURNED: { en: 'Returned by the ministry for revision', fa: 'وزارتخانه برای اصلاح بازگرداند' },
  COMMITTEE_VOTE: { en: 'Committee vote cast', fa: 'رأی عضو کمیته ثبت شد' },
  COMMITTEE_RECUSAL: { en: 'Committee member recused', fa: 'عضو کمیته از رأی‌دادن کناره گرفت' },
  COMMITTEE_OUTCOME: { en: 'Steering committee decision', fa: 'تصمیم کمیتهٔ راهبری' },
  UNICEF_ENDORSED: { en: 'Endorsed by UNICEF', fa: 'یونیسف تأیید کرد' },
  UNICEF_DECLINED: { en: 'Declined by UNICEF', fa: 'یونیسف نپذیرفت' },
  EVALUATION_RECORDED: { en: 'Evaluation recorded', fa: 'ارزیابی ثبت شد' },
  CORRECTIVE_PLAN_SUBMITTED: { en: 'Corrective plan submitted', fa: 'برنامهٔ اصلاحی ارسال شد' },
  FINAL_ASSESSMENT_RECORDED: { en: 'Final assessment recorded', fa: 'ارزیابی نهایی ثبت شد' },
  APPEALED: { en: 'Decision appealed', fa: 'به تصمیم اعتراض شد' },
  WITHDRAWN: { en: 'Candidacy withdrawn', fa: 'از نامزدی انصراف داده شد' },
  SUSPENDED: { en: 'Candidacy suspended', fa: 'نامزدی تعلیق شد' },
  REINSTATED: { en: 'Candidacy reinstated', fa: 'نامزدی از سر گرفته شد' },
};

const AWARDS: Words<'CANDIDACY_LOGO' | 'RECOGNITION'> = {
  CANDIDACY_LOGO: { en: 'the Child Friendly City candidate logo', fa: 'نشان نامزدی شهر دوستدار کودک' },
  RECOGNITION: { en: 'recognition as a Child Friendly City', fa: 'عنوان شهر دوستدار کودک' },
};

const EVALUATION_KINDS: Words<EvaluationRecord['kind']> = {
  MONITORING: { en: 'Monitoring evaluation', fa: 'ارزیابی پایش' },
  CORRECTIVE_FOLLOW_UP: { en: 'Follow-up of the corrective plan', fa: 'ارزیابی پیگیری برنامهٔ اصلاحی' },
};

const ROLE_NAMES: Words<Role> = {
  administrator: { en: 'Administrator', fa: 'مدیر' },
  district_submitter: { en: 'District submitter', fa: 'کارشناس منطقه' },
  reviewer: { en: 'Reviewer', fa: 'بررسی‌کننده' },
  committee_member: { en: 'Committee member', fa: 'عضو کمیته' },
  ministry_officer: { en: 'Ministry officer', fa: 'کارشناس وزارتخانه' },
  unicef_officer: { en: 'UNICEF officer', fa: 'کارشناس یونیسف' },
  auditor: { en: 'Auditor', fa: 'بازرس' },
};

/** Every param some template takes (see NotificationParams). */
type ParamName = { [T in NotificationTemplate]: keyof NotificationParams[T] }[NotificationTemplate];

/** Labels of the params: each one a template takes must have one; any other is shown under its own name. */
const PARAM_LABELS: Words<ParamName> & Partial<Words<string>> = {
  taskKind: { en: 'Task', fa: 'کار' },
  taskId: { en: 'Task id', fa: 'شناسهٔ کار' },
  kind: { en: 'Evaluation', fa: 'ارزیابی' },
  decisionKind: { en: 'Decision', fa: 'تصمیم' },
  awardKind: { en: 'Award', fa: 'عنوان' },
  stage: { en: 'Stage', fa: 'مرحله' },
  previousStage: { en: 'Previous stage', fa: 'مرحلهٔ پیشین' },
  role: { en: 'Role', fa: 'نقش' },
  assigneeRole: { en: 'Assigned to', fa: 'مسئول' },
  actorName: { en: 'By', fa: 'از سوی' },
  actorRole: { en: 'Role', fa: 'نقش' },
  actorOrganisation: { en: 'Organisation', fa: 'سازمان' },
  districtId: { en: 'District', fa: 'منطقه' },
  districtName: { en: 'District', fa: 'منطقه' },
  obligationId: { en: 'Obligation', fa: 'تعهد' },
  description: { en: 'Description', fa: 'شرح' },
  party: { en: 'Owed by', fa: 'متعهد' },
  owedTo: { en: 'Owed to', fa: 'طرف تعهد' },
  evaluationId: { en: 'Evaluation', fa: 'ارزیابی' },
  sequence: { en: 'Evaluation no.', fa: 'شمارهٔ ارزیابی' },
  outcome: { en: 'Outcome', fa: 'نتیجه' },
  reason: { en: 'Reason', fa: 'دلیل' },
  cycle: { en: 'Cycle', fa: 'دوره' },
  escalation: { en: 'Escalation no.', fa: 'نوبت پیگیری' },
  reminder: { en: 'Reminder no.', fa: 'نوبت یادآوری' },
  openedAt: { en: 'Opened', fa: 'تاریخ آغاز' },
  dueAt: { en: 'Due', fa: 'مهلت' },
  decidedAt: { en: 'Decided', fa: 'تاریخ تصمیم' },
  awardedAt: { en: 'Awarded', fa: 'تاریخ اعطا' },
  expiresAt: { en: 'Valid until', fa: 'اعتبار تا' },
  closedAt: { en: 'Closed', fa: 'تاریخ پایان' },
  appealDeadlineAt: { en: 'Appeal by', fa: 'مهلت اعتراض' },
  activity: { en: 'Activity', fa: 'فعالیت' },
  subject: { en: 'Concerning', fa: 'دربارهٔ' },
  failureType: { en: 'Failure', fa: 'نوع خطا' },
  message: { en: 'Message', fa: 'پیام' },
  failedAt: { en: 'Failed', fa: 'زمان خطا' },
};

/** Params whose value is a code, translated through these words when known. */
const CODE_PARAMS: Record<string, Words<string>> = {
  taskKind: TASKS,
  decisionKind: DECISIONS,
  awardKind: AWARDS,
  kind: EVALUATION_KINDS,
  stage: STAGES,
  previousStage: STAGES,
  role: ROLE_NAMES,
  assigneeRole: ROLE_NAMES,
  actorRole: ROLE_NAMES,
  // A failed side effect's subject: the decision, award or evaluation it was for.
  subject: { ...DECISIONS, ...AWARDS, ...EVALUATION_KINDS },
};

interface TemplateText {
  subject: string;
  lead: string;
  /** Params already said in the subject or lead, not listed again. */
  uses?: string[];
}

/** Named pieces a template may use, already in the recipient's language. */
interface Pieces {
  city: string;
  stage: string;
  task: string;
  /** Undefined when the request names no decision kind. */
  decision?: string;
  award: string;
}

// A task is named in the text; its id is the workflow's bookkeeping, not for people.
const TASK_NAMED = ['taskKind', 'taskId'];

const TEMPLATES: Record<NotificationTemplate, Record<NoticeLocale, (p: Pieces) => TemplateText>> = {
  STAGE_OPENED: {
    en: (p) => ({
      subject: `${p.city}: the ${p.stage} stage has opened`,
      lead: `The candidacy of ${p.city} for UNICEF's Child Friendly Cities Initiative has entered the ${p.stage} stage.`,
    }),
    fa: (p) => ({
      subject: `${p.city}: مرحلهٔ «${p.stage}» آغاز شد`,
      lead: `نامزدی ${p.city} در طرح شهرهای دوستدار کودک یونیسف وارد مرحلهٔ «${p.stage}» شد.`,
    }),
  },
  TASK_ASSIGNED: {
    en: (p) => ({
      subject: `New task for ${p.city}: ${p.task}`,
      lead: `"${p.task}" is now yours in the ${p.stage} stage of ${p.city}'s candidacy.`,
      uses: TASK_NAMED,
    }),
    fa: (p) => ({
      subject: `کار تازه در ${p.city}: ${p.task}`,
      lead: `«${p.task}» در مرحلهٔ «${p.stage}» نامزدی ${p.city} به شما سپرده شد.`,
      uses: TASK_NAMED,
    }),
  },
  TASK_REMINDER: {
    en: (p) => ({
      subject: `Reminder for ${p.city}: ${p.task}`,
      lead: `A reminder that "${p.task}" is waiting for you in the ${p.stage} stage of ${p.city}'s candidacy.`,
      uses: TASK_NAMED,
    }),
    fa: (p) => ({
      subject: `یادآوری برای ${p.city}: ${p.task}`,
      lead: `یادآوری می‌کنیم که «${p.task}» در مرحلهٔ «${p.stage}» نامزدی ${p.city} در انتظار اقدام شماست.`,
      uses: TASK_NAMED,
    }),
  },
  TASK_ESCALATION: {
    en: (p) => ({
      subject: `Overdue in ${p.city}: ${p.task}`,
      lead: `"${p.task}" in the ${p.stage} stage of ${p.city}'s candidacy is past its deadline and has been escalated to you.`,
      uses: TASK_NAMED,
    }),
    fa: (p) => ({
      subject: `تأخیر در ${p.city}: ${p.task}`,
      lead: `مهلت «${p.task}» در مرحلهٔ «${p.stage}» نامزدی ${p.city} گذشته است و برای پیگیری به شما ارجاع شده است.`,
      uses: TASK_NAMED,
    }),
  },
  DECISION_RECORDED: {
    en: (p) => ({
      subject: `${p.city}: ${p.decision ?? 'a decision has been recorded'}`,
      lead: `A decision has been recorded in the ${p.stage} stage of ${p.city}'s candidacy${p.decision ? `: ${p.decision}` : ''}.`,
      uses: ['decisionKind'],
    }),
    fa: (p) => ({
      subject: `${p.city}: ${p.decision ?? 'تصمیمی ثبت شد'}`,
      lead: `در مرحلهٔ «${p.stage}» نامزدی ${p.city} تصمیمی ثبت شد${p.decision ? `: ${p.decision}` : ''}.`,
      uses: ['decisionKind'],
    }),
  },
  OBLIGATION_OVERDUE: {
    en: (p) => ({
      subject: `Overdue obligation in ${p.city}`,
      lead: `An obligation of ${p.city}'s candidacy is past its due date and needs your attention.`,
    }),
    fa: (p) => ({
      subject: `تعهد معوق در ${p.city}`,
      lead: `مهلت انجام یکی از تعهدات نامزدی ${p.city} گذشته است و به پیگیری شما نیاز دارد.`,
    }),
  },
  EVALUATION_UNSATISFACTORY: {
    en: (p) => ({
      subject: `${p.city}: evaluation found unsatisfactory`,
      lead: `A monitoring evaluation of ${p.city} found the results unsatisfactory. A corrective plan is now required.`,
    }),
    fa: (p) => ({
      subject: `${p.city}: نتیجهٔ ارزیابی قابل‌قبول نبود`,
      lead: `در ارزیابی پایش ${p.city} نتایج قابل‌قبول نبود. اکنون ارائهٔ برنامهٔ اصلاحی لازم است.`,
    }),
  },
  AWARD_GRANTED: {
    en: (p) => ({
      subject: `${p.city} has been awarded ${p.award}`,
      lead: `Congratulations: ${p.city} has been awarded ${p.award} by UNICEF's Child Friendly Cities Initiative.`,
      uses: ['awardKind'],
    }),
    fa: (p) => ({
      subject: `${p.award} به ${p.city} اعطا شد`,
      lead: `تبریک! ${p.award} از سوی طرح شهرهای دوستدار کودک یونیسف به ${p.city} اعطا شد.`,
      uses: ['awardKind'],
    }),
  },
  CANDIDACY_CLOSED: {
    en: (p) => ({
      subject: `${p.city}: candidacy closed (${p.stage})`,
      lead: `The candidacy of ${p.city} has closed with the outcome: ${p.stage}.`,
    }),
    fa: (p) => ({
      subject: `${p.city}: پروندهٔ نامزدی بسته شد (${p.stage})`,
      lead: `پروندهٔ نامزدی ${p.city} با وضعیت «${p.stage}» بسته شد.`,
    }),
  },
  SIDE_EFFECT_FAILED: {
    en: (p) => ({
      subject: `${p.city}: a record or notice could not be completed`,
      lead: `Kudak could not complete a record or a notification of ${p.city}'s candidacy, and will not retry it. The decision itself stands in the candidacy's history; please check the details below.`,
    }),
    fa: (p) => ({
      subject: `${p.city}: ثبت یا اطلاع‌رسانی انجام نشد`,
      lead: `کودک نتوانست یکی از ثبت‌ها یا اطلاع‌رسانی‌های نامزدی ${p.city} را انجام دهد و دوباره تلاش نخواهد کرد. خود تصمیم در تاریخچهٔ نامزدی ثبت شده است؛ لطفاً جزئیات زیر را بررسی کنید.`,
    }),
  },
};

const FRAME: Record<NoticeLocale, { greeting: (name: string) => string; signature: string }> = {
  en: { greeting: (name) => `Dear ${name},`, signature: 'Kudak, for the Child Friendly Cities Initiative' },
  fa: { greeting: (name) => `${name} گرامی،`, signature: 'کودک، سامانهٔ طرح شهرهای دوستدار کودک' },
};

/** When the request leaves out the task or the award, the text still reads as a sentence. */
const FALLBACK: Record<'task' | 'award', Record<NoticeLocale, string>> = {
  task: { en: 'your task', fa: 'کار شما' },
  award: { en: 'a Child Friendly Cities award', fa: 'عنوانی از طرح شهرهای دوستدار کودک' },
};

function translate(words: Words<string>, code: string | number | undefined, locale: NoticeLocale): string | undefined {
  if (code === undefined) return undefined;
  return Object.hasOwn(words, code) ? words[String(code)][locale] : String(code);
}

/** A param's value as the recipient reads it: instants in both calendars, codes translated, numbers localised. */
export function formatParam(name: string, value: string | number, locale: NoticeLocale): string {
  if (name.endsWith('At')) return formatInstant(String(value), locale);
  if (Object.hasOwn(CODE_PARAMS, name)) return translate(CODE_PARAMS[name], value, locale)!;
  if (typeof value === 'number') return new Intl.NumberFormat(locale === 'fa' ? 'fa-IR' : 'en-GB').format(value);
  return value;
}

/** Subject and plain-text body of one notification for one recipient. */
export function renderNotice(input: NoticeInput): RenderedNotice {
  const { template, locale, params } = input;
  if (!NOTIFICATION_TEMPLATES.includes(template)) {
    throw new RangeError(`Unknown notification template ${JSON.stringify(template)}`);
  }
  if (locale !== 'fa' && locale !== 'en') {
    throw new RangeError(`locale must be "fa" or "en", got ${JSON.stringify(locale)}`);
  }
  if (!CANDIDACY_STAGES.includes(input.stage)) {
    throw new RangeError(`Unknown candidacy stage ${JSON.stringify(input.stage)}`);
  }
  const text = TEMPLATES[template][locale]({
    city: input.cityName,
    stage: STAGES[input.stage][locale],
    task: translate(TASKS, params.taskKind, locale) ?? FALLBACK.task[locale],
    decision: translate(DECISIONS, params.decisionKind, locale),
    award: translate(AWARDS, params.awardKind, locale) ?? FALLBACK.award[locale],
  });
  const used = new Set(text.uses ?? []);
  const details = Object.entries(params)
    .filter(([name]) => !used.has(name))
    .map(([name, value]) => `${PARAM_LABELS[name]?.[locale] ?? name}: ${formatParam(name, value, locale)}`);
  const frame = FRAME[locale];
  const paragraphs = [frame.greeting(input.recipientName), text.lead, details.join('\n'), frame.signature];
  return { subject: text.subject, body: paragraphs.filter((p) => p !== '').join('\n\n') + '\n' };
}
