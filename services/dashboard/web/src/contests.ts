// The organiser's contest screens: the list (#/contests), the create form
// (#/contests/new) and one contest (#/contest/<id>): its state and what is
// still needed before the next one, entries, judges and panels, automatic
// assignment shown as a judges x entries matrix with manual changes, and
// nomination of prize winners upward. Called as the organiser: the
// competition service decides who may manage what.
import { HttpError } from './api';
import { append, clear, el } from './dom';
import {
  competition, Contest, ContestState, Entry, fill, fmt, isOrganiserOf, Judge, mayRegisterIn, mayWithdraw, nextState, num, Results, StateChange, violationsOf, w,
} from './contest_api';
import { clearOnInput, inputOf, labelled, loadContest, placeRefusal } from './contest_form';
import { t } from './i18n';
import { describe, PageContext, renderProblem } from './page';

function canOrganise(ctx: PageContext): boolean {
  return ctx.me.role === 'ROLE_NATIONAL_ADMIN' || ctx.me.role === 'ROLE_PROVINCE_REPORTER';
}

function stateBadge(s: ContestState): HTMLElement {
  return el('span', { class: `badge contest-${s.replace('CONTEST_STATE_', '').toLowerCase()}`, 'data-testid': 'contest-state', 'data-state': s }, w(s));
}

// ---------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------

export async function renderContestList(ctx: PageContext): Promise<void> {
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, w('loading')));
  let contests: Contest[];
  try {
    // A province sees its own contests, and the others open for entries
    // (where it registers its own); the national office all of them.
    const organizerCode = ctx.me.national ? '' : ctx.me.organizationCode;
    const [own, open] = await Promise.all([
      competition<{ contests: Contest[] }>('ListContests', { organizerCode }),
      organizerCode && ctx.me.role === 'ROLE_PROVINCE_REPORTER'
        ? competition<{ contests: Contest[] }>('ListContests', { state: 'CONTEST_STATE_OPEN' }) : Promise.resolve({ contests: [] }),
    ]);
    contests = [...own.contests, ...open.contests.filter((c) => !own.contests.some((o) => o.id === c.id))];
  } catch (e) {
    return renderProblem(ctx, e);
  }
  if (location.hash !== '#/contests') return;
  clear(ctx.app);
  contests = [...contests].sort((a, b) => b.year - a.year || Number(b.id) - Number(a.id));
  append(ctx.app, ctx.header(false), el('main', { class: 'contest-screen', 'data-testid': 'contest-list' },
    el('section', { class: 'card' },
      el('div', { class: 'section-head' }, el('h1', {}, w('contests')),
        canOrganise(ctx) ? el('a', { href: '#/contests/new', 'data-testid': 'new-contest' }, w('newContest')) : null),
      el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
        el('thead', {}, el('tr', {}, ...['#', w('title'), w('kind'), w('year'), w('state'), w('entries')].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...contests.map((c) => el('tr', { 'data-testid': 'contest-row', 'data-contest': c.id },
          el('td', {}, c.id),
          el('td', {}, el('a', { href: `#/contest/${c.id}` }, c.title)),
          el('td', {}, w(c.kind)),
          el('td', {}, String(c.year)),
          el('td', {}, stateBadge(c.state)),
          el('td', { class: 'num' }, String(c.entryCount))))))))));
}

// ---------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------

// The create form, and the same form for a contest already made
// (#/contest/<id>/edit): everything while it is a draft; once open, what the
// service still lets change (title, edition, windows, prizes, judges per
// entry), the rules entrants took part under shown but locked.
export function renderCreate(ctx: PageContext): void {
  drawContestForm(ctx, null);
}

export async function renderEdit(ctx: PageContext, id: string): Promise<void> {
  const c = await loadContest(ctx, id);
  if (!c) return;
  if (!isOrganiserOf(ctx.me, c) || c.state === 'CONTEST_STATE_AWARDED') {
    clear(ctx.app);
    return renderProblem(ctx, new HttpError(403, c.state === 'CONTEST_STATE_AWARDED' ? w('editAwarded') : 'forbidden'));
  }
  drawContestForm(ctx, c);
}

