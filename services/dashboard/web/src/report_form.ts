// The province clerk's screens: the periods list (#/reports) and a period's
// report form (#/report/<code>/<period>). Everything comes from the
// reporting service, called as the clerk; the aggregator says how far a
// submitted revision has travelled.
import {
  call,
  FieldViolation,
  HttpError,
  Indicator,
  IndicatorValue,
  get,
  OutboxStatus,
  ProvincePage,
  q,
  Recommendation,
  Report,
  ReportChange,
  ValidationResult,
} from './api';
import { append, clear, el } from './dom';
import { fmtDay, fmtDeadline, fmtTime, getLang, t } from './i18n';
import { describe, PageContext, renderProblem, stateKeyOf } from './page';

const VALIDATE_DELAY_MS = 300;

function label(ind: Indicator): string {
  return getLang() === 'en' ? ind.labelEn : ind.labelVi;
}

function dueText(due: string, today: string): string {
  return due ? `${fmtDay(due)} — ${fmtDeadline(due, today)}` : '';
}

// ---------------------------------------------------------------------------
// The periods list
// ---------------------------------------------------------------------------

let listCtx: PageContext | null = null;

export async function renderPeriods(ctx: PageContext): Promise<void> {
  // A refresh timed before the clerk moved on draws nothing.
  if (location.hash !== '#/reports') return;
  listCtx = ctx;
  formState = null;
  const { app, me } = ctx;
  const code = me.organizationCode;
  clear(app);
  append(app, ctx.header(false), el('p', { class: 'loading' }, t('loading')));
  let reports: Report[] | null;
  let outbox: OutboxStatus | null;
  let national: ProvincePage | null;
  let problem: unknown = null;
  try {
    [reports, outbox, national] = await Promise.all([
      // Without the reporting service the list still shows what the national
      // office holds, and the way to the province page.
      call<{ reports: Report[] }>('reporting', 'ListReports', { organizationCode: code }).then((r) => r.reports ?? [])
        .catch((e) => { if (e instanceof HttpError && e.status === 401) throw e; problem = e; return null; }),
      call<OutboxStatus>('reporting', 'GetOutboxStatus', {}).catch(() => null),
      // What the national office holds (the newest period and the five
      // before it), decisions included, even for reports sent another way.
      get<ProvincePage>(`/api/province?${q({ code, period: me.periods[me.periods.length - 1] })}`).catch(() => null),
    ]);
  } catch (e) {
    return location.hash === '#/reports' ? renderProblem(ctx, e) : undefined;
  }
  if (location.hash !== '#/reports') return;
  // Newest revision per period (the list is newest revision first).
  const latest = new Map<string, Report>();
  for (const r of reports ?? []) {
    const seen = latest.get(r.period);
    if (!seen || r.revision > seen.revision) latest.set(r.period, r);
  }
  // A revision keeps its own outcome; where the report stands now (returned
  // after a reopen, the newest comment) is the draft's.
  await Promise.all([...latest.values()].filter((r) => r.revision > 0).map((r) =>
    call<Report>('reporting', 'GetDraft', { organizationCode: code, period: r.period })
      .then((d) => latest.set(r.period, { ...r, state: d.state, reviewComment: d.reviewComment || r.reviewComment }))
      .catch(() => undefined)));
  if (location.hash !== '#/reports') return;
  const elsewhere = new Set<string>();
  for (const group of national?.reports ?? []) {
    const revs = group.revisions.revisions ?? [];
    const top = revs[revs.length - 1];
    if (!top) continue;
    const mine = latest.get(group.period);
    if (!mine) elsewhere.add(group.period);
    // The aggregator has a decision first; the reporting service learns it a moment later.
    const newer = !mine || top.revision > mine.revision ||
      (top.revision === mine.revision && mine.state === 'REPORT_STATE_SUBMITTED' && top.state !== 'REPORT_STATE_SUBMITTED');
    if (newer) latest.set(group.period, top);
  }
  // The last three years' half-years, and any older period with a report.
  const periods = [...me.periods].reverse().slice(0, 6);
  for (const p of latest.keys()) if (!periods.includes(p)) periods.push(p);
  periods.sort((a, b) => b.localeCompare(a));

  const body = el('tbody');
  for (const p of periods) {
    const r = latest.get(p);
    const due = r?.dueDate || me.dueDates[p] || '';
    const started = me.periods.includes(p);
    const key = stateKeyOf(r?.state);
    // Nothing submitted yet and the deadline has passed.
    const overdue = !r?.revision && due !== '' && due < me.today;
    const action = !r || key === 'draft' ? (r ? t('continueDraft') : t('startReport'))
      : key === 'returned' ? t('fixAndResubmit') : t('view');
    body.appendChild(el('tr', { 'data-testid': 'period-row', 'data-period': p, 'data-state': key },
      el('th', { scope: 'row' }, p),
      el('td', {}, dueText(due, me.today), overdue ? el('span', { class: 'badge-late' }, t('overdue')) : null),
      el('td', {}, el('span', { class: `pill state-${key}` }, r ? t(key) : t('notStarted')),
        r && r.revision > 0 ? ` · ${t('revision')} ${r.revision}` : ''),
      el('td', { class: 'comment-cell' }, key === 'returned' ? el('span', { 'data-testid': 'list-comment' }, r?.reviewComment ?? '') : ''),
      el('td', {}, elsewhere.has(p)
        // Sent to the national office other than through this service: read on the province page.
        ? el('a', { href: `#/province/${encodeURIComponent(code)}`, class: 'button-link' }, t('view'))
        : started && reports ? el('a', { href: `#/report/${encodeURIComponent(code)}/${p}`, 'data-testid': 'open-form', class: 'button-link' }, action) : '')));
  }
  clear(app);
  append(app, ctx.header(false), el('main', { class: 'clerk', 'data-testid': 'periods' },
    el('section', { class: 'card' },
      el('div', { class: 'section-head' },
        el('h1', {}, t('myReports')),
        el('a', { href: `#/province/${encodeURIComponent(code)}`, 'data-testid': 'province-link' }, t('provincePage'))),
      problem ? el('p', { class: 'notice', role: 'alert', 'data-testid': 'reporting-unavailable' },
        `${t('reportingUnavailable')} (${(problem as Error).message})`) : null,
      outbox ? outboxLine(outbox) : null,
      el('div', { class: 'table-wrap' },
        el('table', { class: 'table periods-table' },
          el('thead', {}, el('tr', {},
            el('th', {}, t('period')), el('th', {}, t('due')), el('th', {}, t('state')),
            el('th', {}, t('comment')), el('th', {}, el('span', { class: 'sr-only' }, t('actions'))))),
          body)))));
}

