// The national reviewer's screens: the review queue of a period (#/review)
// and one report (#/review/<code>/<period>): its values against the
// province's previous period and its cluster, the difference from the
// previous revision, and the decision. Called as the reviewer: the
// aggregator's role rules decide who may accept, return or reopen.
import { Board, call, CountedValuesResponse, get, HttpError, Indicator, q, Report, ReportChange, ReporterStatus } from './api';
import { append, clear, el } from './dom';
import { fmtNumber, fmtTime, getLang, t } from './i18n';
import { describe, isReviewer, PageContext, previousPeriod, renderProblem, stateKeyOf } from './page';

type QueueFilter = 'submitted' | 'returned' | 'accepted' | 'all';

let queueCtx: PageContext | null = null;
let reviewState: { ctx: PageContext; code: string; period: string } | null = null;
let refreshTimer: number | undefined;

function label(ind: Indicator): string {
  return getLang() === 'en' ? ind.labelEn : ind.labelVi;
}

function refuseUnlessReviewer(ctx: PageContext): boolean {
  if (ctx.me.national && (isReviewer(ctx.me) || ctx.me.role === 'ROLE_VIEWER')) return false;
  renderProblem(ctx, new HttpError(403, 'forbidden'));
  return true;
}

function clusterOf(board: Board, code: string): Board['clusters']['clusters'][number] | undefined {
  return board.clusters.clusters.find((c) => c.memberCodes.includes(code));
}

// ---------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------

export async function renderQueue(ctx: PageContext): Promise<void> {
  // A refresh timed before the reviewer moved on draws nothing.
  if (location.hash !== '#/review') return;
  reviewState = null;
  queueCtx = ctx;
  if (refuseUnlessReviewer(ctx)) return;
  const period = ctx.period;
  clear(ctx.app);
  append(ctx.app, ctx.header(true), el('p', { class: 'loading' }, t('loading')));
  let board: Board;
  try {
    board = await get<Board>(`/api/board?${q({ period })}`);
  } catch (e) {
    return renderProblem(ctx, e, true);
  }
  if (queueCtx !== ctx || location.hash !== '#/review') return;
  let cluster = sessionStorage.getItem('fed.reviewCluster') ?? '';
  let filter = (sessionStorage.getItem('fed.reviewState') ?? 'submitted') as QueueFilter;
  const list = el('div', { class: 'table-wrap queue-wrap' });
  const count = el('p', { class: 'muted', 'data-testid': 'queue-count', role: 'status' });
  const draw = () => {
    const rows = board.completeness.reporters
      .filter((r) => r.state !== 'REPORT_STATE_UNSPECIFIED' && r.state !== 'REPORT_STATE_DRAFT')
      .filter((r) => filter === 'all' || stateKeyOf(r.state) === filter)
      .filter((r) => !cluster || String(clusterOf(board, r.organizationCode)?.number ?? '') === cluster)
      // Oldest first: who has waited longest is reviewed first.
      .sort((a, b) => (a.firstSubmittedAt ?? '9').localeCompare(b.firstSubmittedAt ?? '9') || a.organizationCode.localeCompare(b.organizationCode));
    count.textContent = t('queueCount').replace('{n}', String(rows.length));
    clear(list);
    if (rows.length === 0) {
      list.appendChild(el('p', { class: 'muted', 'data-testid': 'queue-empty' }, t('queueEmpty')));
      return;
    }
    list.appendChild(queueTable(board, rows, period));
  };
  const clusterSelect = el('select', { id: 'queue-cluster', 'data-testid': 'queue-cluster' }, el('option', { value: '' }, t('allClusters')));
  for (const c of board.clusters.clusters) {
    const opt = el('option', { value: String(c.number) }, c.name || `${t('cluster')} ${c.number}`);
    if (String(c.number) === cluster) opt.selected = true;
    clusterSelect.appendChild(opt);
  }
  if (cluster && !board.clusters.clusters.some((c) => String(c.number) === cluster)) cluster = '';
  clusterSelect.addEventListener('change', () => {
    cluster = clusterSelect.value;
    sessionStorage.setItem('fed.reviewCluster', cluster);
    draw();
  });
  const stateSelect = el('select', { id: 'queue-state', 'data-testid': 'queue-state' });
  for (const f of ['submitted', 'returned', 'accepted', 'all'] as QueueFilter[]) {
    const opt = el('option', { value: f }, f === 'all' ? t('allReceived') : t(f));
    if (f === filter) opt.selected = true;
    stateSelect.appendChild(opt);
  }
  stateSelect.addEventListener('change', () => {
    filter = stateSelect.value as QueueFilter;
    sessionStorage.setItem('fed.reviewState', filter);
    draw();
  });
  clear(ctx.app);
  append(ctx.app, ctx.header(true), el('main', { class: 'review', 'data-testid': 'queue', 'data-period': period },
    el('a', { href: '#/', class: 'back' }, t('back')),
    el('section', { class: 'card' },
      el('h1', {}, `${t('reviewQueue')} · ${period}`),
      el('div', { class: 'filters' },
        el('label', { for: 'queue-cluster' }, t('cluster')), clusterSelect,
        el('label', { for: 'queue-state' }, t('state')), stateSelect),
      count,
      list)));
  draw();
}