function drawContestForm(ctx: PageContext, existing: Contest | null): void {
  clear(ctx.app);
  if (!canOrganise(ctx)) return renderProblem(ctx, new HttpError(403, 'forbidden'));
  const national = existing ? existing.level === 'CONTEST_LEVEL_NATIONAL' : ctx.me.role === 'ROLE_NATIONAL_ADMIN';
  // Fields, criteria and the official score are the rules entrants and
  // judges take part under: fixed once the contest opens.
  const rulesFixed = existing !== null && existing.state !== 'CONTEST_STATE_DRAFT';
  const year = Number(ctx.me.today.slice(0, 4));
  const kinds = existing ? [existing.kind]
    : national ? ['CONTEST_KIND_NATIONAL', 'CONTEST_KIND_VIFOTEC'] : ['CONTEST_KIND_PROVINCIAL_TECH', 'CONTEST_KIND_YOUTH'];
  const kind = el('select', { name: 'kind', 'data-testid': 'in-kind', disabled: existing !== null }, ...kinds.map((k) => el('option', { value: k }, w(k))));
  const title = inputOf('text', 'title', existing?.title ?? '');
  title.size = 60;
  const edition = inputOf('number', 'edition', existing?.edition ?? 1);
  const yearIn = inputOf('number', 'year', existing?.year ?? year);
  const fields = el('textarea', { name: 'fields', rows: 3, 'data-testid': 'in-fields', disabled: rulesFixed });
  fields.value = existing?.fields.join('\n') ?? '';
  const regOpens = inputOf('date', 'registrationOpens', existing?.registrationOpens ?? ctx.me.today);
  const regCloses = inputOf('date', 'registrationCloses', existing?.registrationCloses ?? `${year}-12-31`);
  const judOpens = inputOf('date', 'judgingOpens', existing?.judgingOpens ?? `${year}-12-31`);
  const judCloses = inputOf('date', 'judgingCloses', existing?.judgingCloses ?? `${year}-12-31`);
  const minJudges = inputOf('number', 'minJudgesPerEntry', existing?.minJudgesPerEntry ?? 3);
  const rule = el('select', { name: 'scoreRule', 'data-testid': 'in-scoreRule', disabled: rulesFixed },
    ...['SCORE_RULE_TRIMMED_MEAN', 'SCORE_RULE_CALIBRATED'].map((r) => el('option', { value: r }, w(r))));
  if (existing?.scoreRule === 'SCORE_RULE_CALIBRATED') rule.value = 'SCORE_RULE_CALIBRATED';
  const p = existing?.prizes ?? { first: 1, second: 1, third: 1, consolation: 0, minScore: 0 };
  const prizeIns = {
    first: inputOf('number', 'first', p.first), second: inputOf('number', 'second', p.second),
    third: inputOf('number', 'third', p.third), consolation: inputOf('number', 'consolation', p.consolation), minScore: inputOf('number', 'minScore', p.minScore),
  };
  const critBody = el('tbody', {});
  const addCriterion = (code = '', name = '', weight = 1, max = 10) => {
    const i = critBody.children.length;
    const cells = [inputOf('text', `c-code`, code), inputOf('text', `c-name`, name), inputOf('number', `c-weight`, weight), inputOf('number', `c-max`, max)];
    cells[0].size = 12;
    for (const c of cells) c.disabled = rulesFixed;
    const del = el('button', { type: 'button', disabled: rulesFixed }, w('remove'));
    const row = el('tr', { 'data-testid': 'criterion-row' },
      ...cells.map((c, k) => el('td', { 'data-field': `criteria[${i}].${['code', 'name', 'weight', 'max_points'][k]}` }, c,
        el('span', { class: 'field-error', 'data-testid': 'field-error' }))),
      el('td', {}, del));
    del.addEventListener('click', () => row.remove());
    critBody.appendChild(row);
  };
  if (existing) {
    for (const k of existing.criteria) addCriterion(k.code, k.name, k.weight, num(k.maxPoints));
  } else {
    addCriterion('novelty', 'Tính mới, tính sáng tạo', 3, 10);
    addCriterion('applicability', 'Khả năng áp dụng', 2, 10);
    addCriterion('effectiveness', 'Hiệu quả kinh tế - xã hội', 2, 10);
  }
  const addBtn = el('button', { type: 'button', 'data-testid': 'add-criterion', disabled: rulesFixed }, w('addCriterion'));
  addBtn.addEventListener('click', () => addCriterion());
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'create-status' });
  const submit = el('button', { type: 'submit', 'data-testid': existing ? 'save-contest' : 'create' }, existing ? w('saveContest') : w('create'));
  const form = el('form', { class: 'card contest-form', 'data-testid': existing ? 'edit-form' : 'create-form', novalidate: true },
    el('h1', {}, existing ? fill(w('editContest'), { title: existing.title }) : w('newContest')),
    existing ? el('p', { class: 'muted', 'data-testid': 'edit-scope' }, rulesFixed ? fill(w('rulesFixed'), { state: w(existing.state) }) : w('draftNeeds')) : null,
    labelled(w('kind'), kind, 'kind'),
    labelled(w('title'), title, 'title'),
    labelled(w('edition'), edition, 'edition'),
    labelled(w('year'), yearIn, 'year'),
    labelled(w('fieldsHelp'), fields, 'fields'),
    labelled(w('registrationOpens'), regOpens, 'registration_opens'),
    labelled(w('registrationCloses'), regCloses, 'registration_closes'),
    labelled(w('judgingOpens'), judOpens, 'judging_opens'),
    labelled(w('judgingCloses'), judCloses, 'judging_closes'),
    el('h2', {}, w('criteria')),
    el('span', { class: 'field-error', 'data-testid': 'field-error', 'data-field': 'criteria' }),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data' }, el('thead', {}, el('tr', {}, ...[w('code'), w('name'), w('weight'), w('maxPoints'), ''].map((h) => el('th', {}, h)))), critBody)),
    addBtn,
    el('h2', {}, w('prizes')),
    el('span', { class: 'field-error', 'data-testid': 'field-error', 'data-field': 'prizes' }),
    el('div', { class: 'filters' },
      labelled(w('first'), prizeIns.first, 'prizes.first'), labelled(w('second'), prizeIns.second, 'prizes.second'),
      labelled(w('third'), prizeIns.third, 'prizes.third'), labelled(w('consolation'), prizeIns.consolation, 'prizes.consolation'),
      labelled(w('minScore'), prizeIns.minScore, 'prizes.min_score')),
    labelled(w('minJudges'), minJudges, 'min_judges_per_entry'),
    labelled(w('scoreRule'), rule, 'score_rule'),
    el('div', { class: 'actions' }, submit), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of form.querySelectorAll<HTMLElement>('.field-error')) e.textContent = '';
    const criteria = [...critBody.querySelectorAll('tr')].map((tr) => {
      const ins = tr.querySelectorAll('input');
      return { code: ins[0].value.trim(), name: ins[1].value.trim(), weight: Number(ins[2].value), maxPoints: Number(ins[3].value) };
    });
    const contest = {
      ...(existing ? { id: existing.id } : {}),
      kind: kind.value,
      organizerCode: existing ? existing.organizerCode : national ? 'VUSTA' : ctx.me.organizationCode,
      level: existing ? existing.level : national ? 'CONTEST_LEVEL_NATIONAL' : 'CONTEST_LEVEL_PROVINCIAL',
      edition: Number(edition.value), year: Number(yearIn.value), title: title.value.trim(),
      fields: fields.value.split('\n').map((s) => s.trim()).filter(Boolean),
      registrationOpens: regOpens.value, registrationCloses: regCloses.value,
      judgingOpens: judOpens.value, judgingCloses: judCloses.value,
      prizes: Object.fromEntries(Object.entries(prizeIns).map(([k, i]) => [k, Number(i.value)])),
      criteria, minJudgesPerEntry: Number(minJudges.value), scoreRule: rule.value,
    };
    submit.disabled = true;
    status.textContent = w('sending');
    try {
      const made = await competition<Contest>(existing ? 'UpdateContest' : 'CreateContest', { contest });
      location.hash = `#/contest/${made.id}`;
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'contest.', existing ? w('saveRefused') : w('formRefused'));
      status.dataset.state = 'refused';
    } finally {
      submit.disabled = false;
    }
  });
  append(ctx.app, ctx.header(false), el('main', { class: 'contest-screen' },
    el('a', { href: existing ? `#/contest/${existing.id}` : '#/contests' }, existing ? w('backToContest') : w('backToContests')), form));
}

