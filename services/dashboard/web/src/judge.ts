// A judge's screens: their assignments across contests with their progress
// (#/judge) and the score sheet of one entry (#/judge/<contest>/<entry>).
// Called as the judge: the competition service shows them only what is
// assigned to them and takes sheets only while the contest is JUDGING.
import { HttpError } from './api';
import { append, clear, el } from './dom';
import { getLang } from './i18n';
import { Assignment, Assignments, competition, Contest, Criterion, fill, fmt, ScoreSheet, violationsOf, w } from './contest_api';
import { PageContext, renderProblem } from './page';

interface Mine { contest: Contest; list: Assignments }

// Contests are few; the judge's own ones are those with an assignment.
async function myContests(): Promise<Mine[]> {
  const { contests } = await competition<{ contests: Contest[] }>('ListContests', {});
  const candidates = contests.filter((c) => c.state !== 'CONTEST_STATE_DRAFT');
  const lists = await Promise.all(candidates.map((c) =>
    competition<Assignments>('ListAssignments', { contestId: c.id }).catch(() => null)));
  const out: Mine[] = [];
  candidates.forEach((c, i) => {
    const list = lists[i];
    if (list && list.assignments.length > 0) out.push({ contest: c, list });
  });
  return out;
}

function progressBar(done: number, n: number, testid: string): HTMLElement {
  const bar = el('progress', { max: n, value: done, 'aria-label': fill(w('progress'), { done, n }) });
  return el('div', { class: 'progress', 'data-testid': testid, 'data-done': done, 'data-n': n },
    bar, el('span', {}, ` ${fill(w('progress'), { done, n })}`));
}

export async function renderJudgeHome(ctx: PageContext): Promise<void> {
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, w('loading')));
  let mine: Mine[];
  try {
    mine = await myContests();
  } catch (e) {
    return renderProblem(ctx, e);
  }
  if (location.hash !== '#/judge') return;
  clear(ctx.app);
  const main = el('main', { class: 'contest-screen', 'data-testid': 'judge-home' });
  append(main, el('section', { class: 'card' }, el('h1', {}, w('myAssignments'))));
  if (mine.length === 0) main.appendChild(el('section', { class: 'card' }, el('p', { class: 'muted', 'data-testid': 'no-assignments' }, w('noAssignments'))));
  for (const { contest, list } of mine) {
    const done = list.assignments.filter((a) => a.sheet).length;
    const rows = list.assignments.map((a) => assignmentRow(contest, a));
    main.appendChild(el('section', { class: 'card', 'data-testid': 'judge-contest', 'data-contest': contest.id },
      el('h2', {}, contest.title),
      el('p', { class: 'muted' }, `${w(contest.state)} · ${w('judgingCloses')}: ${contest.judgingCloses}`),
      progressBar(done, list.assignments.length, 'judge-progress'),
      el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
        el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, w('entry')), el('th', {}, w('field')),
          el('th', {}, w('state')), el('th', { class: 'num' }, w('total')), el('th', {}, ''))),
        el('tbody', {}, ...rows)))));
  }
  append(ctx.app, ctx.header(false), main);
}

function assignmentRow(contest: Contest, a: Assignment): HTMLElement {
  const open = contest.state === 'CONTEST_STATE_JUDGING';
  const action = a.sheet ? (open ? w('revise') : w('view')) : (open ? w('score') : w('view'));
  return el('tr', { 'data-testid': 'assignment', 'data-entry': a.entry.id },
    el('td', {}, a.entry.id),
    el('td', {}, a.entry.title),
    el('td', {}, a.entry.field),
    el('td', { 'data-testid': 'assignment-state' }, a.sheet ? fill(w('scored'), { r: a.sheet.revision }) : w('notScored')),
    el('td', { class: 'num' }, a.sheet ? fmt(a.sheet.total) : ''),
    el('td', {}, el('a', { href: `#/judge/${contest.id}/${a.entry.id}`, 'data-testid': 'open-sheet' }, action)));
}

// ---------------------------------------------------------------------------
// The score sheet
// ---------------------------------------------------------------------------