function queueTable(board: Board, rows: ReporterStatus[], period: string): HTMLElement {
  const body = el('tbody');
  rows.forEach((r, i) => {
    const key = stateKeyOf(r.state);
    const c = clusterOf(board, r.organizationCode);
    body.appendChild(el('tr', { 'data-testid': 'queue-row', 'data-code': r.organizationCode, 'data-state': key },
      el('td', { class: 'num' }, i + 1),
      el('td', {}, el('a', { href: `#/review/${encodeURIComponent(r.organizationCode)}/${period}`, 'data-testid': 'queue-open' },
        r.organizationName || r.organizationCode), el('span', { class: 'muted' }, ` ${r.organizationCode}`)),
      el('td', {}, c ? c.name || String(c.number) : ''),
      el('td', { class: 'num' }, r.latestRevision),
      el('td', {}, fmtTime(r.firstSubmittedAt), r.late ? el('span', { class: 'badge-late' }, t('late')) : null),
      el('td', {}, el('span', { class: `pill state-${key}` }, t(key)))));
  });
  return el('table', { class: 'table', 'data-testid': 'queue-table' },
    el('thead', {}, el('tr', {},
      el('th', { class: 'num' }, '#'), el('th', {}, t('organization')), el('th', {}, t('cluster')),
      el('th', { class: 'num' }, t('revision')), el('th', {}, t('firstSubmitted')), el('th', {}, t('state')))),
    body);
}

// ---------------------------------------------------------------------------
// One report
// ---------------------------------------------------------------------------

function numbers(resp: CountedValuesResponse | null, code: string): Map<string, number> {
  const out = new Map<string, number>();
  const org = resp?.organizations.find((o) => o.organizationCode === code);
  if (!resp || !org?.present) return out;
  resp.indicatorCodes.forEach((c, i) => {
    const v = Number(org.values[i]);
    if (Number.isFinite(v)) out.set(c, v);
  });
  return out;
}

function valueOf(r: Report | undefined, code: string): number | undefined {
  const v = r?.values?.find((x) => x.code === code);
  if (!v) return undefined;
  if (v.count !== undefined) return Number(v.count);
  if (v.decimal !== undefined) return v.decimal;
  if (v.flag !== undefined) return v.flag ? 1 : 0;
  return undefined;
}

function shown(ind: Indicator, v: number | undefined): string {
  if (v === undefined) return '—';
  if (ind.type === 'INDICATOR_TYPE_BOOLEAN') return v ? t('yes') : t('no');
  return fmtNumber(v);
}