// ---------------------------------------------------------------------------
// One contest
// ---------------------------------------------------------------------------

// panels: whether the caller may see the judges (organisers and the
// national office); a province looking at another's contest may not.
interface View { contest: Contest; entries: Entry[]; judges: Judge[]; panels: boolean; sheets: Map<string, number>; history: StateChange[] }

async function load(id: string): Promise<View> {
  const [contest, entries, judges, history] = await Promise.all([
    competition<Contest>('GetContest', { id }),
    competition<{ entries: Entry[] }>('ListEntries', { contestId: id, includeWithdrawn: true }),
    competition<{ judges: Judge[] }>('ListJudges', { contestId: id }).catch((e: unknown) => {
      if (e instanceof HttpError && e.status === 403) return null;
      throw e;
    }),
    competition<{ changes: StateChange[] }>('ListContestHistory', { contestId: id }).catch(() => ({ changes: [] })),
  ]);
  const sheets = new Map<string, number>();
  // Sheets per entry matter only while judging (what closing still needs).
  if (contest.state === 'CONTEST_STATE_JUDGING') {
    const counts = await Promise.all(entries.entries.map((e) =>
      competition<{ sheets: unknown[] }>('ListScoreSheets', { entryId: e.id }).then((r) => r.sheets.length).catch(() => 0)));
    entries.entries.forEach((e, i) => sheets.set(e.id, counts[i]));
  }
  return { contest, entries: entries.entries, judges: judges?.judges ?? [], panels: judges !== null, sheets, history: history.changes };
}