function outboxLine(o: OutboxStatus): HTMLElement {
  return el('p', { class: o.failed > 0 ? 'notice' : 'muted', 'data-testid': 'outbox' },
    t('outboxLine').replace('{pending}', String(o.pending)).replace('{delivered}', String(o.delivered)),
    o.failed > 0 ? ` · ${t('outboxFailed').replace('{n}', String(o.failed))}` : '',
    o.lastError ? ` · ${o.lastError}` : '');
}

// ---------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------

type FieldKey = string; // "v:<code>", "n:achievements", "r:<i>", "form"

interface FormState {
  ctx: PageContext;
  code: string;
  period: string;
  report: Report; // the draft as the service last gave it
  latestRevision: number; // highest revision submitted (0 = none)
  indicators: Indicator[];
  raw: Map<string, string | boolean>; // what the clerk typed, per indicator
  achievements: string;
  difficulties: string;
  nextPeriodTasks: string;
  recommendations: Recommendation[];
  draftVersion: number;
  dirty: boolean;
  touched: Set<FieldKey>;
  submitAttempted: boolean;
  validation: { result: ValidationResult; sent: string[] } | null;
  rejected: { violations: FieldViolation[]; sent: string[] } | null; // a save or submit refused
  validateSeq: number;
  appliedSeq: number;
  busy: boolean;
  travel: { aggregator: Report | null; outbox: OutboxStatus | null } | null;
  banner: HTMLElement | null;
  saveStatus: string;
}

let formState: FormState | null = null;

function editable(s: FormState): boolean {
  const key = stateKeyOf(s.report.state);
  return key === 'draft' || key === 'returned' || key === 'missing';
}

function nextRevision(s: FormState): number {
  return s.latestRevision + (editable(s) ? 1 : 0);
}