// The reporting service's rule for an implausible jump (CompareWithPrevious):
// a stock more than doubled or halved from 10 up, a flow five times from 2 up.
function jumped(ind: Indicator, now: number, then: number): boolean {
  if (ind.type === 'INDICATOR_TYPE_BOOLEAN') return false;
  const stock = ['members', 'intellectuals', 'member_associations', 'collective_members', 'affiliated_units', 'staff'].includes(ind.code);
  return stock ? then >= 10 && (now > 2 * then || now < then / 2) : then >= 2 && now > 5 * then;
}

// Far from the cluster: more than three times its average, or under a third.
function offCluster(ind: Indicator, now: number, average: number): boolean {
  if (ind.type === 'INDICATOR_TYPE_BOOLEAN' || average < 5) return false;
  return now > 3 * average || now < average / 3;
}

export async function renderReview(ctx: PageContext, code: string, period: string, keepComment = ''): Promise<void> {
  const here = () => location.hash === `#/review/${encodeURIComponent(code)}/${period}`;
  // A refresh timed before the reviewer moved on draws nothing.
  if (!here()) return;
  queueCtx = null;
  reviewState = { ctx, code, period };
  const mine = reviewState;
  if (refuseUnlessReviewer(ctx)) return;
  const started = performance.now();
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, t('loading')));
  const prev = previousPeriod(period);
  let revisions: Report[];
  let board: Board | null;
  try {
    [revisions, board] = await Promise.all([
      call<{ revisions: Report[] }>('aggregator', 'ListRevisions', { organizationCode: code, period }).then((r) => r.revisions ?? []),
      get<Board>(`/api/board?${q({ period })}`).catch(() => null),
    ]);
  } catch (e) {
    return here() ? renderProblem(ctx, e) : undefined;
  }
  if (reviewState !== mine || !here()) return;
  if (revisions.length === 0) return renderProblem(ctx, new Error(t('noReport')));
  const cluster = board ? clusterOf(board, code) : undefined;
  const peers = (cluster?.memberCodes ?? []).filter((c) => c !== code);
  // The previous period as it counts (accepted); the cluster in this period
  // including reports still awaiting review, which most of them are while a
  // queue is worked through, else (an early report: no peer has reported
  // yet) the cluster's previous period.
  const counted = (p: string, codes: string[], includeSubmitted: boolean) => p && codes.length
    ? call<CountedValuesResponse>('aggregator', 'GetCountedValues', { period: p, organizationCodes: codes, includeSubmitted }).catch(() => null)
    : Promise.resolve(null);
  const [previous, peersNow, peersBefore, latestState] = await Promise.all([
    counted(prev, [code], false),
    counted(period, peers, true),
    counted(prev, peers, false),
    call<Report>('aggregator', 'GetReport', { organizationCode: code, period, revision: 0 }).catch(() => null),
  ]);
  if (reviewState !== mine || !here()) return;
  const latest = revisions[revisions.length - 1];
  // ListRevisions gives each revision's own outcome; the report's current
  // state (e.g. returned after a reopen) is GetReport's.
  const state = latestState?.revision === latest.revision ? latestState.state : latest.state;
  const before = revisions.length > 1 ? revisions[revisions.length - 2] : undefined;
  const prevValues = numbers(previous, code);
  let peerMaps = peers.map((p) => numbers(peersNow, p)).filter((m) => m.size > 0);
  let clusterPeriod = period;
  if (peerMaps.length === 0) {
    peerMaps = peers.map((p) => numbers(peersBefore, p)).filter((m) => m.size > 0);
    clusterPeriod = prev;
  }
  const name = board?.completeness.reporters.find((r) => r.organizationCode === code)?.organizationName || code;
  const indicators = ctx.me.catalog.indicators;

  const body = el('tbody');
  let flags = 0;
  for (const ind of indicators) {
    const now = valueOf(latest, ind.code);
    const old = before ? valueOf(before, ind.code) : undefined;
    const then = prevValues.get(ind.code);
    const peerList = peerMaps.map((m) => m.get(ind.code)).filter((v): v is number => v !== undefined);
    const average = peerList.length ? peerList.reduce((a, b) => a + b, 0) / peerList.length : undefined;
    const jump = now !== undefined && then !== undefined && jumped(ind, now, then);
    const far = now !== undefined && average !== undefined && offCluster(ind, now, average);
    const changedSince = before !== undefined && old !== now;
    if (jump || far) flags++;
    body.appendChild(el('tr', {
      'data-testid': 'review-row', 'data-code': ind.code, 'data-flagged': jump || far ? 'true' : 'false',
      'data-changed': changedSince ? 'true' : 'false', class: jump || far ? 'flagged' : '',
    },
      el('th', { scope: 'row' }, label(ind)),
      el('td', { class: `num${changedSince ? ' changed' : ''}` }, shown(ind, now)),
      el('td', { class: 'num muted' }, before ? shown(ind, old) : ''),
      el('td', { class: 'num' }, shown(ind, then)),
      el('td', { class: 'num' }, average === undefined ? '—'
        : `${ind.type === 'INDICATOR_TYPE_BOOLEAN' ? `${Math.round(average * 100)}%` : fmtNumber(average)} (${peerList.length})`),
      el('td', {},
        jump ? el('span', { class: 'badge badge-jump', 'data-testid': 'flag-jump' }, t('flagJump')) : null,
        far ? el('span', { class: 'badge badge-far', 'data-testid': 'flag-cluster' }, t('flagCluster')) : null)));
  }
  const table = el('table', { class: 'table review-table', 'data-testid': 'review-table' },
    el('caption', {}, t('valuesAgainst')),
    el('thead', {}, el('tr', {},
      el('th', {}, t('indicator')),
      el('th', { class: 'num' }, `${t('revision')} ${latest.revision}`),
      el('th', { class: 'num' }, before ? `${t('revision')} ${before.revision}` : ''),
      el('th', { class: 'num' }, `${prev}`),
      el('th', { class: 'num', 'data-testid': 'cluster-period', 'data-period': clusterPeriod }, `${t('clusterAverage')} ${clusterPeriod} (n)`),
      el('th', {}, t('flags')))),
    body);

  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('main', { class: 'review', 'data-testid': 'review', 'data-code': code, 'data-period': period, 'data-revision': latest.revision, 'data-state': stateKeyOf(state) },
    el('a', { href: '#/review', class: 'back' }, t('backToQueue')),
    el('section', { class: 'card' },
      el('h1', {}, `${name} · ${period}`),
      el('p', {}, el('span', { class: `pill state-${stateKeyOf(state)}`, 'data-testid': 'review-state' }, t(stateKeyOf(state))),
        ` · ${t('revision')} ${latest.revision} · ${t('submittedAt')} ${fmtTime(latest.submittedAt)}`,
        latest.receivedAt && latest.receivedAt !== latest.submittedAt ? ` · ${t('receivedAt')} ${fmtTime(latest.receivedAt)}` : '',
        cluster ? ` · ${cluster.name || `${t('cluster')} ${cluster.number}`}` : ''),
      el('p', { class: flags ? 'notice' : 'muted', 'data-testid': 'flag-count' }, flags ? t('nFlags').replace('{n}', String(flags)) : t('noFlags'))),
    decisionCard(ctx, code, period, latest, state, keepComment),
    el('section', { class: 'card' }, el('h2', {}, t('revisionDiff')), revisionDiff(indicators, latest, before)),
    el('section', { class: 'card' }, el('div', { class: 'table-wrap review-wrap' }, table)),
    el('section', { class: 'card narrative', 'data-testid': 'review-narrative' }, el('h2', {}, t('narrative')), narrativeBlock(latest)),
    el('section', { class: 'card' }, el('h2', {}, t('history')), historyTable(revisions))));
  ctx.app.querySelector('[data-testid="review"]')?.setAttribute('data-open-ms', String(Math.round(performance.now() - started)));
}