// What the page can see is still missing before the next state; the
// service checks again when asked and its reason is shown as it says it.
function missing(v: View): string[] {
  const c = v.contest;
  const out: string[] = [];
  const active = v.entries.filter((e) => !e.withdrawn);
  switch (c.state) {
    case 'CONTEST_STATE_DRAFT':
      out.push(w('draftNeeds'));
      break;
    case 'CONTEST_STATE_OPEN':
      if (active.length === 0) out.push(w('needEntries'));
      if (v.panels && v.judges.length === 0) out.push(w('needJudges'));
      break;
    case 'CONTEST_STATE_JUDGING': {
      const short = active.filter((e) => (v.sheets.get(e.id) ?? 0) < c.minJudgesPerEntry);
      const unassigned = active.filter((e) => e.judgeSubjects.length < c.minJudgesPerEntry);
      if (unassigned.length) out.push(fill(w('needAssign'), { n: unassigned.length, m: c.minJudgesPerEntry }));
      if (short.length) out.push(fill(w('needSheets'), { n: short.length, m: c.minJudgesPerEntry, list: short.map((e) => `${e.id} (${v.sheets.get(e.id) ?? 0})`).join(', ') }));
      if (c.scoreRule === 'SCORE_RULE_CALIBRATED') out.push(w('needCalibration'));
      break;
    }
    case 'CONTEST_STATE_CLOSED': {
      const p = c.prizes ?? { first: 0, second: 0, third: 0, consolation: 0, minScore: 0 };
      const total = p.first + p.second + p.third + p.consolation;
      if (total > active.length) out.push(fill(w('needPrizes'), { p: total, n: active.length }));
      break;
    }
    default:
      break;
  }
  return out;
}

function nextStepCard(ctx: PageContext, v: View, reload: () => void): HTMLElement {
  const c = v.contest;
  const next = nextState(c.state);
  const card = el('section', { class: 'card', 'data-testid': 'next-step' }, el('h2', {}, w('nextStep')));
  if (!next) {
    card.appendChild(el('p', {}, w('finalState')));
    return card;
  }
  const needs = missing(v);
  const blocking = needs.filter((n) => n !== w('draftNeeds') && n !== w('needCalibration'));
  card.appendChild(blocking.length
    ? el('div', { 'data-testid': 'missing' }, el('p', {}, w('stillNeeded')), el('ul', {}, ...needs.map((n) => el('li', {}, n))))
    : el('div', { 'data-testid': 'ready' }, el('p', {}, fill(w('readyFor'), { state: w(next) })), needs.length ? el('ul', {}, ...needs.map((n) => el('li', { class: 'muted' }, n))) : null));
  if (!isOrganiserOf(ctx.me, c)) return card;
  const note = el('input', { type: 'text', 'data-testid': 'transition-note', size: 40 });
  const force = el('input', { type: 'checkbox', 'data-testid': 'force' });
  const go = el('button', { type: 'button', 'data-testid': 'transition', 'data-to': next }, fill(w('moveTo'), { state: w(next) }));
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'transition-status' });
  go.addEventListener('click', async () => {
    go.disabled = true;
    status.textContent = w('sending');
    try {
      await competition('TransitionContest', { id: c.id, to: next, force: force.checked, note: note.value });
      reload();
    } catch (e) {
      status.textContent = `${w('refused')}: ${(e as Error).message}`;
      status.dataset.state = 'refused';
      go.disabled = false;
    }
  });
  append(card, el('label', {}, `${w('note')} `, note),
    next === 'CONTEST_STATE_CLOSED' ? el('label', { class: 'check' }, force, ` ${w('force')}`) : null,
    el('div', { class: 'actions' }, go), status);
  return card;
}