// What the page can tell before sending: empty, out of the criterion's
// bounds, more than two decimals. The service checks again and has the last word.
function localProblem(raw: string, c: Criterion): string {
  if (raw.trim() === '') return w('required');
  const v = Number(raw.replace(',', '.'));
  if (!isFinite(v) || v < 0 || v > c.maxPoints) return fill(w('outOfBounds'), { max: fmt(c.maxPoints) });
  if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6) return w('twoDecimals');
  return '';
}

// The service writes English; its bound refusal is said in the page's language.
function said(text: string): string {
  const m = /^([-\d.e+]+) is outside 0 to ([-\d.e+]+) for \w+$/.exec(text);
  return m ? fill(w('msgOutside'), { v: fmt(Number(m[1])), max: fmt(Number(m[2])) }) : text;
}

export async function renderSheet(ctx: PageContext, contestId: string, entryId: string): Promise<void> {
  const here = location.hash;
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, w('loading')));
  let contest: Contest;
  let list: Assignments;
  try {
    [contest, list] = await Promise.all([
      competition<Contest>('GetContest', { id: contestId }),
      competition<Assignments>('ListAssignments', { contestId }),
    ]);
  } catch (e) {
    return renderProblem(ctx, e);
  }
  if (location.hash !== here) return;
  const a = list.assignments.find((x) => x.entry.id === entryId);
  if (!a) return renderProblem(ctx, new HttpError(403, 'not assigned'));
  const open = contest.state === 'CONTEST_STATE_JUDGING';
  const done = list.assignments.filter((x) => x.sheet).length;

  const inputs = new Map<string, { input: HTMLInputElement; msg: HTMLElement; c: Criterion }>();
  const totalOut = el('output', { 'data-testid': 'sheet-total' });
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'sheet-status' });
  const commentMsg = el('span', { class: 'field-error', 'data-testid': 'field-error' });
  const comment = el('textarea', { id: 'sheet-comment', rows: 4, 'data-testid': 'sheet-comment', disabled: !open });
  comment.value = a.sheet?.comment ?? '';

  const showProblem = (key: string, text: string, source: 'page' | 'service') => {
    const slot = key === 'comment' ? { input: comment, msg: commentMsg } : inputs.get(key);
    if (!slot) return false;
    slot.msg.textContent = text;
    slot.msg.dataset.source = text ? source : '';
    if (text) slot.input.setAttribute('aria-invalid', 'true'); else slot.input.removeAttribute('aria-invalid');
    return true;
  };
  const recompute = () => {
    let total = 0;
    let complete = true;
    for (const { input, c } of inputs.values()) {
      const problem = localProblem(input.value, c);
      showProblem(c.code, problem, 'page');
      if (problem) complete = false; else total += c.weight * Number(input.value.replace(',', '.'));
    }
    totalOut.textContent = complete ? fmt(total) : '—';
  };

  const rows = list.criteria.map((c) => {
    const given = a.sheet?.scores.find((s) => s.criterionCode === c.code);
    const input = el('input', {
      type: 'number', id: `pts-${c.code}`, min: 0, max: c.maxPoints, step: '0.01', inputmode: 'decimal',
      'data-testid': 'points', 'data-criterion': c.code, disabled: !open, 'aria-describedby': `err-${c.code}`,
    });
    if (given) input.value = String(given.points);
    const msg = el('span', { class: 'field-error', id: `err-${c.code}`, 'data-testid': 'field-error', 'data-criterion': c.code, role: 'alert' });
    inputs.set(c.code, { input, msg, c });
    input.addEventListener('input', recompute);
    return el('tr', { 'data-testid': 'criterion', 'data-criterion': c.code },
      el('th', { scope: 'row' }, el('label', { for: `pts-${c.code}` }, c.name), el('div', { class: 'muted' }, c.code)),
      el('td', { class: 'num' }, `× ${c.weight}`),
      el('td', { class: 'num' }, fmt(c.maxPoints)),
      el('td', {}, input, el('div', {}, msg)));
  });

  const submit = el('button', { type: 'submit', 'data-testid': 'submit-sheet', disabled: !open }, a.sheet ? w('submitRevision') : w('submitSheet'));
  const form = el('form', { class: 'sheet', 'data-testid': 'sheet-form', novalidate: true },
    el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, el('th', {}, w('criterion')), el('th', { class: 'num' }, w('weight')),
        el('th', { class: 'num' }, w('maxPoints')), el('th', {}, w('points')))),
      el('tbody', {}, ...rows),
      el('tfoot', {}, el('tr', {}, el('th', { colspan: 3 }, w('total')), el('td', {}, totalOut)))),
    el('label', { for: 'sheet-comment' }, w('comment')), comment, el('div', {}, commentMsg),
    el('div', { class: 'actions' }, submit), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    recompute();
    // Sent even when the page sees a problem: the service is the judge of
    // the bounds, and its refusal lands at the same fields.
    const sheet = {
      entryId,
      scores: list.criteria.map((c) => ({ criterionCode: c.code, points: Number(inputs.get(c.code)!.input.value.replace(',', '.')) || 0 })),
      comment: comment.value,
    };
    submit.disabled = true;
    status.textContent = w('sending');
    status.dataset.state = 'sending';
    try {
      const saved = await competition<ScoreSheet>('SubmitScoreSheet', { sheet });
      a.sheet = saved;
      status.textContent = fill(w('sheetSaved'), { r: saved.revision });
      status.dataset.state = 'saved';
      submit.textContent = w('submitRevision');
      revision.textContent = fill(w('scored'), { r: saved.revision });
      const n = list.assignments.filter((x) => x.sheet).length;
      progress.replaceWith(progress = progressBar(n, list.assignments.length, 'judge-progress'));
    } catch (e) {
      const violations = violationsOf(e);
      let placed = 0;
      for (const v of violations) {
        const m = /scores\[(\d+)\]\.points$/.exec(v.field);
        if (m && list.criteria[Number(m[1])] && showProblem(list.criteria[Number(m[1])].code, said(v.description), 'service')) placed++;
        else if (/comment$/.test(v.field) && showProblem('comment', v.description, 'service')) placed++;
      }
      const unplaced = violations.filter((v) => !/scores\[\d+\]\.points$|comment$/.test(v.field)).map((v) => `${v.field}: ${v.description}`);
      status.textContent = placed > 0 ? [w('sheetRefused'), ...unplaced].join(' ') : `${w('refused')}: ${(e as Error).message}`;
      status.dataset.state = 'refused';
    } finally {
      submit.disabled = !open;
    }
  });

  const revision = el('span', { 'data-testid': 'sheet-revision' }, a.sheet ? fill(w('scored'), { r: a.sheet.revision }) : w('notScored'));
  let progress = progressBar(done, list.assignments.length, 'judge-progress');
  clear(ctx.app);
  const authors = a.entry.authors.map((x) => x.role ? `${x.name} (${x.role})` : x.name).join(', ');
  append(ctx.app, ctx.header(false), el('main', { class: 'contest-screen', 'data-testid': 'sheet-page' },
    el('a', { href: '#/judge' }, w('backToAssignments')),
    el('section', { class: 'card' },
      el('h1', {}, `${w('entry')} ${a.entry.id}: ${a.entry.title}`),
      el('p', { class: 'muted' }, `${contest.title} · ${w('field')}: ${a.entry.field}`),
      authors ? el('p', {}, `${w('authors')}: ${authors}`) : null,
      a.entry.summary ? el('p', {}, `${w('summary')}: ${a.entry.summary}`) : null,
      el('p', {}, revision, a.sheet?.updatedAt ? ` · ${new Date(a.sheet.updatedAt).toLocaleString(getLang() === 'en' ? 'en-GB' : 'vi-VN')}` : ''),
      progress),
    el('section', { class: 'card' },
      open ? null : el('p', { class: 'note', 'data-testid': 'sheet-readonly' }, fill(w('sheetReadOnly'), { state: w(contest.state) })),
      form)));
  recompute();
  // Nothing typed yet is no mistake: only the typed fields say so.
  if (!a.sheet) for (const c of list.criteria) showProblem(c.code, '', 'page');
}