export async function renderForm(ctx: PageContext, code: string, period: string, reload = false): Promise<void> {
  const here = () => location.hash === `#/report/${encodeURIComponent(code)}/${period}`;
  // A refresh timed before the clerk moved on draws nothing.
  if (!here()) return;
  listCtx = null;
  const page = ctx.app.querySelector<HTMLElement>('[data-testid="form-page"]');
  const same = formState && formState.code === code && formState.period === period &&
    page?.dataset.code === code && page?.dataset.period === period;
  // A language switch redraws the form on screen from what was typed, not from the server.
  if (same && !reload) {
    formState!.ctx = ctx;
    return drawForm(formState!);
  }
  formState = null;
  const started = performance.now();
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, t('loading')));
  let report: Report;
  let revisions: Report[];
  try {
    [report, revisions] = await Promise.all([
      openDraft(code, period),
      call<{ reports: Report[] }>('reporting', 'ListReports', { organizationCode: code, period }).then((r) => r.reports ?? []),
    ]);
  } catch (e) {
    return here() ? renderProblem(ctx, e) : undefined;
  }
  if (!here()) return;
  const indicators = await catalogFor(ctx, report.catalogVersion ?? 0);
  if (!here()) return;
  const s: FormState = {
    ctx, code, period, report, indicators,
    latestRevision: revisions.reduce((n, r) => Math.max(n, r.revision), 0),
    raw: new Map(),
    achievements: report.narrative?.achievements ?? '',
    difficulties: report.narrative?.difficulties ?? '',
    nextPeriodTasks: report.narrative?.nextPeriodTasks ?? '',
    recommendations: (report.narrative?.recommendations ?? []).map((r) => ({ ...r })),
    draftVersion: report.draftVersion ?? 0,
    dirty: false,
    touched: new Set(),
    submitAttempted: false,
    validation: null,
    rejected: null,
    validateSeq: 0,
    appliedSeq: 0,
    busy: false,
    travel: null,
    banner: null,
    saveStatus: '',
  };
  for (const v of report.values ?? []) {
    if (v.count !== undefined) s.raw.set(v.code, String(v.count));
    else if (v.decimal !== undefined) s.raw.set(v.code, String(v.decimal));
    else if (v.flag !== undefined) s.raw.set(v.code, v.flag);
  }
  formState = s;
  drawForm(s);
  ctx.app.querySelector('[data-testid="report-form"]')?.setAttribute('data-open-ms', String(Math.round(performance.now() - started)));
  if (editable(s)) scheduleValidation(s, 0);
  void loadTravel(s);
}

// The draft, created (pre-filled from the registry and the previous period)
// the first time the period's form is opened.
async function openDraft(code: string, period: string): Promise<Report> {
  try {
    return await call<Report>('reporting', 'GetDraft', { organizationCode: code, period });
  } catch (e) {
    if (!(e instanceof HttpError && e.status === 404)) throw e;
  }
  return call<Report>('reporting', 'CreateDraft', { organizationCode: code, period, prefill: true });
}

async function catalogFor(ctx: PageContext, version: number): Promise<Indicator[]> {
  if (version === 0 || version === ctx.me.catalog.version) return ctx.me.catalog.indicators;
  try {
    return (await call<{ indicators: Indicator[] }>('reporting', 'GetCatalog', { version })).indicators;
  } catch {
    return ctx.me.catalog.indicators;
  }
}

async function loadTravel(s: FormState): Promise<void> {
  if (s.latestRevision === 0) return;
  const [aggregator, outbox] = await Promise.all([
    call<Report>('aggregator', 'GetReport', { organizationCode: s.code, period: s.period, revision: 0 }).catch(() => null),
    call<OutboxStatus>('reporting', 'GetOutboxStatus', {}).catch(() => null),
  ]);
  if (formState !== s) return;
  s.travel = { aggregator, outbox };
  const node = s.ctx.app.querySelector<HTMLElement>('[data-testid="travel"]');
  if (node) node.replaceWith(travelTrack(s));
  // Opened in the moment between a decision and the reporting service
  // hearing of it: follow it rather than stay read-only.
  if (aggregator && aggregator.revision === s.latestRevision && aggregator.state !== s.report.state && !s.dirty &&
      (aggregator.state === 'REPORT_STATE_RETURNED' || aggregator.state === 'REPORT_STATE_ACCEPTED')) {
    void followDecision(s, { state: aggregator.state } as ReportChange);
  }
}

// Submitted -> delivered to the national office -> under review -> decided.
function travelTrack(s: FormState): HTMLElement {
  const rev = s.latestRevision;
  const agg = s.travel?.aggregator ?? null;
  const there = agg !== null && agg.revision >= rev;
  const aggKey = there ? stateKeyOf(agg!.state) : 'missing';
  const decided = aggKey === 'accepted' || aggKey === 'returned';
  const steps: { key: string; text: string; status: 'done' | 'current' | 'todo' | 'failed'; detail?: string }[] = [
    { key: 'submitted', text: `${t('stepSubmitted')} (${t('revision')} ${rev})`, status: 'done', detail: fmtTime(agg?.submittedAt) },
    {
      key: 'delivered', text: t('stepDelivered'),
      status: there ? 'done' : s.travel?.outbox?.failed ? 'failed' : 'current',
      detail: there ? fmtTime(agg!.receivedAt) : s.travel?.outbox?.lastError || t('inOutbox'),
    },
    { key: 'review', text: t('stepReview'), status: decided ? 'done' : there ? 'current' : 'todo' },
    {
      key: 'decision',
      text: aggKey === 'returned' ? t('stepReturned') : aggKey === 'accepted' ? t('stepAccepted') : t('stepDecision'),
      status: decided ? 'done' : 'todo',
      detail: decided ? [agg!.decidedBy, fmtTime(agg!.decidedAt)].filter(Boolean).join(' · ') : '',
    },
  ];
  return el('ol', { class: 'travel', 'data-testid': 'travel', 'data-stage': decided ? aggKey : there ? 'review' : 'outbox', 'aria-label': t('travel') },
    ...steps.map((step) => el('li', { class: `step step-${step.status}`, 'data-step': step.key, 'data-status': step.status },
      el('span', { class: 'step-text' }, step.text),
      step.detail ? el('span', { class: 'step-detail' }, step.detail) : null)));
}