function conflict(j: Judge, e: Entry): boolean {
  return j.organizationCode === e.sourceOrganizationCode || j.organizationCode === e.sourceProvinceCode;
}

function matrixCard(ctx: PageContext, v: View, reload: () => void): HTMLElement {
  const c = v.contest;
  const active = v.entries.filter((e) => !e.withdrawn);
  const assigning = c.state === 'CONTEST_STATE_OPEN' || c.state === 'CONTEST_STATE_JUDGING';
  const mayAct = assigning && isOrganiserOf(ctx.me, c);
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'assign-status' });
  let avoided = 0;
  const rows = v.judges.map((j) => el('tr', { 'data-testid': 'matrix-row', 'data-judge': j.subject },
    el('th', { scope: 'row' }, j.name, el('div', { class: 'muted' }, `${j.subject} · ${j.organizationCode}`)),
    ...active.map((e) => {
      const on = e.judgeSubjects.includes(j.subject);
      const panel = j.fields.includes(e.field);
      const bad = conflict(j, e);
      if (bad && panel) avoided++;
      const mark = on ? '✓' : bad ? '✕' : panel ? '+' : '·';
      const kind = on ? 'on' : bad ? 'conflict' : panel ? 'free' : 'off';
      const cell = el('td', { class: `mx mx-${kind}`, 'data-testid': 'matrix-cell', 'data-entry': e.id, 'data-judge': j.subject, 'data-kind': kind });
      if (mayAct && (on || kind === 'free')) {
        const b = el('button', { type: 'button', 'aria-label': `${j.subject} / ${e.id}` }, mark);
        b.addEventListener('click', async () => {
          b.disabled = true;
          try {
            await competition('AssignJudge', { entryId: e.id, judgeSubject: j.subject, remove: on });
            reload();
          } catch (err) {
            status.textContent = `${w('refused')}: ${(err as Error).message}`;
            b.disabled = false;
          }
        });
        cell.appendChild(b);
      } else {
        cell.textContent = mark;
      }
      return cell;
    }),
    el('td', { class: 'num', 'data-testid': 'load' }, String(active.filter((e) => e.judgeSubjects.includes(j.subject)).length))));
  const foot = el('tr', {}, el('th', {}, w('judgesOfEntry')), ...active.map((e) =>
    el('td', { class: `num ${e.judgeSubjects.length < c.minJudgesPerEntry ? 'short' : ''}`, 'data-testid': 'entry-load', 'data-entry': e.id }, `${e.judgeSubjects.length}/${c.minJudgesPerEntry}`)), el('td', {}, ''));
  const auto = el('button', { type: 'button', 'data-testid': 'auto-assign', disabled: !mayAct }, w('autoAssign'));
  auto.addEventListener('click', async () => {
    auto.disabled = true;
    status.textContent = w('sending');
    try {
      const r = await competition<{ added: number }>('AutoAssign', { contestId: c.id });
      sessionStorage.setItem('fed.autoAssigned', fill(w('autoAssigned'), { n: r.added }));
      reload();
    } catch (e) {
      status.textContent = `${w('refused')}: ${(e as Error).message}`;
      auto.disabled = false;
    }
  });
  const said = sessionStorage.getItem('fed.autoAssigned');
  if (said) { status.textContent = said; sessionStorage.removeItem('fed.autoAssigned'); }
  return el('section', { class: 'card', 'data-testid': 'matrix' },
    el('h2', {}, w('matrix')),
    el('p', { class: 'muted' }, w('matrixHelp')),
    el('div', { class: 'actions' }, auto), status,
    el('div', { class: 'table-wrap' }, el('table', { class: 'data matrix' },
      el('thead', {}, el('tr', {}, el('th', {}, ''), ...active.map((e) => el('th', { title: e.title }, `#${e.id}`, el('div', { class: 'muted' }, e.field))), el('th', {}, w('load')))),
      el('tbody', {}, ...rows), el('tfoot', {}, foot))),
    el('p', { 'data-testid': 'conflicts-avoided' }, fill(w('conflictsAvoided'), { n: avoided })));
}