function narrativeBlock(r: Report): HTMLElement {
  const n = r.narrative;
  return el('div', {},
    el('h3', {}, t('achievements')), el('p', {}, n?.achievements ?? ''),
    el('h3', {}, t('difficulties')), el('p', {}, n?.difficulties ?? ''),
    el('h3', {}, t('recommendations')),
    el('ol', {}, ...(n?.recommendations ?? []).map((x) => el('li', {}, x.text, x.answer ? el('em', {}, ` — ${x.answer}`) : null))),
    el('h3', {}, t('nextTasks')), el('p', {}, n?.nextPeriodTasks ?? ''));
}

function revisionDiff(indicators: Indicator[], latest: Report, before: Report | undefined): HTMLElement {
  if (!before) return el('p', { class: 'muted', 'data-testid': 'revision-diff', 'data-changes': '0' }, t('firstRevision'));
  const items: HTMLElement[] = [];
  for (const ind of indicators) {
    const a = valueOf(before, ind.code);
    const b = valueOf(latest, ind.code);
    if (a === b) continue;
    items.push(el('li', { 'data-testid': 'diff-item', 'data-code': ind.code },
      el('strong', {}, label(ind)), ': ', el('del', {}, shown(ind, a)), ' → ', el('ins', {}, shown(ind, b))));
  }
  const texts: [string, (r: Report) => string][] = [
    ['achievements', (r) => r.narrative?.achievements ?? ''],
    ['difficulties', (r) => r.narrative?.difficulties ?? ''],
    ['recommendations', (r) => (r.narrative?.recommendations ?? []).map((x) => `${x.number}. ${x.text}`).join('\n')],
    ['nextTasks', (r) => r.narrative?.nextPeriodTasks ?? ''],
  ];
  for (const [key, get] of texts) {
    if (get(before) === get(latest)) continue;
    items.push(el('li', { 'data-testid': 'diff-item', 'data-code': key },
      el('strong', {}, t(key)), ':',
      el('div', { class: 'diff-text' }, el('del', {}, get(before))),
      el('div', { class: 'diff-text' }, el('ins', {}, get(latest)))));
  }
  return el('div', { 'data-testid': 'revision-diff', 'data-changes': items.length },
    el('p', { class: 'muted' }, t('diffFrom').replace('{from}', String(before.revision)).replace('{to}', String(latest.revision)),
      before.reviewComment ? ` · ${t('comment')}: ${before.reviewComment}` : ''),
    items.length ? el('ul', { class: 'diff' }, ...items) : el('p', {}, t('noDifference')));
}