function fieldId(key: FieldKey): string {
  return `f-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

// Where a review comment names an indicator (by code or label) or a part of
// the narrative, it is shown beside that field too.
function mentions(comment: string, words: string[]): boolean {
  const text = comment.toLocaleLowerCase();
  return words.some((w) => w.length >= 3 && text.includes(w.toLocaleLowerCase()));
}

function reviewNote(s: FormState, words: string[]): HTMLElement | null {
  const comment = s.report.reviewComment;
  if (stateKeyOf(s.report.state) !== 'returned' || !comment || !mentions(comment, words)) return null;
  return el('p', { class: 'review-note', 'data-testid': 'review-note' }, `${t('reviewerSays')}: ${comment}`);
}

function drawForm(s: FormState): void {
  const { ctx } = s;
  const me = ctx.me;
  const canEdit = editable(s);
  const key = stateKeyOf(s.report.state);
  clear(ctx.app);
  const sections = new Map<string, Indicator[]>();
  for (const ind of s.indicators) {
    if (!sections.has(ind.section)) sections.set(ind.section, []);
    sections.get(ind.section)!.push(ind);
  }
  const form = el('form', {
    id: 'report-form', class: 'report-form', 'data-testid': 'report-form', novalidate: true,
    'data-state': key, 'data-editable': canEdit ? 'true' : 'false', 'aria-labelledby': 'form-title',
  });
  // Submitting is the button's job only: Enter in a figure goes to the next one.
  form.addEventListener('submit', (ev) => ev.preventDefault());

  for (const [section, list] of sections) {
    const fieldset = el('fieldset', { class: 'card form-section', 'data-section': section },
      el('legend', {}, t(`section_${section}`)));
    for (const ind of list) fieldset.appendChild(indicatorField(s, ind, canEdit));
    form.appendChild(fieldset);
  }
  form.appendChild(narrativeFields(s, canEdit));

  const summary = el('div', { class: 'form-summary', 'data-testid': 'form-summary', 'aria-live': 'polite' });
  const saveStatus = el('span', { class: 'save-status', 'data-testid': 'save-status', role: 'status' }, s.saveStatus);
  const actions = canEdit
    ? el('div', { class: 'form-actions' },
      button(t('saveDraft'), 'save', () => void save(s)),
      button(t('submitReport'), 'submit', () => void submit(s), 'primary'),
      saveStatus)
    : el('div', { class: 'form-actions' }, saveStatus);
  s.banner = el('div', { class: 'banner-slot', 'data-testid': 'banner-slot' });

  const returned = key === 'returned' && s.report.reviewComment
    ? el('section', { class: 'card returned', 'data-testid': 'review-comment', role: 'note' },
      el('h2', {}, t('returnedBecause')),
      el('p', { class: 'comment-text' }, s.report.reviewComment),
      el('p', { class: 'muted' }, [s.report.decidedBy, fmtTime(s.report.decidedAt)].filter(Boolean).join(' · ')))
    : null;

  append(ctx.app, ctx.header(false), el('main', { class: 'clerk', 'data-testid': 'form-page', 'data-code': s.code, 'data-period': s.period },
    el('a', { href: me.national ? '#/' : '#/reports', class: 'back' }, me.national ? t('back') : t('backToReports')),
    el('section', { class: 'card' },
      el('h1', { id: 'form-title' }, `${t('reportFor')} ${s.period} · ${s.code}`),
      el('p', { class: 'muted' },
        `${t('due')} ${dueText(s.report.dueDate || me.dueDates[s.period] || '', me.today)}`,
        ' · ', el('span', { class: `pill state-${key}`, 'data-testid': 'form-state' }, t(key)),
        ` · ${canEdit ? t('nextRevision') : t('revision')} ${nextRevision(s) || 1}`),
      s.latestRevision > 0 ? travelTrack(s) : null,
      canEdit ? el('p', { class: 'muted' }, t('formHelp')) : el('p', { class: 'notice', 'data-testid': 'read-only' }, key === 'accepted' ? t('readOnlyAccepted') : t('readOnlySubmitted'))),
    returned,
    s.banner,
    canEdit ? summary : null,
    form,
    el('div', { class: `card ${canEdit ? 'sticky-actions' : 'read-only-status'}` }, actions)));
  renderMessages(s);
}

function button(text: string, testid: string, onClick: () => void, cls = ''): HTMLButtonElement {
  const b = el('button', { type: 'button', 'data-testid': testid, class: cls }, text);
  b.addEventListener('click', onClick);
  return b;
}

function indicatorField(s: FormState, ind: Indicator, canEdit: boolean): HTMLElement {
  const key = `v:${ind.code}`;
  const id = fieldId(key);
  const msgId = `${id}-msg`;
  const raw = s.raw.get(ind.code);
  let input: HTMLInputElement;
  if (ind.type === 'INDICATOR_TYPE_BOOLEAN') {
    input = el('input', { type: 'checkbox', id, name: ind.code, 'aria-describedby': msgId, disabled: !canEdit, 'data-code': ind.code });
    input.checked = raw === true;
    input.addEventListener('change', () => {
      s.raw.set(ind.code, input.checked);
      changed(s, key);
    });
  } else {
    input = el('input', {
      type: 'text', id, name: ind.code, 'aria-describedby': msgId, disabled: !canEdit, autocomplete: 'off',
      inputmode: ind.type === 'INDICATOR_TYPE_DECIMAL' ? 'decimal' : 'numeric', 'data-code': ind.code,
    });
    input.value = typeof raw === 'string' ? raw : '';
    input.addEventListener('input', () => {
      s.raw.set(ind.code, input.value);
      changed(s, key);
    });
    input.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      const all = [...s.ctx.app.querySelectorAll<HTMLElement>('.report-form input, .report-form textarea')];
      all[all.indexOf(input) + 1]?.focus();
    });
    input.addEventListener('blur', () => {
      if (!s.touched.has(key)) { s.touched.add(key); renderMessages(s); }
    });
  }
  const bool = ind.type === 'INDICATOR_TYPE_BOOLEAN';
  return el('div', { class: `field${bool ? ' field-bool' : ''}`, 'data-testid': 'field', 'data-key': key, 'data-code': ind.code },
    bool ? input : null,
    el('label', { for: id }, label(ind)),
    bool ? null : input,
    el('div', { class: 'msg', id: msgId }),
    reviewNote(s, [ind.code, ind.labelVi, ind.labelEn]));
}

function textField(s: FormState, key: FieldKey, title: string, value: string, canEdit: boolean, onInput: (v: string) => void, words: string[]): HTMLElement {
  const id = fieldId(key);
  const area = el('textarea', { id, rows: 4, 'aria-describedby': `${id}-msg`, disabled: !canEdit });
  area.value = value;
  area.addEventListener('input', () => { onInput(area.value); changed(s, key); });
  return el('div', { class: 'field field-text', 'data-testid': 'field', 'data-key': key },
    el('label', { for: id }, title), area, el('div', { class: 'msg', id: `${id}-msg` }), reviewNote(s, words));
}

function narrativeFields(s: FormState, canEdit: boolean): HTMLElement {
  const recs = el('ol', { class: 'recommendations', 'data-testid': 'recommendations' });
  s.recommendations.forEach((rec, i) => {
    const key = `r:${i}`;
    const id = fieldId(key);
    const area = el('textarea', { id, rows: 2, 'aria-describedby': `${id}-msg`, disabled: !canEdit });
    area.value = rec.text;
    area.addEventListener('input', () => { rec.text = area.value; changed(s, key); });
    const remove = canEdit ? button(t('removeRecommendation'), 'remove-recommendation', () => {
      s.recommendations.splice(i, 1);
      changed(s, 'form');
      drawForm(s);
    }, 'link-button') : null;
    remove?.setAttribute('aria-label', `${t('removeRecommendation')} ${i + 1}`);
    recs.appendChild(el('li', { class: 'field', 'data-testid': 'field', 'data-key': key },
      el('label', { for: id }, `${t('recommendation')} ${i + 1}`), area,
      rec.answer ? el('p', { class: 'muted' }, `${t('answer')}: ${rec.answer}`) : null,
      el('div', { class: 'msg', id: `${id}-msg` }), remove));
  });
  const add = canEdit ? button(t('addRecommendation'), 'add-recommendation', () => {
    s.recommendations.push({ number: s.recommendations.length + 1, text: '', answer: '' });
    changed(s, 'form');
    drawForm(s);
    document.getElementById(fieldId(`r:${s.recommendations.length - 1}`))?.focus();
  }) : null;
  return el('fieldset', { class: 'card form-section narrative-section', 'data-section': 'narrative' },
    el('legend', {}, t('narrative')),
    textField(s, 'n:achievements', t('achievements'), s.achievements, canEdit, (v) => { s.achievements = v; }, [t('achievements'), 'achievements', 'thành tích', 'kết quả']),
    textField(s, 'n:difficulties', t('difficulties'), s.difficulties, canEdit, (v) => { s.difficulties = v; }, [t('difficulties'), 'difficulties', 'khó khăn']),
    el('div', { class: 'field-group' }, el('h3', {}, t('recommendations')), recs, add),
    textField(s, 'n:nextPeriodTasks', t('nextTasks'), s.nextPeriodTasks, canEdit, (v) => { s.nextPeriodTasks = v; }, [t('nextTasks'), 'next period', 'nhiệm vụ']));
}

function changed(s: FormState, key: FieldKey): void {
  s.dirty = true;
  if (key !== 'form') s.touched.add(key);
  s.rejected = null;
  if (s.saveStatus) {
    s.saveStatus = t('unsaved');
    const status = s.ctx.app.querySelector('[data-testid="save-status"]');
    if (status) status.textContent = s.saveStatus;
  }
  renderMessages(s);
  scheduleValidation(s, VALIDATE_DELAY_MS);
}

let validateTimer: number | undefined;

function scheduleValidation(s: FormState, delay: number): void {
  window.clearTimeout(validateTimer);
  validateTimer = window.setTimeout(() => void validate(s), delay);
}

// A value as typed, checked for its type here (the service sees only
// well-typed values); undefined when left empty.
function parseValue(ind: Indicator, raw: string | boolean | undefined): { value?: IndicatorValue; error?: string } {
  if (ind.type === 'INDICATOR_TYPE_BOOLEAN') return { value: { code: ind.code, flag: raw === true } };
  const text = typeof raw === 'string' ? raw.replace(/\s/g, '') : '';
  if (text === '') return {};
  if (ind.type === 'INDICATOR_TYPE_COUNT') {
    if (!/^-?\d{1,15}$/.test(text)) return { error: t('msgWholeNumber') };
    return { value: { code: ind.code, count: String(Number(text)) } };
  }
  const n = Number(text.replace(',', '.'));
  if (!Number.isFinite(n)) return { error: t('msgNumber') };
  return { value: { code: ind.code, decimal: n } };
}

function buildReport(s: FormState): { report: Report; sent: string[] } {
  const values: IndicatorValue[] = [];
  const sent: string[] = [];
  for (const ind of s.indicators) {
    const { value } = parseValue(ind, s.raw.get(ind.code));
    if (!value) continue;
    values.push(value);
    sent.push(ind.code);
  }
  const report = {
    organizationCode: s.code,
    period: s.period,
    catalogVersion: s.report.catalogVersion ?? 0,
    values,
    narrative: {
      achievements: s.achievements,
      difficulties: s.difficulties,
      nextPeriodTasks: s.nextPeriodTasks,
      recommendations: s.recommendations.map((r, i) => ({ number: i + 1, text: r.text, answer: r.answer ?? '' })),
    },
  } as Report;
  return { report, sent };
}

async function validate(s: FormState): Promise<void> {
  if (formState !== s || !editable(s)) return;
  const seq = ++s.validateSeq;
  const { report, sent } = buildReport(s);
  let result: ValidationResult;
  try {
    result = await call<ValidationResult>('reporting', 'ValidateReport', { report });
  } catch (e) {
    if (e instanceof HttpError && e.status === 401) return s.ctx.goLogin();
    // A malformed request never reaches the rules; say so without losing the form.
    result = { valid: false, violations: e instanceof HttpError && e.violations.length ? e.violations : [{ field: '', description: String((e as Error).message) }], warnings: [] };
  }
  // An answer overtaken by a later one is dropped.
  if (formState !== s || seq < s.appliedSeq) return;
  s.appliedSeq = seq;
  s.validation = { result: { valid: result.valid, violations: result.violations ?? [], warnings: result.warnings ?? [] }, sent };
  renderMessages(s);
}

// "values[3].count" -> the field of the third value sent; narrative paths in
// either spelling (next_period_tasks / nextPeriodTasks).
function fieldOf(path: string, description: string, sent: string[], s: FormState): { key: FieldKey; missing: boolean } {
  const p = path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  let m = /^values\[(\d+)\]/.exec(p);
  if (m && sent[Number(m[1])]) return { key: `v:${sent[Number(m[1])]}`, missing: false };
  if (p === 'values') {
    const code = /^(\w+) has no value/.exec(description)?.[1];
    if (code && s.indicators.some((i) => i.code === code)) return { key: `v:${code}`, missing: true };
  }
  m = /^narrative\.recommendations\[(\d+)\]/.exec(p);
  if (m) return { key: `r:${m[1]}`, missing: false };
  m = /^narrative\.(achievements|difficulties|nextPeriodTasks)/.exec(p);
  if (m) return { key: `n:${m[1]}`, missing: false };
  return { key: 'form', missing: false };
}

function indicatorLabel(s: FormState, code: string): string {
  const ind = s.indicators.find((i) => i.code === code);
  return ind ? label(ind) : code;
}

// Every message at its field: errors (role=alert, aria-invalid), warnings
// in a softer style. A missing value is named at its field once the clerk
// has been there or tried to submit; before that only counted.
function renderMessages(s: FormState): void {
  if (formState !== s) return;
  const app = s.ctx.app;
  const errors = new Map<FieldKey, string[]>();
  const warnings = new Map<FieldKey, string[]>();
  const push = (map: Map<FieldKey, string[]>, key: FieldKey, text: string) => {
    if (!map.has(key)) map.set(key, []);
    if (!map.get(key)!.includes(text)) map.get(key)!.push(text);
  };
  const tr = (k: string) => t(k);
  const describeText = (text: string) => describe(text, (c) => indicatorLabel(s, c), tr);
  let hiddenMissing = 0;
  const local = new Set<FieldKey>();
  for (const ind of s.indicators) {
    const { error } = parseValue(ind, s.raw.get(ind.code));
    if (error) { push(errors, `v:${ind.code}`, error); local.add(`v:${ind.code}`); }
  }
  const sources: { violations: FieldViolation[]; sent: string[] }[] = [];
  if (s.rejected) sources.push(s.rejected);
  else if (s.validation) sources.push({ violations: s.validation.result.violations, sent: s.validation.sent });
  for (const src of sources) {
    for (const v of src.violations) {
      const { key, missing } = fieldOf(v.field, v.description, src.sent, s);
      if (local.has(key)) continue;
      if (missing && !s.touched.has(key) && !s.submitAttempted) { hiddenMissing++; continue; }
      push(errors, key, describeText(v.description));
    }
  }
  if (s.validation && !s.rejected) {
    for (const w of s.validation.result.warnings) {
      const { key } = fieldOf(w.field, w.description, s.validation.sent, s);
      push(warnings, key, describeText(w.description));
    }
  }
  for (const field of app.querySelectorAll<HTMLElement>('[data-testid="field"]')) {
    const key = field.dataset.key!;
    const msg = field.querySelector<HTMLElement>(':scope > .msg')!;
    const control = field.querySelector<HTMLElement>('input, textarea');
    const errs = errors.get(key) ?? [];
    const warns = warnings.get(key) ?? [];
    const text = JSON.stringify([errs, warns]);
    if (msg.dataset.text === text) continue;
    msg.dataset.text = text;
    clear(msg);
    for (const e of errs) msg.appendChild(el('p', { class: 'field-error', role: 'alert', 'data-testid': 'field-error' }, e));
    for (const w of warns) msg.appendChild(el('p', { class: 'field-warning', 'data-testid': 'field-warning' }, `⚠ ${w}`));
    field.classList.toggle('has-error', errs.length > 0);
    field.classList.toggle('has-warning', warns.length > 0);
    if (errs.length) control?.setAttribute('aria-invalid', 'true'); else control?.removeAttribute('aria-invalid');
  }
  const summary = app.querySelector<HTMLElement>('[data-testid="form-summary"]');
  if (!summary) return;
  let errorCount = 0;
  for (const [key, list] of errors) if (key !== 'form') errorCount += list.length;
  const warningCount = [...warnings.values()].reduce((n, l) => n + l.length, 0);
  const general = errors.get('form') ?? [];
  const state = !s.validation ? 'pending' : errorCount + general.length + hiddenMissing === 0 ? 'valid' : 'invalid';
  summary.dataset.state = state;
  summary.dataset.errors = String(errorCount + general.length);
  summary.dataset.seq = String(s.appliedSeq);
  clear(summary);
  const parts: string[] = [];
  if (errorCount) parts.push(t('nErrors').replace('{n}', String(errorCount)));
  if (hiddenMissing) parts.push(t('nMissing').replace('{n}', String(hiddenMissing)));
  if (warningCount) parts.push(t('nWarnings').replace('{n}', String(warningCount)));
  append(summary, el('p', { class: state === 'valid' ? 'ok' : 'muted' },
    state === 'pending' ? t('checking') : parts.length ? parts.join(' · ') : t('readyToSubmit')));
  for (const g of general) append(summary, el('p', { class: 'field-error', role: 'alert' }, g));
  // The first field with an error, one key press away.
  const first = [...errors.keys()].find((k) => k !== 'form');
  if (first) {
    const go = button(t('goToFirstError'), 'first-error', () => document.getElementById(fieldId(first))?.focus(), 'link-button');
    summary.appendChild(go);
  }
}

function setBanner(s: FormState, node: HTMLElement | null, answer = false): void {
  if (!s.banner) return;
  clear(s.banner);
  if (!node) return;
  s.banner.appendChild(node);
  if (!answer) return;
  // The answer to a button pressed at the bottom: shown where the clerk looks.
  node.scrollIntoView({ block: 'center' });
  node.querySelector<HTMLElement>('button')?.focus({ preventScroll: true });
}

function setSaveStatus(s: FormState, text: string): void {
  s.saveStatus = text;
  const status = s.ctx.app.querySelector('[data-testid="save-status"]');
  if (status) status.textContent = text;
}

function setBusy(s: FormState, busy: boolean): void {
  s.busy = busy;
  for (const b of s.ctx.app.querySelectorAll<HTMLButtonElement>('.form-actions button')) b.disabled = busy;
}

// Saves the draft; false when the service refused (the reason is on the page).
async function save(s: FormState): Promise<boolean> {
  if (s.busy) return false;
  setBusy(s, true);
  setSaveStatus(s, t('saving'));
  const { report, sent } = buildReport(s);
  report.draftVersion = s.draftVersion;
  try {
    const saved = await call<Report>('reporting', 'SaveDraft', { report });
    if (formState !== s) return false;
    s.draftVersion = saved.draftVersion ?? s.draftVersion + 1;
    s.report = { ...s.report, ...saved };
    s.dirty = false;
    setBanner(s, null);
    setSaveStatus(s, `${t('savedAt')} ${new Date().toLocaleTimeString(getLang() === 'en' ? 'en-GB' : 'vi-VN')}`);
    return true;
  } catch (e) {
    setSaveStatus(s, t('notSaved'));
    refused(s, e, sent);
    return false;
  } finally {
    setBusy(s, false);
  }
}

function refused(s: FormState, e: unknown, sent: string[]): void {
  if (e instanceof HttpError && e.status === 401) return s.ctx.goLogin();
  if (e instanceof HttpError && e.code === 'ABORTED') {
    // Someone saved the draft since it was loaded: nothing was overwritten,
    // and what this clerk typed stays on the page until they choose.
    const reload = button(t('loadTheirs'), 'reload-draft', () => void renderForm(s.ctx, s.code, s.period, true));
    setBanner(s, el('div', { class: 'conflict', role: 'alert', 'data-testid': 'conflict' },
      el('strong', {}, t('conflictTitle')), el('p', {}, e.message), el('p', { class: 'muted' }, t('conflictHelp')), reload), true);
    return;
  }
  if (e instanceof HttpError && e.status === 400 && e.violations.length) {
    s.rejected = { violations: e.violations, sent };
    renderMessages(s);
    setBanner(s, el('p', { class: 'field-error', role: 'alert', 'data-testid': 'refusal' }, t('fixErrors')), true);
    return;
  }
  setBanner(s, el('p', { class: 'field-error', role: 'alert', 'data-testid': 'refusal' },
    e instanceof HttpError && e.status === 403 ? t('forbidden') : `${t('error')}: ${(e as Error).message}`), true);
}

async function submit(s: FormState): Promise<void> {
  if (s.busy) return;
  s.submitAttempted = true;
  renderMessages(s);
  if (s.dirty || s.draftVersion === 0) {
    if (!(await save(s))) return;
  }
  setBusy(s, true);
  const { sent } = buildReport(s);
  try {
    await call<Report>('reporting', 'SubmitReport', { organizationCode: s.code, period: s.period });
  } catch (e) {
    setBusy(s, false);
    refused(s, e, sent);
    return;
  }
  setBusy(s, false);
  await renderForm(s.ctx, s.code, s.period, true);
  formState && setSaveStatus(formState, t('submittedOk'));
}

// ---------------------------------------------------------------------------
// Live: a review decision (or the report's arrival) reaches the screen
// ---------------------------------------------------------------------------

let refreshTimer: number | undefined;

export function onClerkChange(change: ReportChange): void {
  const s = formState;
  if (s && location.hash.startsWith('#/report/')) {
    if (change.organizationCode !== s.code || change.period !== s.period) return;
    if (s.dirty) {
      setBanner(s, el('div', { class: 'notice', role: 'alert', 'data-testid': 'changed-elsewhere' },
        `${t('changedElsewhere')} (${t(stateKeyOf(change.state))})`, ' ',
        button(t('reload'), 'reload-draft', () => void renderForm(s.ctx, s.code, s.period, true))));
      return;
    }
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(() => void followDecision(s, change), 200);
    return;
  }
  if (listCtx && location.hash.startsWith('#/reports')) {
    const ctx = listCtx;
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(() => void followList(ctx, change), 200);
  }
}

// The reporting service learns of a decision from the aggregator's feed a
// moment after the page does: wait (briefly) until it agrees, then redraw.
async function followDecision(s: FormState, change: ReportChange): Promise<void> {
  const decided = change.state === 'REPORT_STATE_RETURNED' || change.state === 'REPORT_STATE_ACCEPTED';
  for (let i = 0; i < 40 && decided; i++) {
    const draft = await call<Report>('reporting', 'GetDraft', { organizationCode: s.code, period: s.period }).catch(() => null);
    if (formState !== s) return;
    if (draft && draft.state === change.state) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (formState !== s || s.dirty) return;
  if (decided) await renderForm(s.ctx, s.code, s.period, true);
  else void loadTravel(s);
}

async function followList(ctx: PageContext, change: ReportChange): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const list = await call<{ reports: Report[] }>('reporting', 'ListReports', { organizationCode: change.organizationCode, period: change.period }).catch(() => null);
    const top = (list?.reports ?? []).reduce<Report | null>((a, r) => (!a || r.revision > a.revision ? r : a), null);
    if (top && top.state === change.state) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (listCtx === ctx && location.hash.startsWith('#/reports')) void renderPeriods(ctx);
}