function judgesCard(ctx: PageContext, v: View, reload: () => void): HTMLElement {
  const c = v.contest;
  const card = el('section', { class: 'card', 'data-testid': 'judges' }, el('h2', {}, w('judgesPanels')),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, ...[w('judge'), w('subject'), w('organization'), w('field'), w('assigned')].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...v.judges.map((j) => el('tr', { 'data-testid': 'judge-row', 'data-judge': j.subject },
        el('td', {}, j.name), el('td', {}, j.subject), el('td', {}, j.organizationCode), el('td', {}, j.fields.join(', ')),
        el('td', { class: 'num' }, String(j.assigned))))))));
  if (!isOrganiserOf(ctx.me, c) || c.state === 'CONTEST_STATE_CLOSED' || c.state === 'CONTEST_STATE_AWARDED') return card;
  const subject = inputOf('text', 'judge-subject');
  const name = inputOf('text', 'judge-name');
  const org = inputOf('text', 'judge-org');
  org.size = 8;
  const boxes = c.fields.map((f) => {
    const b = el('input', { type: 'checkbox', value: f, checked: true, 'data-testid': 'judge-field' });
    return { b, node: el('label', { class: 'check' }, b, ` ${f}`) };
  });
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'judge-status' });
  const add = el('button', { type: 'submit', 'data-testid': 'add-judge' }, w('addJudge'));
  const form = el('form', { class: 'filters', 'data-testid': 'judge-form' },
    el('label', {}, `${w('subject')} `, subject), el('label', {}, `${w('name')} `, name), el('label', {}, `${w('organization')} `, org),
    ...boxes.map((x) => x.node), add, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    add.disabled = true;
    try {
      await competition('AddJudge', { judge: { contestId: c.id, subject: subject.value.trim(), name: name.value.trim(), organizationCode: org.value.trim(), fields: boxes.filter((x) => x.b.checked).map((x) => x.b.value) } });
      reload();
    } catch (e) {
      const vs = violationsOf(e);
      status.textContent = `${w('refused')}: ${vs.length ? vs.map((x) => `${x.field.replace(/^judge\./, '')}: ${x.description}`).join('; ') : (e as Error).message}`;
      add.disabled = false;
    }
  });
  card.appendChild(form);
  return card;
}

// Withdrawing asks why (the service keeps the reason with the entry).
function withdrawControl(e: Entry, status: HTMLElement, reload: () => void): HTMLElement {
  const slot = el('span', {});
  const open = el('button', { type: 'button', 'data-testid': 'withdraw' }, w('withdraw'));
  open.addEventListener('click', () => {
    const reason = el('input', { type: 'text', 'data-testid': 'withdraw-reason', 'aria-label': w('withdrawReason'), placeholder: w('withdrawReason') });
    const go = el('button', { type: 'button', 'data-testid': 'confirm-withdraw' }, w('confirmWithdraw'));
    const cancel = el('button', { type: 'button' }, w('cancel'));
    const error = el('span', { class: 'field-error', 'data-testid': 'field-error', 'data-field': 'reason' });
    go.addEventListener('click', async () => {
      go.disabled = true;
      error.textContent = '';
      try {
        await competition<Entry>('WithdrawEntry', { entryId: e.id, reason: reason.value.trim() });
        reload();
      } catch (err) {
        const vs = violationsOf(err);
        const at = vs.find((x) => x.field === 'reason');
        if (at) {
          error.textContent = describe(at.description, (code) => code, t);
          reason.setAttribute('aria-invalid', 'true');
        } else {
          status.textContent = `${w('refused')}: ${(err as Error).message}`;
          status.dataset.state = 'refused';
        }
        go.disabled = false;
      }
    });
    cancel.addEventListener('click', () => {
      clear(slot);
      slot.appendChild(open);
    });
    clear(slot);
    append(slot, el('span', { class: 'withdraw-form' }, reason, ' ', go, ' ', cancel, error));
    reason.focus();
  });
  slot.appendChild(open);
  return slot;
}

