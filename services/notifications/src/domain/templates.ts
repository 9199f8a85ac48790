import type { DecisionKind, PilotType } from '@s3p/contracts';
import type { FactsByKind, NotificationKind, OnPilot, TaskKind } from './notification-rules';
import type { Language } from './preferences';

/** How a reader reads: their language and their time zone. */
export interface Locale {
  language: Language;
  timeZone: string;
}

/** A message in a reader's words: what the inbox shows, and the mail in plain text and HTML. */
export interface RenderedNotification {
  subject: string;
  /** The message without its link and footer: the inbox's body. */
  summary: string;
  text: string;
  html: string;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

/** The helpers a phrase writes values with, in the reader's language and time zone. */
interface Format {
  /** An instant as a date and time, with the zone's abbreviation. */
  instant(iso: string): string;
  /** A calendar day (YYYY-MM-DD), which has no time zone. */
  day(date: string): string;
  number(value: number): string;
  quote(text: string): string;
  /** The pilot's title quoted, or its id when the title is not known. */
  pilot(facts: OnPilot): string;
  /** The same without quotes, for a subject line. */
  pilotName(facts: OnPilot): string;
  milestone(facts: { milestone?: number; milestoneTitle?: string }): string;
}

interface Labels {
  pilotType: string;
  closes: string;
  submitted: string;
  version: string;
  contentHash: string;
  due: string;
  wasDue: string;
  task: string;
  reviewer: string;
  assignee: string;
  score: string;
  reasons: string;
  conditions: string;
  answerBy: string;
  milestone: string;
  note: string;
}

/** One kind's words in one language; the details under the intro are the same in every language. */
interface Phrases<K extends NotificationKind> {
  subject(facts: FactsByKind[K], x: Format, v: Vocabulary): string;
  intro(facts: FactsByKind[K], x: Format, v: Vocabulary): string;
  action: string;
}

interface Vocabulary {
  /** The BCP 47 tag Intl formats with. */
  tag: string;
  quotes: [string, string];
  pilotTypes: Record<PilotType, string>;
  tasks: Record<TaskKind, string>;
  decisions: Record<DecisionKind, string>;
  labels: Labels;
  kinds: { [K in NotificationKind]: Phrases<K> };
  manage: string;
  mandatory: string;
  digest: { subject(count: number): string; intro: string; open: string };
}

const en: Vocabulary = {
  tag: 'en-GB',
  quotes: ['“', '”'],
  pilotTypes: {
    'industrial-transition': 'industrial transition',
    'interregional-partnership': 'interregional innovation partnership',
  },
  tasks: {
    'declare-conflicts': 'Declaration of conflicts of interest',
    review: 'Review',
    consensus: "Reviewers' consensus",
    decide: 'Funding decision',
    'confirm-conditions': 'Confirmation of the conditions',
    resubmit: 'Revised application',
    'assign-expert-team': 'Expert team',
    'milestone-report': 'Milestone report',
    'final-report': 'Final report',
  },
  decisions: {
    approve: 'approved',
    'approve-with-conditions': 'approved with conditions',
    reject: 'rejected',
    revise: 'revision requested',
  },
  labels: {
    pilotType: 'Pilot type',
    closes: 'Applications close',
    submitted: 'Submitted',
    version: 'Version',
    contentHash: 'Content hash (SHA-256)',
    due: 'Due',
    wasDue: 'Was due',
    task: 'Task',
    reviewer: 'Reviewer',
    assignee: 'Assigned to',
    score: 'Weighted score',
    reasons: 'Reasons',
    conditions: 'Conditions',
    answerBy: 'Answer by',
    milestone: 'Milestone',
    note: "Auditor's note",
  },
  kinds: {
    'call-published': {
      subject: (f) => `New call for interest: ${f.callTitle}`,
      intro: (f, x) =>
        `A call for interest is open to the regions of your member state: ${x.quote(f.callTitle)}.`,
      action: 'Read the call',
    },
    'application-submitted': {
      subject: (f, x) => `Receipt: ${x.pilotName(f)} submitted`,
      intro: (f, x) => `Your application ${x.pilot(f)} was submitted. This is your receipt: keep it.`,
      action: 'Open the application',
    },
    'reviewers-assigned': {
      subject: (f, x) => `Evaluation assigned: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `You are assigned to evaluate the application ${x.pilot(f)}. Declare first whether you have a conflict of interest, then score it.`,
      action: 'Open the evaluation',
    },
    'review-due': {
      subject: (f, x, v) => `Reminder: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `Your deadline on the application ${x.pilot(f)} is near.`,
      action: 'Open the evaluation',
    },
    'review-overdue': {
      subject: (f, x, v) => `Overdue: ${v.tasks[f.task]} (${f.reviewer}) — ${x.pilotName(f)}`,
      intro: (f, x) =>
        `A reviewer missed a deadline on the application ${x.pilot(f)}: remind or replace the reviewer.`,
      action: 'Open the pilot',
    },
    'decision-taken': {
      subject: (f, x, v) => `Decision on ${x.pilotName(f)}: ${v.decisions[f.decision]}`,
      intro: (f, x, v) =>
        `The Commission has decided on the application ${x.pilot(f)}: ${v.decisions[f.decision]}.`,
      action: 'Open the pilot',
    },
    'team-invitation': {
      subject: (f, x) => `Invitation to the expert team of ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.lead
          ? `You are invited to lead the Commission expert team of the pilot ${x.pilot(f)}.`
          : `You are invited to join the Commission expert team of the pilot ${x.pilot(f)}.`,
      action: 'Accept or decline',
    },
    'invitation-lapsing': {
      subject: (f, x) => `Your invitation lapses soon: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `You have not answered the invitation to the expert team of ${x.pilot(f)}. Unanswered, it lapses and the seat goes to another expert.`,
      action: 'Accept or decline',
    },
    'invitation-lapsed': {
      subject: (f, x) => `Your invitation lapsed: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Your invitation to the expert team of ${x.pilot(f)} lapsed unanswered; the seat goes to another expert.`,
      action: 'Your assignments',
    },
    'milestone-due': {
      subject: (f, x) => `Milestone due: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) => `A milestone of the pilot ${x.pilot(f)} is due soon: report on it by its due date.`,
      action: 'Report on the milestone',
    },
    'milestone-overdue': {
      subject: (f, x) => `Milestone overdue: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        `A milestone of the pilot ${x.pilot(f)} is past its due date without an accepted report.`,
      action: 'Open the milestones',
    },
    'report-verified': {
      subject: (f, x) =>
        f.milestone === undefined
          ? `Final report accepted: ${x.pilotName(f)}`
          : `Milestone report accepted: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.milestone === undefined
          ? `An auditor accepted the final report of ${x.pilot(f)}: the pilot is closed.`
          : `An auditor accepted the report on a milestone of ${x.pilot(f)}.`,
      action: 'Open the pilot',
    },
    'report-rejected': {
      subject: (f, x) =>
        f.milestone === undefined
          ? `Final report rejected: ${x.pilotName(f)}`
          : `Milestone report rejected: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.milestone === undefined
          ? `An auditor rejected the final report of ${x.pilot(f)}: read the note and submit it again.`
          : `An auditor rejected the report on a milestone of ${x.pilot(f)}: read the note and report again.`,
      action: 'Open the pilot',
    },
    'task-due': {
      subject: (f, x, v) => `Reminder: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `Your deadline on the pilot ${x.pilot(f)} is near.`,
      action: 'Open the pilot',
    },
    'task-overdue': {
      subject: (f, x, v) => `Overdue: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `A deadline on the pilot ${x.pilot(f)} has passed.`,
      action: 'Open the pilot',
    },
  },
  manage: 'Your notification settings',
  mandatory: 'This notice cannot be switched off.',
  digest: {
    subject: (count) => `Your digest: ${count} ${count === 1 ? 'notification' : 'notifications'}`,
    intro: 'What concerns you since your last digest:',
    open: 'Open',
  },
};

const bg: Vocabulary = {
  tag: 'bg',
  quotes: ['„', '“'],
  pilotTypes: {
    'industrial-transition': 'региони в индустриален преход',
    'interregional-partnership': 'междурегионално партньорство за иновации',
  },
  tasks: {
    'declare-conflicts': 'Декларация за конфликт на интереси',
    review: 'Оценка',
    consensus: 'Консенсус на оценителите',
    decide: 'Решение за финансиране',
    'confirm-conditions': 'Потвърждаване на условията',
    resubmit: 'Преработена кандидатура',
    'assign-expert-team': 'Експертен екип',
    'milestone-report': 'Доклад за етап',
    'final-report': 'Окончателен доклад',
  },
  decisions: {
    approve: 'одобрена',
    'approve-with-conditions': 'одобрена с условия',
    reject: 'отхвърлена',
    revise: 'изисква се преработка',
  },
  labels: {
    pilotType: 'Вид пилотен проект',
    closes: 'Краен срок за кандидатстване',
    submitted: 'Подадена на',
    version: 'Версия',
    contentHash: 'Контролна сума на съдържанието (SHA-256)',
    due: 'Краен срок',
    wasDue: 'Срокът изтече на',
    task: 'Задача',
    reviewer: 'Оценител',
    assignee: 'Отговорник',
    score: 'Претеглена оценка',
    reasons: 'Мотиви',
    conditions: 'Условия',
    answerBy: 'Отговорете до',
    milestone: 'Етап',
    note: 'Бележка на одитора',
  },
  kinds: {
    'call-published': {
      subject: (f) => `Нова покана за изразяване на интерес: ${f.callTitle}`,
      intro: (f, x) =>
        `Отворена е покана за изразяване на интерес за регионите от вашата държава членка: ${x.quote(f.callTitle)}.`,
      action: 'Прочетете поканата',
    },
    'application-submitted': {
      subject: (f, x) => `Разписка: ${x.pilotName(f)} е подадена`,
      intro: (f, x) => `Вашата кандидатура ${x.pilot(f)} е подадена. Това е вашата разписка: запазете я.`,
      action: 'Отворете кандидатурата',
    },
    'reviewers-assigned': {
      subject: (f, x) => `Възложена оценка: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Определени сте да оцените кандидатурата ${x.pilot(f)}. Първо декларирайте дали имате конфликт на интереси, след това я оценете.`,
      action: 'Отворете оценката',
    },
    'review-due': {
      subject: (f, x, v) => `Напомняне: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `Наближава ваш краен срок по кандидатурата ${x.pilot(f)}.`,
      action: 'Отворете оценката',
    },
    'review-overdue': {
      subject: (f, x, v) => `Просрочено: ${v.tasks[f.task]} (${f.reviewer}) — ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Оценител пропусна краен срок по кандидатурата ${x.pilot(f)}: напомнете му или го заменете.`,
      action: 'Отворете пилотния проект',
    },
    'decision-taken': {
      subject: (f, x, v) => `Решение по ${x.pilotName(f)}: ${v.decisions[f.decision]}`,
      intro: (f, x, v) => `Комисията взе решение по кандидатурата ${x.pilot(f)}: ${v.decisions[f.decision]}.`,
      action: 'Отворете пилотния проект',
    },
    'team-invitation': {
      subject: (f, x) => `Покана за експертния екип на ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.lead
          ? `Поканени сте да ръководите експертния екип на Комисията за пилотния проект ${x.pilot(f)}.`
          : `Поканени сте да се присъедините към експертния екип на Комисията за пилотния проект ${x.pilot(f)}.`,
      action: 'Приемете или откажете',
    },
    'invitation-lapsing': {
      subject: (f, x) => `Поканата ви изтича скоро: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Не сте отговорили на поканата за експертния екип на ${x.pilot(f)}. Без отговор тя изтича и мястото се предлага на друг експерт.`,
      action: 'Приемете или откажете',
    },
    'invitation-lapsed': {
      subject: (f, x) => `Поканата ви изтече: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Поканата ви за експертния екип на ${x.pilot(f)} изтече без отговор; мястото се предлага на друг експерт.`,
      action: 'Вашите назначения',
    },
    'milestone-due': {
      subject: (f, x) => `Наближава срок на етап: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Наближава срокът на етап от пилотния проект ${x.pilot(f)}: докладвайте за него до крайния срок.`,
      action: 'Докладвайте за етапа',
    },
    'milestone-overdue': {
      subject: (f, x) => `Просрочен етап: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) => `Етап от пилотния проект ${x.pilot(f)} е с изтекъл срок без приет доклад.`,
      action: 'Отворете етапите',
    },
    'report-verified': {
      subject: (f, x) =>
        f.milestone === undefined
          ? `Окончателният доклад е приет: ${x.pilotName(f)}`
          : `Докладът за етап е приет: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.milestone === undefined
          ? `Одитор прие окончателния доклад на ${x.pilot(f)}: пилотният проект е приключен.`
          : `Одитор прие доклада за етап от ${x.pilot(f)}.`,
      action: 'Отворете пилотния проект',
    },
    'report-rejected': {
      subject: (f, x) =>
        f.milestone === undefined
          ? `Окончателният доклад е отхвърлен: ${x.pilotName(f)}`
          : `Докладът за етап е отхвърлен: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.milestone === undefined
          ? `Одитор отхвърли окончателния доклад на ${x.pilot(f)}: прочетете бележката и го подайте отново.`
          : `Одитор отхвърли доклада за етап от ${x.pilot(f)}: прочетете бележката и докладвайте отново.`,
      action: 'Отворете пилотния проект',
    },
    'task-due': {
      subject: (f, x, v) => `Напомняне: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `Наближава ваш краен срок по пилотния проект ${x.pilot(f)}.`,
      action: 'Отворете пилотния проект',
    },
    'task-overdue': {
      subject: (f, x, v) => `Просрочено: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `Изтече краен срок по пилотния проект ${x.pilot(f)}.`,
      action: 'Отворете пилотния проект',
    },
  },
  manage: 'Настройки на известията',
  mandatory: 'Това известие не може да бъде изключено.',
  digest: {
    subject: (count) => `Вашият обобщен бюлетин: ${count} ${count === 1 ? 'известие' : 'известия'}`,
    intro: 'Какво ви засяга от последния ви бюлетин насам:',
    open: 'Отворете',
  },
};

const sv: Vocabulary = {
  tag: 'sv',
  quotes: ['”', '”'],
  pilotTypes: {
    'industrial-transition': 'regioner i industriell omställning',
    'interregional-partnership': 'interregionalt innovationspartnerskap',
  },
  tasks: {
    'declare-conflicts': 'Jävsdeklaration',
    review: 'Bedömning',
    consensus: 'Bedömarnas samsyn',
    decide: 'Finansieringsbeslut',
    'confirm-conditions': 'Bekräftelse av villkoren',
    resubmit: 'Reviderad ansökan',
    'assign-expert-team': 'Expertgrupp',
    'milestone-report': 'Delmålsrapport',
    'final-report': 'Slutrapport',
  },
  decisions: {
    approve: 'beviljad',
    'approve-with-conditions': 'beviljad med villkor',
    reject: 'avslagen',
    revise: 'komplettering begärd',
  },
  labels: {
    pilotType: 'Typ av pilotprojekt',
    closes: 'Sista ansökningsdag',
    submitted: 'Inlämnad',
    version: 'Version',
    contentHash: 'Innehållets kontrollsumma (SHA-256)',
    due: 'Tidsfrist',
    wasDue: 'Tidsfristen löpte ut',
    task: 'Uppgift',
    reviewer: 'Bedömare',
    assignee: 'Ansvarig',
    score: 'Viktad poäng',
    reasons: 'Motivering',
    conditions: 'Villkor',
    answerBy: 'Svara senast',
    milestone: 'Delmål',
    note: 'Revisorns anmärkning',
  },
  kinds: {
    'call-published': {
      subject: (f) => `Ny inbjudan att anmäla intresse: ${f.callTitle}`,
      intro: (f, x) =>
        `En inbjudan att anmäla intresse är öppen för regionerna i ditt medlemsland: ${x.quote(f.callTitle)}.`,
      action: 'Läs inbjudan',
    },
    'application-submitted': {
      subject: (f, x) => `Kvitto: ${x.pilotName(f)} har lämnats in`,
      intro: (f, x) => `Er ansökan ${x.pilot(f)} har lämnats in. Detta är ert kvitto: spara det.`,
      action: 'Öppna ansökan',
    },
    'reviewers-assigned': {
      subject: (f, x) => `Bedömning tilldelad: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Du har utsetts att bedöma ansökan ${x.pilot(f)}. Ange först om du har en intressekonflikt och poängsätt den sedan.`,
      action: 'Öppna bedömningen',
    },
    'review-due': {
      subject: (f, x, v) => `Påminnelse: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `Din tidsfrist för ansökan ${x.pilot(f)} närmar sig.`,
      action: 'Öppna bedömningen',
    },
    'review-overdue': {
      subject: (f, x, v) => `Försenad: ${v.tasks[f.task]} (${f.reviewer}) — ${x.pilotName(f)}`,
      intro: (f, x) =>
        `En bedömare har missat en tidsfrist för ansökan ${x.pilot(f)}: påminn eller ersätt bedömaren.`,
      action: 'Öppna pilotprojektet',
    },
    'decision-taken': {
      subject: (f, x, v) => `Beslut om ${x.pilotName(f)}: ${v.decisions[f.decision]}`,
      intro: (f, x, v) =>
        `Kommissionen har fattat beslut om ansökan ${x.pilot(f)}: ${v.decisions[f.decision]}.`,
      action: 'Öppna pilotprojektet',
    },
    'team-invitation': {
      subject: (f, x) => `Inbjudan till expertgruppen för ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.lead
          ? `Du är inbjuden att leda kommissionens expertgrupp för pilotprojektet ${x.pilot(f)}.`
          : `Du är inbjuden att ingå i kommissionens expertgrupp för pilotprojektet ${x.pilot(f)}.`,
      action: 'Acceptera eller avböj',
    },
    'invitation-lapsing': {
      subject: (f, x) => `Din inbjudan löper snart ut: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Du har inte svarat på inbjudan till expertgruppen för ${x.pilot(f)}. Utan svar löper den ut och platsen går till en annan expert.`,
      action: 'Acceptera eller avböj',
    },
    'invitation-lapsed': {
      subject: (f, x) => `Din inbjudan har löpt ut: ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Din inbjudan till expertgruppen för ${x.pilot(f)} löpte ut utan svar; platsen går till en annan expert.`,
      action: 'Dina uppdrag',
    },
    'milestone-due': {
      subject: (f, x) => `Delmål förfaller snart: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Ett delmål i pilotprojektet ${x.pilot(f)} förfaller snart: rapportera om det senast på förfallodagen.`,
      action: 'Rapportera om delmålet',
    },
    'milestone-overdue': {
      subject: (f, x) => `Försenat delmål: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        `Ett delmål i pilotprojektet ${x.pilot(f)} har passerat förfallodagen utan godkänd rapport.`,
      action: 'Öppna delmålen',
    },
    'report-verified': {
      subject: (f, x) =>
        f.milestone === undefined
          ? `Slutrapporten har godkänts: ${x.pilotName(f)}`
          : `Delmålsrapporten har godkänts: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.milestone === undefined
          ? `En revisor har godkänt slutrapporten för ${x.pilot(f)}: pilotprojektet är avslutat.`
          : `En revisor har godkänt rapporten om ett delmål i ${x.pilot(f)}.`,
      action: 'Öppna pilotprojektet',
    },
    'report-rejected': {
      subject: (f, x) =>
        f.milestone === undefined
          ? `Slutrapporten har underkänts: ${x.pilotName(f)}`
          : `Delmålsrapporten har underkänts: ${x.milestone(f)} — ${x.pilotName(f)}`,
      intro: (f, x) =>
        f.milestone === undefined
          ? `En revisor har underkänt slutrapporten för ${x.pilot(f)}: läs anmärkningen och lämna in den igen.`
          : `En revisor har underkänt rapporten om ett delmål i ${x.pilot(f)}: läs anmärkningen och rapportera igen.`,
      action: 'Öppna pilotprojektet',
    },
    'task-due': {
      subject: (f, x, v) => `Påminnelse: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `Din tidsfrist för pilotprojektet ${x.pilot(f)} närmar sig.`,
      action: 'Öppna pilotprojektet',
    },
    'task-overdue': {
      subject: (f, x, v) => `Försenad: ${v.tasks[f.task]} — ${x.pilotName(f)}`,
      intro: (f, x) => `En tidsfrist för pilotprojektet ${x.pilot(f)} har passerat.`,
      action: 'Öppna pilotprojektet',
    },
  },
  manage: 'Inställningar för aviseringar',
  mandatory: 'Den här aviseringen kan inte stängas av.',
  digest: {
    subject: (count) => `Din sammanfattning: ${count} ${count === 1 ? 'avisering' : 'aviseringar'}`,
    intro: 'Det här berör dig sedan din senaste sammanfattning:',
    open: 'Öppna',
  },
};

const vocabularies: Record<Language, Vocabulary> = { en, bg, sv };

function formatFor(v: Vocabulary, timeZone: string): Format {
  const instant = new Intl.DateTimeFormat(v.tag, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
  // A calendar day is the same day everywhere: formatted at noon UTC, in UTC.
  const day = new Intl.DateTimeFormat(v.tag, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
  const number = new Intl.NumberFormat(v.tag, { maximumFractionDigits: 1 });
  const quote = (text: string) => `${v.quotes[0]}${text}${v.quotes[1]}`;
  return {
    instant: (iso) => instant.format(new Date(iso)),
    day: (date) => day.format(new Date(`${date}T12:00:00Z`)),
    number: (value) => number.format(value),
    quote,
    pilot: (f) => (f.pilotTitle ? quote(f.pilotTitle) : f.pilotId),
    pilotName: (f) => f.pilotTitle ?? f.pilotId,
    milestone: (f) =>
      f.milestone === undefined
        ? ''
        : `${f.milestone + 1}${f.milestoneTitle ? ` – ${f.milestoneTitle}` : ''}`,
  };
}

type Detail = [label: string, value: string];
interface Quote {
  label: string;
  lines: string[];
}

/** The lines under the intro: the same facts in every language, under each language's labels. */
const detailsOf: {
  [K in NotificationKind]: (facts: FactsByKind[K], x: Format, v: Vocabulary) => Detail[];
} = {
  'call-published': (f, x, v) => [
    [v.labels.pilotType, v.pilotTypes[f.pilotType]],
    [v.labels.closes, x.instant(f.closesAt)],
  ],
  'application-submitted': (f, x, v) => [
    [v.labels.submitted, x.instant(f.submittedAt)],
    [v.labels.version, String(f.submissionVersion)],
    [v.labels.contentHash, f.contentHash],
  ],
  'reviewers-assigned': (f, x, v) => [[v.labels.due, x.instant(f.dueAt)]],
  'review-due': (f, x, v) => [[v.labels.task, v.tasks[f.task]], ...deadline(v.labels.due, f.dueAt, x)],
  'review-overdue': (f, x, v) => [
    [v.labels.reviewer, f.reviewer],
    [v.labels.task, v.tasks[f.task]],
    ...deadline(v.labels.wasDue, f.dueAt, x),
  ],
  'decision-taken': (f, x, v) => [
    [v.labels.score, `${x.number(f.score)} / 100`],
    ...deadline(v.labels.due, f.dueAt, x),
  ],
  'team-invitation': (f, x, v) => [[v.labels.answerBy, x.instant(f.dueAt)]],
  'invitation-lapsing': (f, x, v) => [[v.labels.answerBy, x.instant(f.dueAt)]],
  'invitation-lapsed': () => [],
  'milestone-due': (f, x, v) => [
    ...(f.milestone === undefined ? [] : [[v.labels.milestone, x.milestone(f)] as Detail]),
    ...deadline(v.labels.due, f.dueAt, x),
  ],
  'milestone-overdue': (f, x, v) => [
    [v.labels.milestone, x.milestone(f)],
    [v.labels.wasDue, x.day(f.dueDate)],
  ],
  'report-verified': (f, x, v) => (f.milestone === undefined ? [] : [[v.labels.milestone, x.milestone(f)]]),
  'report-rejected': (f, x, v) => (f.milestone === undefined ? [] : [[v.labels.milestone, x.milestone(f)]]),
  'task-due': (f, x, v) => [[v.labels.task, v.tasks[f.task]], ...deadline(v.labels.due, f.dueAt, x)],
  'task-overdue': (f, x, v) => [
    [v.labels.assignee, f.assignee],
    [v.labels.task, v.tasks[f.task]],
    ...deadline(v.labels.wasDue, f.dueAt, x),
  ],
};

function deadline(label: string, dueAt: string | undefined, x: Format): Detail[] {
  return dueAt ? [[label, x.instant(dueAt)]] : [];
}

/** The people's own words a notice carries (reasons, conditions, an auditor's note), quoted. */
function quotesOf(facts: FactsByKind[NotificationKind], v: Vocabulary): Quote[] {
  const quotes: Quote[] = [];
  if ('reasons' in facts) quotes.push({ label: v.labels.reasons, lines: [facts.reasons] });
  if ('conditions' in facts && facts.conditions) {
    quotes.push({ label: v.labels.conditions, lines: facts.conditions });
  }
  if ('note' in facts && facts.note) quotes.push({ label: v.labels.note, lines: [facts.note] });
  return quotes;
}

/** A subject is one header line: line breaks in the titles people wrote become spaces. */
const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ');

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A notice's place in the portal, and the reader's settings page. */
export interface Links {
  /** Absolute URL of the place the notice is about. */
  place: string;
  /** Absolute URL of the reader's notification settings. */
  settings: string;
}

/** The portal's links: below PORTAL_URL, its own path (if any) kept. */
export function portalLinks(portalUrl: string, path: string): Links {
  const base = portalUrl.replace(/\/+$/, '');
  return { place: `${base}${path}`, settings: `${base}/notifications/preferences` };
}

function htmlPage(language: Language, body: string): string {
  return [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1a1a1a">',
    body,
    '</body></html>',
  ].join('\n');
}

function footer(v: Vocabulary, links: Links, mandatory: boolean) {
  const text = [...(mandatory ? [v.mandatory] : []), `${v.manage}: ${links.settings}`].join('\n');
  const html =
    '<hr><p style="font-size: small; color: #555">' +
    (mandatory ? `${escapeHtml(v.mandatory)}<br>` : '') +
    `<a href="${escapeHtml(links.settings)}">${escapeHtml(v.manage)}</a></p>`;
  return { text, html };
}

/** One notice in the reader's language and time zone: subject, plain text and HTML. */
export function renderNotification<K extends NotificationKind>(
  kind: K,
  facts: FactsByKind[K],
  locale: Locale,
  links: Links,
  mandatory: boolean,
): RenderedNotification {
  const v = vocabularies[locale.language];
  const x = formatFor(v, locale.timeZone);
  const phrases: Phrases<K> = v.kinds[kind];
  const subject = oneLine(phrases.subject(facts, x, v));
  const intro = phrases.intro(facts, x, v);
  const details = detailsOf[kind](facts, x, v);
  const quotes = quotesOf(facts, v);

  const summary = [
    intro,
    ...(details.length > 0 ? ['', ...details.map(([label, value]) => `${label}: ${value}`)] : []),
    ...quotes.flatMap((q) => ['', `${q.label}:`, ...q.lines.map((line) => `> ${line}`)]),
  ].join('\n');
  const end = footer(v, links, mandatory);
  const text = [summary, '', `${phrases.action}: ${links.place}`, '', '-- ', end.text].join('\n');

  const html = htmlPage(
    locale.language,
    [
      `<p>${escapeHtml(intro)}</p>`,
      ...(details.length > 0
        ? [
            '<table style="border-collapse: collapse">',
            ...details.map(
              ([label, value]) =>
                `<tr><th style="text-align: left; padding-right: 1em; vertical-align: top">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
            ),
            '</table>',
          ]
        : []),
      ...quotes.map(
        (q) =>
          `<p><strong>${escapeHtml(q.label)}</strong></p><blockquote style="margin: 0 0 1em 1em; padding-left: 1em; border-left: 3px solid #ccc">` +
          q.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('') +
          '</blockquote>',
      ),
      `<p><a href="${escapeHtml(links.place)}">${escapeHtml(phrases.action)}</a></p>`,
      end.html,
    ].join('\n'),
  );
  return { subject, summary, text, html };
}

/** One entry of a digest. */
export interface DigestEntry<K extends NotificationKind = NotificationKind> {
  kind: K;
  facts: FactsByKind[K];
  /** Absolute URL of the place the notice is about. */
  place: string;
}

/** A person's digest: every notice waiting for it, oldest first, each with its link. */
export function renderDigest(
  entries: readonly DigestEntry[],
  locale: Locale,
  settings: string,
): RenderedDigest {
  const v = vocabularies[locale.language];
  const x = formatFor(v, locale.timeZone);
  const items = entries.map(<K extends NotificationKind>(entry: DigestEntry<K>) => {
    const phrases: Phrases<K> = v.kinds[entry.kind];
    return {
      subject: oneLine(phrases.subject(entry.facts, x, v)),
      intro: phrases.intro(entry.facts, x, v),
      details: detailsOf[entry.kind](entry.facts, x, v),
      place: entry.place,
    };
  });
  const subject = v.digest.subject(entries.length);
  const end = footer(v, { place: '', settings }, false);
  const text = [
    v.digest.intro,
    ...items.flatMap((item) => [
      '',
      `* ${item.subject}`,
      `  ${item.intro}`,
      ...item.details.map(([label, value]) => `  ${label}: ${value}`),
      `  ${item.place}`,
    ]),
    '',
    '-- ',
    end.text,
  ].join('\n');
  const html = htmlPage(
    locale.language,
    [
      `<p>${escapeHtml(v.digest.intro)}</p>`,
      '<ul>',
      ...items.map(
        (item) =>
          `<li><p><strong>${escapeHtml(item.subject)}</strong><br>${escapeHtml(item.intro)}` +
          item.details.map(([label, value]) => `<br>${escapeHtml(label)}: ${escapeHtml(value)}`).join('') +
          `<br><a href="${escapeHtml(item.place)}">${escapeHtml(v.digest.open)}</a></p></li>`,
      ),
      '</ul>',
      end.html,
    ].join('\n'),
  );
  return { subject, text, html };
}