function historyTable(revisions: Report[]): HTMLElement {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'table', 'data-testid': 'history' },
    el('thead', {}, el('tr', {}, el('th', {}, t('revision')), el('th', {}, t('state')), el('th', {}, t('submittedAt')),
      el('th', {}, t('decidedBy')), el('th', {}, t('comment')))),
    el('tbody', {}, ...[...revisions].reverse().map((r) => el('tr', { 'data-revision': r.revision },
      el('td', {}, r.revision), el('td', {}, el('span', { class: `pill state-${stateKeyOf(r.state)}` }, t(stateKeyOf(r.state)))),
      el('td', {}, fmtTime(r.submittedAt)), el('td', {}, r.decidedBy), el('td', { class: 'comment-cell' }, r.reviewComment))))));
}

function decisionCard(ctx: PageContext, code: string, period: string, latest: Report, state: string, keepComment: string): HTMLElement {
  const key = stateKeyOf(state);
  const admin = ctx.me.role === 'ROLE_NATIONAL_ADMIN';
  const card = el('section', { class: 'card decision', 'data-testid': 'decision' }, el('h2', {}, t('decision')));
  if (!isReviewer(ctx.me)) {
    append(card, el('p', { class: 'muted' }, t('readOnlyViewer')));
    return card;
  }
  const canDecide = key === 'submitted';
  const canReopen = key === 'accepted' && admin;
  if (!canDecide && !canReopen) {
    append(card, el('p', { class: 'muted', 'data-testid': 'no-decision' },
      key === 'accepted' ? t('acceptedNoReopen') : key === 'returned' ? t('awaitingNewRevision') : ''));
    return card;
  }
  const comment = el('textarea', { id: 'review-comment', rows: 3, 'aria-describedby': 'review-comment-msg', 'data-testid': 'review-comment-input' });
  comment.value = keepComment;
  const msg = el('div', { id: 'review-comment-msg', class: 'msg' });
  const status = el('p', { role: 'status', 'data-testid': 'decision-status' });
  const act = async (method: 'AcceptReport' | 'ReturnReport' | 'ReopenReport') => {
    clear(msg);
    comment.removeAttribute('aria-invalid');
    if (method !== 'AcceptReport' && comment.value.trim() === '') {
      comment.setAttribute('aria-invalid', 'true');
      msg.appendChild(el('p', { class: 'field-error', role: 'alert', 'data-testid': 'comment-required' }, t('commentRequired')));
      comment.focus();
      return;
    }
    for (const b of card.querySelectorAll('button')) b.disabled = true;
    status.textContent = t('sending');
    try {
      await call<Report>('aggregator', method, { organizationCode: code, period, revision: latest.revision, comment: comment.value });
      status.textContent = t(`done_${method}`);
      await renderReview(ctx, code, period);
      const again = ctx.app.querySelector('[data-testid="decision-status"]');
      if (again) again.textContent = t(`done_${method}`);
    } catch (e) {
      for (const b of card.querySelectorAll('button')) b.disabled = false;
      if (e instanceof HttpError && e.status === 401) return ctx.goLogin();
      const tr = (k: string) => t(k);
      const text = e instanceof HttpError && e.violations.length
        ? e.violations.map((v) => describe(v.description, (c) => c, tr)).join('; ')
        : (e as Error).message;
      status.textContent = '';
      msg.appendChild(el('p', { class: 'field-error', role: 'alert', 'data-testid': 'decision-error' },
        e instanceof HttpError && e.code === 'ABORTED' ? `${t('newerRevision')} ${text}` : text));
    }
  };
  const buttons = el('div', { class: 'form-actions' });
  if (canDecide) {
    const accept = el('button', { type: 'button', class: 'primary', 'data-testid': 'accept' }, t('accept'));
    accept.addEventListener('click', () => void act('AcceptReport'));
    const ret = el('button', { type: 'button', 'data-testid': 'return' }, t('return'));
    ret.addEventListener('click', () => void act('ReturnReport'));
    append(buttons, accept, ret);
  }
  if (canReopen) {
    const reopen = el('button', { type: 'button', 'data-testid': 'reopen' }, t('reopen'));
    reopen.addEventListener('click', () => void act('ReopenReport'));
    append(buttons, reopen);
  }
  append(card,
    el('label', { for: 'review-comment' }, canDecide ? t('reviewCommentLabel') : t('reopenCommentLabel')),
    comment, msg, buttons, status);
  return card;
}

// ---------------------------------------------------------------------------
// Live
// ---------------------------------------------------------------------------

export function onReviewChange(change: ReportChange): void {
  window.clearTimeout(refreshTimer);
  if (reviewState && location.hash.startsWith('#/review/')) {
    const s = reviewState;
    if (change.organizationCode !== s.code || change.period !== s.period) return;
    const typed = s.ctx.app.querySelector<HTMLTextAreaElement>('#review-comment')?.value ?? '';
    refreshTimer = window.setTimeout(() => void renderReview(s.ctx, s.code, s.period, typed), 500);
    return;
  }
  if (queueCtx && location.hash === '#/review' && change.period === queueCtx.period) {
    const ctx = queueCtx;
    refreshTimer = window.setTimeout(() => void renderQueue(ctx), 1000);
  }
}