function entriesCard(ctx: PageContext, v: View, targets: Contest[], reload: () => void, prizes: Map<string, string>): HTMLElement {
  const c = v.contest;
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'nominate-status' });
  const rows = v.entries.map((e) => {
    const prize = prizes.get(e.id) ?? '';
    let nominate: HTMLElement | null = e.withdrawn
      ? el('span', { class: 'muted', 'data-testid': 'withdrawn' }, fill(w('withdrawnMark'), { reason: e.withdrawalReason }))
      : mayWithdraw(ctx.me, c, e) ? withdrawControl(e, status, reload) : null;
    if (c.state === 'CONTEST_STATE_AWARDED' && prize && prize !== 'PRIZE_NONE' && isOrganiserOf(ctx.me, c)) {
      if (targets.length) {
        const select = el('select', { 'data-testid': 'nominate-target', 'aria-label': w('nominateTo') }, ...targets.map((t) => el('option', { value: t.id }, t.title)));
        const b = el('button', { type: 'button', 'data-testid': 'nominate' }, w('nominate'));
        b.addEventListener('click', async () => {
          b.disabled = true;
          try {
            const made = await competition<Entry>('NominateEntry', { entryId: e.id, targetContestId: select.value });
            status.textContent = fill(w('nominated'), { id: e.id, nid: made.id });
            status.dataset.state = 'done';
          } catch (err) {
            status.textContent = `${w('refused')}: ${(err as Error).message}`;
            b.disabled = false;
          }
        });
        nominate = el('span', {}, select, ' ', b);
      } else {
        nominate = el('span', { class: 'muted' }, w('noTarget'));
      }
    }
    return el('tr', { 'data-testid': 'entry-row', 'data-entry': e.id, 'data-withdrawn': e.withdrawn ? 'true' : undefined, class: e.withdrawn ? 'withdrawn' : undefined },
      el('td', {}, e.id), el('td', {}, e.title), el('td', {}, e.field), el('td', {}, e.sourceOrganizationCode),
      el('td', {}, e.authors.map((a) => a.name).join(', ')),
      el('td', {}, e.submittedAt ? new Date(e.submittedAt).toLocaleDateString() : ''),
      el('td', {}, prize ? w(prize) : ''), el('td', {}, nominate));
  });
  return el('section', { class: 'card', 'data-testid': 'entries' },
    el('div', { class: 'section-head' }, el('h2', {}, `${w('entries')} (${v.entries.filter((e) => !e.withdrawn).length})`),
      mayRegisterIn(ctx.me, c) ? el('a', { href: `#/contest/${c.id}/entry`, 'data-testid': 'add-entry' }, w('addEntry')) : null),
    v.entries.length === 0 ? el('p', { class: 'muted' }, w('noEntries')) :
      el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
        el('thead', {}, el('tr', {}, ...['#', w('entry'), w('field'), w('source'), w('authors'), '', w('prize'), ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...rows))),
    status);
}

// While a contest is open its organiser watches entries arrive: the count
// is asked for every few seconds and a change offered as a reload, so that
// nothing being typed on the screen is lost.
const WATCH_MS = 5000;
let watchTimer: number | undefined;

function watchEntries(id: string, count: number, here: string, slot: HTMLElement, reload: () => void): void {
  window.clearTimeout(watchTimer);
  watchTimer = window.setTimeout(async () => {
    if (location.hash !== here || !slot.isConnected) return;
    try {
      const now = await competition<Contest>('GetContest', { id });
      if (now.entryCount !== count || now.state !== 'CONTEST_STATE_OPEN') {
        const b = el('button', { type: 'button', 'data-testid': 'show-new-entries' }, w('showNew'));
        b.addEventListener('click', reload);
        clear(slot);
        append(slot, fill(w('newEntries'), { n: now.entryCount }), ' ', b);
        return;
      }
    } catch {
      // A lost answer is asked again next time.
    }
    watchEntries(id, count, here, slot, reload);
  }, WATCH_MS);
}

export async function renderContest(ctx: PageContext, id: string): Promise<void> {
  const here = location.hash;
  window.clearTimeout(watchTimer);
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, w('loading')));
  let v: View;
  try {
    v = await load(id);
  } catch (e) {
    return renderProblem(ctx, e);
  }
  const c = v.contest;
  const prizes = new Map<string, string>();
  let targets: Contest[] = [];
  if (c.state === 'CONTEST_STATE_AWARDED') {
    const [res, open] = await Promise.all([
      competition<Results>('GetResults', { contestId: id }).catch(() => null),
      competition<{ contests: Contest[] }>('ListContests', { state: 'CONTEST_STATE_OPEN' }).catch(() => ({ contests: [] })),
    ]);
    for (const r of res?.results ?? []) prizes.set(r.entry.id, r.prize);
    targets = open.contests.filter((t) => t.level === 'CONTEST_LEVEL_NATIONAL' && t.id !== c.id);
  }
  if (location.hash !== here) return;
  const reload = () => void renderContest(ctx, id);
  const p = c.prizes ?? { first: 0, second: 0, third: 0, consolation: 0, minScore: 0 };
  const watchSlot = el('p', { class: 'notice-line', role: 'status', 'data-testid': 'entries-watch' });
  if (c.state === 'CONTEST_STATE_OPEN') watchEntries(c.id, c.entryCount, here, watchSlot, reload);
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('main', { class: 'contest-screen', 'data-testid': 'contest-page', 'data-contest': c.id },
    el('a', { href: '#/contests' }, w('backToContests')),
    el('section', { class: 'card' },
      el('div', { class: 'section-head' }, el('h1', {}, c.title), stateBadge(c.state)),
      isOrganiserOf(ctx.me, c) && c.state !== 'CONTEST_STATE_AWARDED'
        ? el('p', {}, el('a', { href: `#/contest/${c.id}/edit`, 'data-testid': 'edit-contest' }, w('edit'))) : null,
      el('p', { class: 'muted' }, `${w(c.kind)} · ${c.organizerCode} · ${w('edition')} ${c.edition} · ${c.year}`),
      el('p', {}, `${w('registrationOpens')} ${c.registrationOpens} → ${c.registrationCloses} · ${w('judgingOpens')} ${c.judgingOpens} → ${c.judgingCloses}`),
      el('p', {}, `${w('field')}: ${c.fields.join(', ')} · ${w('minJudges')}: ${c.minJudgesPerEntry} · ${w('scoreRule')}: ${w(c.scoreRule)}`),
      el('p', {}, `${w('prizes')}: ${w('first')} ${p.first}, ${w('second')} ${p.second}, ${w('third')} ${p.third}, ${w('consolation')} ${p.consolation}; ${w('minScore')} ${fmt(p.minScore)}`),
      el('div', { class: 'table-wrap' }, el('table', { class: 'data' }, el('thead', {}, el('tr', {}, ...[w('code'), w('criterion'), w('weight'), w('maxPoints')].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...c.criteria.map((k) => el('tr', {}, el('td', {}, k.code), el('td', {}, k.name), el('td', { class: 'num' }, String(k.weight)), el('td', { class: 'num' }, fmt(k.maxPoints))))))),
      c.state === 'CONTEST_STATE_CLOSED' || c.state === 'CONTEST_STATE_AWARDED'
        ? el('p', {}, el('a', { href: `#/contest/${c.id}/results`, 'data-testid': 'results-link' }, w('openResults'))) : null),
    watchSlot,
    nextStepCard(ctx, v, reload),
    entriesCard(ctx, v, targets, reload, prizes),
    v.panels ? judgesCard(ctx, v, reload) : null,
    v.panels ? matrixCard(ctx, v, reload) : null,
    v.history.length ? el('section', { class: 'card' }, el('h2', {}, w('history')), el('ul', {}, ...v.history.map((h) =>
      el('li', {}, `${h.at ? new Date(h.at).toLocaleString() : ''} · ${w(h.from)} → ${w(h.to)} · ${h.actor}${h.note ? ` · ${h.note}` : ''}`)))) : null));
}
