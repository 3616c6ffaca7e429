import './style.css';
import {
  Board,
  ContestKind,
  ContestRow,
  ContestStats,
  CoverageItem,
  get,
  setCsrfToken,
  HttpError,
  Me,
  NotExpected,
  post,
  ProvincePage,
  ProvinceRanking,
  ProvinceSeries,
  q,
  ClusterRanking,
  Rankings,
  ScoringScheme,
  Report,
  ReportChange,
  ReporterStatus,
  Totals,
} from './api';
import { disposeCharts, drawChart } from './charts';
import { append, clear, el } from './dom';
import { ew, fmtDay, fmtDeadline, fmtNumber, fmtTime, getLang, setLang, t } from './i18n';
import { isReviewer, PageContext, PERIOD_RE, stateKeyOf } from './page';
import { onClerkChange, renderForm, renderPeriods } from './report_form';
import { onReviewChange, renderQueue, renderReview } from './review';
import { renderContest, renderContestList, renderCreate, renderEdit } from './contests';
import { renderEntryForm } from './entries';
import { renderJudgeHome, renderSheet } from './judge';
import { renderResults } from './results';
import { w } from './contest_api';
import { mayUseEmulation, renderEmulationList, renderYear } from './emulation';
import { YEAR_ROUTE } from './emulation_api';

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

const app = document.getElementById('app')!;
let me: Me | null = null;
let period = '';
let board: Board | null = null;
let clusterFilter = sessionStorage.getItem('fed.cluster') ?? '';
let chartIndicator = 'workshops';
let seriesIndicator = 'members';
let contestGrouping: 'org' | 'field' | 'kind' = 'org';
let rankingCluster = sessionStorage.getItem('fed.rankingCluster') ?? '';
let openBreakdown = ''; // the province whose points per criterion are shown
let events: EventSource | null = null;
let eventsSequence = '';
let lastUpdate: Date | null = null;
let liveOk = false;
const timers = new Map<string, number>();

type StateKey = 'missing' | 'draft' | 'submitted' | 'returned' | 'accepted';
const STATES: StateKey[] = ['missing', 'draft', 'submitted', 'returned', 'accepted'];

// "Due 15 July 2026 — closed 4 months ago": the period's deadline (the
// aggregator's, else the default one) counted from today in Vietnam by the
// server's clock, not the browser's.
function dueLine(boardDue: string | undefined): string {
  const due = boardDue || me!.dueDates[period];
  if (!due) return '';
  return `${t('due')} ${fmtDay(due)} — ${fmtDeadline(due, me!.today)}`;
}

function debounce(key: string, ms: number, fn: () => void): void {
  const old = timers.get(key);
  if (old !== undefined) window.clearTimeout(old);
  timers.set(key, window.setTimeout(() => { timers.delete(key); fn(); }, ms));
}

function label(code: string): string {
  const ind = me?.catalog.indicators.find((i) => i.code === code);
  if (!ind) return code;
  return getLang() === 'en' ? ind.labelEn : ind.labelVi;
}

// ---------------------------------------------------------------------------
// Routing: /login, /#/ (board), /#/province/<code>, the clerk's #/reports
// and #/report/<code>/<period>, the reviewer's #/review[/<code>/<period>]
// ---------------------------------------------------------------------------

function goLogin(): void {
  if (location.pathname !== '/login') location.assign('/login');
}

async function start(): Promise<void> {
  if (location.pathname === '/login') return renderLogin();
  try {
    me = await get<Me>('/api/me');
    setCsrfToken(me.csrfToken);
  } catch (e) {
    if (e instanceof HttpError && (e.status === 401 || e.status === 403)) return goLogin();
    return renderFatal(e);
  }
  // A link may name the period (/?period=2025H1); else the last one chosen in this tab.
  period = new URLSearchParams(location.search).get('period') ?? sessionStorage.getItem('fed.period') ?? me.defaultPeriod;
  if (!me.periods.includes(period)) period = me.defaultPeriod;
  window.addEventListener('hashchange', route);
  // A judge's page has no live report feed (the server sends them none).
  if (me.role !== 'ROLE_JUDGE') connectEvents();
  route();
}

function pageContext(): PageContext {
  return { app, me: me!, period, header: (withPeriod) => header(true, withPeriod), goLogin };
}

function route(): void {
  disposeCharts();
  const match = /^#\/province\/([A-Za-z0-9_.-]+)/.exec(location.hash);
  if (match) return void renderProvince(match[1]);
  const report = new RegExp(`^#/report/([A-Za-z0-9_.-]+)/${PERIOD_RE}$`).exec(location.hash);
  if (report) return void renderForm(pageContext(), report[1], report[2]);
  const review = new RegExp(`^#/review/([A-Za-z0-9_.-]+)/${PERIOD_RE}$`).exec(location.hash);
  if (review) return void renderReview(pageContext(), review[1], review[2]);
  if (location.hash === '#/review') return void renderQueue(pageContext());
  // Judges see their assignments and sheets, nothing else of the page.
  const sheet = /^#\/judge\/(\d+)\/(\d+)$/.exec(location.hash);
  if (sheet) return void renderSheet(pageContext(), sheet[1], sheet[2]);
  if (me!.role === 'ROLE_JUDGE') {
    if (location.hash !== '#/judge') location.hash = '#/judge';
    else void renderJudgeHome(pageContext());
    return;
  }
  if (location.hash === '#/emulation') return void renderEmulationList(pageContext());
  const emuYear = YEAR_ROUTE.exec(location.hash);
  if (emuYear) return void renderYear(pageContext(), { organiserCode: decodeURIComponent(emuYear[1]), year: Number(emuYear[2]), clusterNumber: Number(emuYear[3]) });
  const results = /^#\/contest\/(\d+)\/results$/.exec(location.hash);
  if (results) return void renderResults(pageContext(), results[1]);
  const entryForm = /^#\/contest\/(\d+)\/entry$/.exec(location.hash);
  if (entryForm) return void renderEntryForm(pageContext(), entryForm[1]);
  const edit = /^#\/contest\/(\d+)\/edit$/.exec(location.hash);
  if (edit) return void renderEdit(pageContext(), edit[1]);
  const contest = /^#\/contest\/(\d+)$/.exec(location.hash);
  if (contest) return void renderContest(pageContext(), contest[1]);
  if (location.hash === '#/contests') return void renderContestList(pageContext());
  if (location.hash === '#/contests/new') return void renderCreate(pageContext());
  if (location.hash === '#/reports' && !me!.national) return void renderPeriods(pageContext());
  if (!me!.national) {
    location.hash = '#/reports';
    return;
  }
  void renderBoard();
}

function onBoard(): boolean {
  return location.hash === '' || location.hash === '#' || location.hash === '#/';
}

function renderFatal(e: unknown): void {
  clear(app);
  append(app, el('p', { class: 'error', role: 'alert' }, `${t('error')}: ${String((e as Error).message ?? e)}`));
}

// ---------------------------------------------------------------------------
// Login
// ---------------------------------------------------------------------------

async function login(token: string, status: HTMLElement): Promise<void> {
  status.textContent = t('loggingIn');
  try {
    await post('/api/login', { token });
    location.replace('/');
  } catch (e) {
    status.textContent = `${t('loginFailed')}: ${(e as Error).message}`;
  }
}

function renderLogin(): void {
  clear(app);
  const status = el('p', { class: 'login-status', role: 'status', 'data-testid': 'login-status' });
  const input = el('textarea', { id: 'token', rows: 4, autocomplete: 'off', spellcheck: 'false' });
  const form = el(
    'form',
    { class: 'login card', 'data-testid': 'login-form' },
    el('h1', {}, t('title')),
    el('p', {}, t('loginHelp')),
    el('label', { for: 'token' }, t('token')),
    input,
    el('button', { type: 'submit' }, t('login')),
    status,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void login(input.value.trim(), status);
  });
  append(app, header(false), form);
  // The demo link from `tools/dev up` carries the token in the fragment,
  // which browsers never send to the server; drop it from the address bar.
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) {
    history.replaceState(null, '', '/login');
    void login(token, status);
  }
}

// ---------------------------------------------------------------------------
// Header: title, period, language, logout
// ---------------------------------------------------------------------------

function header(withSession: boolean, withPeriod = true): HTMLElement {
  const bar = el('header', { class: 'topbar' }, el('a', { href: '/#/', class: 'brand' }, t('title')));
  const tools = el('div', { class: 'tools' });
  if (withSession && me && withPeriod) {
    const select = el('select', { 'data-testid': 'period', 'aria-label': t('period') });
    for (const p of [...me.periods].reverse()) {
      const opt = el('option', { value: p }, p);
      if (p === period) opt.selected = true;
      select.appendChild(opt);
    }
    select.addEventListener('change', () => {
      period = select.value;
      sessionStorage.setItem('fed.period', period);
      route();
    });
    append(tools, el('label', {}, `${t('period')} `, select));
  }
  if (withSession && me && me.features.contests) {
    const home = me.role === 'ROLE_JUDGE' ? '#/judge' : '#/contests';
    append(tools, el('a', { href: home, class: 'nav', 'data-testid': 'contests-link' }, me.role === 'ROLE_JUDGE' ? w('myAssignments') : w('contests')));
  }
  if (withSession && me && mayUseEmulation(me)) {
    append(tools, el('a', { href: '#/emulation', class: 'nav', 'data-testid': 'emulation-link' }, ew('emulation')));
  }
  const langButton = el('button', { type: 'button', class: 'lang', 'data-testid': 'lang' }, getLang() === 'vi' ? 'English' : 'Tiếng Việt');
  langButton.addEventListener('click', () => {
    setLang(getLang() === 'vi' ? 'en' : 'vi');
    if (location.pathname === '/login') renderLogin(); else route();
  });
  append(tools, langButton);
  if (withSession && me) {
    // A judge has no live feed: no pill saying it is lost.
    const live = el('span', { class: `live ${liveOk ? 'on' : 'off'}`, 'data-testid': 'live' }, liveOk ? t('live') : t('offline'));
    const who = el('span', { class: 'who' }, me.subject);
    const out = el('button', { type: 'button', 'data-testid': 'logout' }, t('logout'));
    out.addEventListener('click', async () => {
      await post('/api/logout', {}).catch(() => undefined);
      location.assign('/login');
    });
    append(tools, me.role === 'ROLE_JUDGE' ? null : live, who, out);
  }
  bar.appendChild(tools);
  return bar;
}

// Excel in and out (excel.ts, with exceljs) is loaded only where it is shown.
function lazyExcel(make: (x: typeof import('./excel')) => HTMLElement): HTMLElement {
  const slot = el('span', { class: 'excel-slot' });
  void import('./excel').then((x) => { if (slot.parentNode) slot.replaceWith(make(x)); });
  return slot;
}

// ---------------------------------------------------------------------------
// The national board
// ---------------------------------------------------------------------------

function clusterOf(code: string): number {
  for (const c of board?.clusters.clusters ?? []) if (c.memberCodes.includes(code)) return c.number;
  return 0;
}

function visibleReporters(): ReporterStatus[] {
  const all = board?.completeness.reporters ?? [];
  if (!clusterFilter) return all;
  return all.filter((r) => String(clusterOf(r.organizationCode)) === clusterFilter);
}

function renderCounts(node: HTMLElement): void {
  clear(node);
  const reporters = visibleReporters();
  const counts: Record<string, number> = { expected: reporters.length, late: 0 };
  for (const s of STATES) counts[s] = 0;
  for (const r of reporters) {
    counts[stateKeyOf(r.state)]++;
    if (r.late) counts.late++;
  }
  for (const key of ['expected', 'missing', 'submitted', 'returned', 'accepted', 'late', 'draft']) {
    append(node, el('div', { class: `count count-${key}`, 'data-testid': `count-${key}` },
      el('span', { class: 'count-value' }, counts[key]),
      el('span', { class: 'count-label' }, t(key))));
  }
}

function renderCells(node: HTMLElement): void {
  clear(node);
  for (const r of visibleReporters()) {
    const key = stateKeyOf(r.state);
    const cluster = clusterOf(r.organizationCode);
    const cell = el('a', {
      class: `cell state-${key}${r.late ? ' late' : ''}`,
      href: `#/province/${encodeURIComponent(r.organizationCode)}`,
      'data-testid': 'cell',
      'data-code': r.organizationCode,
      'data-state': key,
      'data-late': r.late ? 'true' : 'false',
    },
    el('span', { class: 'cell-name' }, r.organizationName),
    el('span', { class: 'cell-meta' }, `${r.organizationCode}${cluster ? ` · ${t('cluster')} ${cluster}` : ''}`),
    el('span', { class: 'cell-state' }, t(key), r.late ? el('span', { class: 'badge-late' }, t('late')) : null,
      r.latestRevision > 1 ? ` · ${t('revision')} ${r.latestRevision}` : ''));
    node.appendChild(cell);
  }
}

let countsNode: HTMLElement | null = null;
let cellsNode: HTMLElement | null = null;
let updatedNode: HTMLElement | null = null;

function refreshBoardView(): void {
  if (countsNode) renderCounts(countsNode);
  if (cellsNode) renderCells(cellsNode);
  if (updatedNode && lastUpdate) updatedNode.textContent = `${t('updated')} ${lastUpdate.toLocaleTimeString(getLang() === 'en' ? 'en-GB' : 'vi-VN')}`;
}

async function loadBoard(): Promise<void> {
  board = await get<Board>(`/api/board?${q({ period })}`);
  lastUpdate = new Date();
}

async function renderBoard(): Promise<void> {
  clear(app);
  append(app, header(true), el('p', { class: 'loading' }, t('loading')));
  try {
    await loadBoard();
  } catch (e) {
    if (e instanceof HttpError && e.status === 401) return goLogin();
    return onBoard() ? renderFatal(e) : undefined;
  }
  // A page opened while the board loaded (a link in the header) stays.
  if (!onBoard()) return;
  clear(app);
  const clusterSelect = el('select', { 'data-testid': 'cluster-filter', 'aria-label': t('cluster') },
    el('option', { value: '' }, t('allClusters')));
  for (const c of board!.clusters.clusters) {
    const opt = el('option', { value: String(c.number) }, c.name || `${t('cluster')} ${c.number}`);
    if (String(c.number) === clusterFilter) opt.selected = true;
    clusterSelect.appendChild(opt);
  }
  if (clusterFilter && !board!.clusters.clusters.some((c) => String(c.number) === clusterFilter)) clusterFilter = '';
  clusterSelect.addEventListener('change', () => {
    clusterFilter = clusterSelect.value;
    sessionStorage.setItem('fed.cluster', clusterFilter);
    refreshBoardView();
  });
  countsNode = el('div', { class: 'counts', 'data-testid': 'counts' });
  cellsNode = el('div', { class: 'cells', 'data-testid': 'cells' });
  updatedNode = el('span', { class: 'updated', 'data-testid': 'updated' });
  const csv = el('a', { href: `/api/export/board.csv?${q({ period })}`, download: `board-${period}.csv`, 'data-testid': 'csv-board' }, t('downloadBoard'));
  clusterSelect.addEventListener('change', () => {
    csv.setAttribute('href', `/api/export/board.csv?${q(clusterFilter ? { period, cluster: clusterFilter } : { period })}`);
  });
  const totalsSection = el('section', { class: 'card totals', 'data-testid': 'totals' }, el('h2', {}, t('totals')), el('p', {}, t('loading')));
  const coverageSection = el('section', { class: 'card coverage', 'data-testid': 'coverage' }, el('h2', {}, t('coverage')), el('p', {}, t('loading')));
  const contestsSection = el('section', { class: 'card contests', 'data-testid': 'contests' }, el('h2', {}, t('contests')), el('p', {}, t('loading')));
  const rankingsSection = el('section', { class: 'card rankings', 'data-testid': 'rankings' }, el('h2', {}, t('rankings')), el('p', {}, t('loading')));
  append(app,
    header(true),
    el('main', { class: 'board' },
      el('section', { class: 'card' },
        el('div', { class: 'section-head' },
          el('h1', {}, `${t('board')} · ${period}`),
          el('span', { class: 'due', 'data-testid': 'due' }, dueLine(board!.completeness.dueDate)),
          updatedNode),
        el('div', { class: 'filters' }, el('label', {}, `${t('cluster')} `, clusterSelect), csv, lazyExcel((x) => x.nationalXlsxLinks(period)),
          isReviewer(me!) ? el('a', { href: '#/review', 'data-testid': 'review-link' }, t('reviewQueue')) : null),
        countsNode,
        cellsNode),
      coverageSection,
      totalsSection,
      rankingsSection,
      contestsSection));
  refreshBoardView();
  void renderRankings(rankingsSection);
  void renderCoverage(coverageSection);
  void renderTotals(totalsSection);
  void renderContests(contestsSection);
}

async function renderCoverage(section: HTMLElement): Promise<void> {
  const data = await get<{ items: CoverageItem[] }>(`/api/coverage?${q({ period })}`).catch(() => null);
  clear(section);
  append(section, el('h2', {}, t('coverage')));
  if (!data) return;
  const list = el('div', { class: 'coverage-list' });
  for (const item of data.items) {
    append(list, el('div', { class: 'coverage-item', 'data-testid': 'coverage-item', 'data-condition': item.condition },
      el('strong', {}, `${item.coverage.matching}/${item.coverage.of}`),
      ` ${t('provinces')} ${t(`cov_${item.condition}`)}`));
  }
  section.appendChild(list);
}

async function renderTotals(section: HTMLElement): Promise<void> {
  const totals = await get<Totals>(`/api/totals?${q({ period })}`).catch(() => null);
  clear(section);
  append(section, el('h2', {}, t('totals')), el('p', { class: 'note' }, t('totalsNote'), ' ',
    el('a', { href: `/api/export/totals.csv?${q({ period })}`, download: `totals-${period}.csv` }, t('downloadTotals'))));
  if (!totals) return;
  const chartBox = el('div', { class: 'chart', 'data-testid': 'totals-chart' });
  const select = el('select', { 'aria-label': t('indicator') });
  for (const ind of me!.catalog.indicators) {
    const opt = el('option', { value: ind.code }, label(ind.code));
    if (ind.code === chartIndicator) opt.selected = true;
    select.appendChild(opt);
  }
  select.addEventListener('change', () => { chartIndicator = select.value; void drawNational(chartBox); });
  const table = el('table', { class: 'table' },
    el('thead', {}, el('tr', {}, el('th', {}, t('indicator')), el('th', { class: 'num' }, t('value')), el('th', { class: 'num' }, t('reporting')))));
  const body = el('tbody');
  for (const row of totals.totals) {
    const tr = el('tr', { 'data-indicator': row.indicatorCode },
      el('td', {}, label(row.indicatorCode)),
      el('td', { class: 'num' }, fmtNumber(row.value)),
      el('td', { class: 'num' }, row.reportingOrganizations));
    tr.addEventListener('click', () => { chartIndicator = row.indicatorCode; select.value = row.indicatorCode; void drawNational(chartBox); });
    body.appendChild(tr);
  }
  table.appendChild(body);
  append(section, el('div', { class: 'totals-grid' },
    el('div', {}, el('label', {}, `${t('overPeriods')}: `, select), chartBox),
    el('div', { class: 'table-wrap' }, table)));
  void drawNational(chartBox);
}

async function drawNational(node: HTMLElement): Promise<void> {
  const from = me!.periods[0];
  const data = await get<{ totals: Totals[] }>(`/api/national-series?${q({ indicator: chartIndicator, from, to: period })}`).catch(() => null);
  if (!data || !node.isConnected) return;
  const cats = data.totals.map((x) => x.period);
  const values = data.totals.map((x) => x.totals.find((r) => r.indicatorCode === chartIndicator)?.value ?? 0);
  drawChart(node, cats, [{ name: label(chartIndicator), values, kind: 'bar' }]);
}

// ---------------------------------------------------------------------------
// Contest statistics of the period's year (competition service)
// ---------------------------------------------------------------------------

const CONTEST_KINDS: ContestKind[] = ['CONTEST_KIND_PROVINCIAL_TECH', 'CONTEST_KIND_YOUTH', 'CONTEST_KIND_NATIONAL', 'CONTEST_KIND_VIFOTEC'];
const provinceNames = new Map<string, string>();

function orgName(code: string): string {
  const reporter = board?.completeness.reporters.find((r) => r.organizationCode === code);
  if (reporter) return reporter.organizationName;
  if (provinceNames.has(code)) return provinceNames.get(code)!;
  if (code === 'VUSTA') return t('nationalOffice');
  return code;
}

interface Figures { contests: number; entries: number; prizes: number; nationalAwards: number }

function addFigures(into: Figures, row: Figures): void {
  into.contests += row.contests ?? 0;
  into.entries += row.entries ?? 0;
  into.prizes += row.prizes ?? 0;
  into.nationalAwards += row.nationalAwards ?? 0;
}

function zero(): Figures {
  return { contests: 0, entries: 0, prizes: 0, nationalAwards: 0 };
}

// `code`: one organisation's figures (a province page); else all the viewer may see.
async function renderContests(section: HTMLElement, code = ''): Promise<void> {
  const forPeriod = period;
  const year = forPeriod.slice(0, 4);
  const heading = el('h2', {}, `${t('contests')} · ${t('year')} ${year}`);
  if (!me!.features.contests) {
    clear(section);
    section.classList.add('placeholder');
    append(section, heading, el('p', { 'data-testid': 'contests-off' }, t('contestsOff')));
    return;
  }
  let data: ContestStats;
  try {
    data = await get<ContestStats>(`/api/contests?${q(code ? { period: forPeriod, code } : { period: forPeriod })}`);
  } catch (e) {
    if (!section.isConnected || forPeriod !== period) return;
    clear(section);
    const unreachable = e instanceof HttpError && e.status === 503;
    append(section, heading, el('p', { class: 'notice', role: 'status', 'data-testid': 'contests-unavailable' },
      unreachable ? t('contestsUnreachable') : `${t('error')}: ${(e as Error).message}`));
    return;
  }
  if (!section.isConnected || forPeriod !== period) return;
  clear(section);
  const csvQuery = q(code ? { period: forPeriod, code } : { period: forPeriod });
  append(section, heading, el('p', { class: 'note' }, t('contestsNote'), ' ',
    el('a', { href: `/api/export/contests.csv?${csvQuery}`, download: `contests-${data.year}${code ? `-${code}` : ''}.csv`, 'data-testid': 'csv-contests' }, t('downloadContests'))));
  const totals = data.statistics.totals ?? [];
  if (totals.length === 0) {
    append(section, el('p', { class: 'muted', 'data-testid': 'contests-empty' }, t('noContests')));
    return;
  }

  // Per kind: contests, entries, prizes, national awards, all organisations.
  const kinds = el('div', { class: 'kind-list', 'data-testid': 'contest-kinds' });
  for (const kind of CONTEST_KINDS) {
    const sum = zero();
    for (const row of data.byKind.find((k) => k.kind === kind)?.totals.totals ?? []) addFigures(sum, row);
    if (sum.contests + sum.entries + sum.prizes + sum.nationalAwards === 0) continue;
    append(kinds, el('div', { class: 'kind-item', 'data-testid': 'contest-kind', 'data-kind': kind },
      el('strong', {}, t(`kind_${kind}`)),
      el('span', { 'data-figure': 'contests' }, `${t('contestCount')}: ${fmtNumber(sum.contests)}`),
      el('span', { 'data-figure': 'entries' }, `${t('entries')}: ${fmtNumber(sum.entries)}`),
      el('span', { 'data-figure': 'prizes' }, `${t('prizes')}: ${fmtNumber(sum.prizes)}`),
      sum.nationalAwards > 0 ? el('span', { 'data-figure': 'national-awards' }, `${t('nationalAwards')}: ${fmtNumber(sum.nationalAwards)}`) : null));
  }

  // Compact table: one row per organisation, then the total.
  const num = (v: number) => el('td', { class: 'num' }, fmtNumber(v ?? 0));
  const table = el('table', { class: 'table', 'data-testid': 'contest-table' },
    el('thead', {}, el('tr', {},
      el('th', {}, t('organization')), el('th', { class: 'num' }, t('contestCount')), el('th', { class: 'num' }, t('entries')),
      el('th', { class: 'num' }, t('prizes')), el('th', { class: 'num' }, t('nationalAwards')))));
  const body = el('tbody');
  const all = zero();
  for (const row of totals) {
    addFigures(all, row);
    body.appendChild(el('tr', { 'data-code': row.organizationCode },
      el('td', {}, orgName(row.organizationCode)), num(row.contests), num(row.entries), num(row.prizes), num(row.nationalAwards)));
  }
  table.appendChild(body);
  if (totals.length > 1) {
    table.appendChild(el('tfoot', {}, el('tr', { 'data-testid': 'contest-total' },
      el('th', {}, t('total')), num(all.contests), num(all.entries), num(all.prizes), num(all.nationalAwards))));
  }

  const chartBox = el('div', { class: 'chart', 'data-testid': 'contest-chart' });
  const grouping = el('select', { 'aria-label': t('groupBy'), 'data-testid': 'contest-grouping' });
  for (const [value, key] of [['org', 'byOrganization'], ['field', 'byField'], ['kind', 'byKind']] as const) {
    const opt = el('option', { value }, t(key));
    if (value === contestGrouping) opt.selected = true;
    grouping.appendChild(opt);
  }
  grouping.addEventListener('change', () => {
    contestGrouping = grouping.value as typeof contestGrouping;
    drawContests(chartBox, data);
  });
  append(section, kinds, el('div', { class: 'totals-grid' },
    el('div', {}, el('label', {}, `${t('groupBy')}: `, grouping), chartBox),
    el('div', { class: 'table-wrap' }, table)));
  drawContests(chartBox, data);
}

function drawContests(node: HTMLElement, data: ContestStats): void {
  const groups = new Map<string, Figures>();
  const add = (label: string, row: ContestRow) => {
    if (!groups.has(label)) groups.set(label, zero());
    addFigures(groups.get(label)!, row);
  };
  if (contestGrouping === 'org') {
    for (const row of data.statistics.totals ?? []) add(orgName(row.organizationCode), row);
  } else if (contestGrouping === 'field') {
    // A contest counts once in every field it received entries in.
    for (const row of data.statistics.rows ?? []) add(row.field || t('noField'), row);
  } else {
    for (const kind of data.byKind) for (const row of kind.totals.totals ?? []) add(t(`kind_${kind.kind}`), row);
  }
  const cats = [...groups.keys()];
  const values = (key: keyof Figures) => cats.map((c) => groups.get(c)![key]);
  drawChart(node, cats, [
    { name: t('contestCount'), values: values('contests'), kind: 'bar' },
    { name: t('entries'), values: values('entries'), kind: 'bar' },
    { name: t('prizes'), values: values('prizes'), kind: 'bar' },
    { name: t('nationalAwards'), values: values('nationalAwards'), kind: 'bar' },
  ], { slantLabels: true });
}

// ---------------------------------------------------------------------------
// Emulation-cluster rankings of the period (ranking service)
// ---------------------------------------------------------------------------

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}

// The section's message when the rankings cannot be shown: unreachable
// (503), nothing to rank for the period (404), or another error.
function rankingsProblem(e: unknown): HTMLElement {
  const status = e instanceof HttpError ? e.status : 0;
  if (status === 404) return el('p', { class: 'muted', 'data-testid': 'rankings-none' }, t('noRanking'));
  return el('p', { class: 'notice', role: 'status', 'data-testid': 'rankings-unavailable' },
    status === 503 ? t('rankingsUnreachable') : `${t('error')}: ${(e as Error).message}`);
}

function clusterLabel(r: { clusterNumber: number; clusterName: string }): string {
  return r.clusterName || `${t('cluster')} ${r.clusterNumber}`;
}

async function renderRankings(section: HTMLElement): Promise<void> {
  const forPeriod = period;
  const heading = el('h2', {}, `${t('rankings')} · ${forPeriod}`);
  if (!me!.features.rankings) {
    clear(section);
    section.classList.add('placeholder');
    append(section, heading, el('p', { 'data-testid': 'rankings-off' }, t('rankingsOff')));
    return;
  }
  let data: Rankings;
  try {
    data = await get<Rankings>(`/api/rankings?${q({ period: forPeriod })}`);
  } catch (e) {
    if (!section.isConnected || forPeriod !== period) return;
    clear(section);
    append(section, heading, rankingsProblem(e));
    return;
  }
  if (!section.isConnected || forPeriod !== period) return;
  clear(section);
  const list = data.rankings.rankings ?? [];
  if (list.length === 0) {
    append(section, heading, el('p', { class: 'muted', 'data-testid': 'rankings-none' }, t('noRanking')));
    return;
  }
  // The cluster shown: the last one chosen, else the board's cluster filter, else the first.
  if (!list.some((r) => String(r.clusterNumber) === rankingCluster)) {
    rankingCluster = list.some((r) => String(r.clusterNumber) === clusterFilter) ? clusterFilter : String(list[0].clusterNumber);
  }
  const select = el('select', { 'aria-label': t('cluster'), 'data-testid': 'ranking-cluster' });
  for (const r of list) {
    const opt = el('option', { value: String(r.clusterNumber) }, clusterLabel(r));
    if (String(r.clusterNumber) === rankingCluster) opt.selected = true;
    select.appendChild(opt);
  }
  const csvHref = () => `/api/export/rankings.csv?${q({ period: forPeriod, cluster: rankingCluster })}`;
  const csv = el('a', { href: csvHref(), download: `rankings-${forPeriod}-${rankingCluster}.csv`, 'data-testid': 'csv-rankings' }, t('downloadRankings'));
  const schemeNote = el('span', { class: 'muted', 'data-testid': 'ranking-scheme' });
  const box = el('div', { class: 'table-wrap ranking-wrap' });
  const show = () => {
    const ranking = list.find((r) => String(r.clusterNumber) === rankingCluster)!;
    clear(box);
    box.appendChild(rankingTable(ranking, data.scheme));
    schemeNote.textContent = data.scheme
      ? `${t('scheme')}: ${data.scheme.name} (${t('schemeVersion')} ${ranking.schemeVersion})`
      : `${t('scheme')} ${ranking.year} (${t('schemeVersion')} ${ranking.schemeVersion})`;
  };
  select.addEventListener('change', () => {
    rankingCluster = select.value;
    sessionStorage.setItem('fed.rankingCluster', rankingCluster);
    csv.setAttribute('href', csvHref());
    csv.setAttribute('download', `rankings-${forPeriod}-${rankingCluster}.csv`);
    show();
  });
  append(section, heading,
    el('p', { class: 'note' }, t('rankingsNote')),
    el('div', { class: 'filters' }, el('label', {}, `${t('cluster')} `, select), csv, schemeNote),
    box);
  show();
}

// One cluster's ranking: rank, province (head/deputy, flag proposal), total;
// a click on a row opens its points per criterion underneath.
function rankingTable(ranking: ClusterRanking, scheme: ScoringScheme | undefined, own = ''): HTMLTableElement {
  const table = el('table', { class: 'table ranking-table', 'data-testid': 'ranking-table', 'data-cluster': ranking.clusterNumber },
    el('thead', {}, el('tr', {},
      el('th', { class: 'num' }, t('rank')), el('th', {}, t('organization')), el('th', { class: 'num' }, t('totalPoints')))));
  const body = el('tbody');
  for (const entry of ranking.entries ?? []) {
    const badges = el('span', { class: 'badges' });
    if (entry.clusterRole === 'head') badges.appendChild(el('span', { class: 'badge badge-role', 'data-testid': 'role-head' }, t('headOf')));
    if (entry.clusterRole === 'deputy') badges.appendChild(el('span', { class: 'badge badge-role', 'data-testid': 'role-deputy' }, t('deputyOf')));
    if (entry.flagProposal) badges.appendChild(el('span', { class: 'badge badge-flag', 'data-testid': 'flag-proposal' }, `★ ${t('flagProposal')}`));
    if (entry.notExpected) {
      badges.appendChild(el('span', { class: 'muted', 'data-testid': 'not-expected' },
        `(${t('notExpected')}: ${notExpectedReason(entry.notExpected)})`));
    } else if (!entry.reported) {
      badges.appendChild(el('span', { class: 'muted' }, `(${t('notReported')})`));
    }
    const row = el('tr', {
      class: `ranking-row${entry.organizationCode === own ? ' own' : ''}${entry.flagProposal ? ' flag' : ''}`,
      'data-testid': 'ranking-row',
      'data-code': entry.organizationCode,
      'data-rank': entry.rank,
      'data-total': entry.total,
      'data-flag': entry.flagProposal ? 'true' : 'false',
      tabindex: 0,
      'aria-expanded': 'false',
    },
    el('td', { class: 'num rank' }, entry.notExpected ? '—' : entry.rank),
    el('td', {}, el('span', { class: 'org-name' }, entry.organizationName || orgName(entry.organizationCode)), ' ', badges,
      entry.hasSelfAssessment ? el('span', { class: 'muted self' }, ` · ${t('selfTotal')}: ${fmtNumber(entry.selfTotal)}`) : null),
    el('td', { class: 'num total' }, entry.notExpected ? '—' : fmtNumber(entry.total)));
    const detail = el('tr', { class: 'breakdown-row', 'data-testid': 'ranking-breakdown', 'data-code': entry.organizationCode },
      el('td', { colspan: 3 }, breakdownTable(entry, scheme)));
    const setOpen = (open: boolean) => {
      detail.hidden = !open;
      row.setAttribute('aria-expanded', open ? 'true' : 'false');
    };
    setOpen(openBreakdown === entry.organizationCode);
    const toggle = () => {
      const open = detail.hidden;
      // One breakdown at a time.
      for (const other of table.querySelectorAll<HTMLElement>('tr.breakdown-row')) other.hidden = true;
      for (const other of table.querySelectorAll<HTMLElement>('tr.ranking-row')) other.setAttribute('aria-expanded', 'false');
      setOpen(open);
      openBreakdown = open ? entry.organizationCode : '';
    };
    row.addEventListener('click', toggle);
    row.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); }
    });
    append(body, row, detail);
  }
  table.appendChild(body);
  return table;
}

// Why a member owed no report for the period, in the page's language.
function notExpectedReason(why: NotExpected): string {
  if (why.endedOn && why.successorCode) {
    const successor = `${why.successorCode} ${why.successorName || orgName(why.successorCode)}`;
    return fill(t('mergedInto'), { successor, date: fmtDay(why.endedOn) });
  }
  if (why.endedOn) return fill(t('retiredOn'), { date: fmtDay(why.endedOn) });
  if (why.startsOn) return fill(t('startsOn'), { date: fmtDay(why.startsOn) });
  return why.note;
}

function breakdownTable(entry: ClusterRanking['entries'][number], scheme: ScoringScheme | undefined): HTMLElement {
  const criterion = (code: string) => scheme?.criteria.find((c) => c.code === code);
  const rule = (code: string) => scheme?.rules.find((r) => r.code === code);
  const num = (v: string) => el('td', { class: 'num' }, v);
  const table = el('table', { class: 'table breakdown' },
    el('caption', {}, `${t('breakdownOf')} · ${entry.organizationName}`),
    el('thead', {}, el('tr', {},
      el('th', {}, t('criterion')), el('th', { class: 'num' }, t('rawValue')), el('th', { class: 'num' }, t('normalised')),
      el('th', { class: 'num' }, t('points')), el('th', { class: 'num' }, t('maxPoints')))));
  const body = el('tbody');
  for (const c of entry.breakdown ?? []) {
    const def = criterion(c.criterionCode);
    const max = def ? def.maxPoints * (def.weight || 1) : null;
    body.appendChild(el('tr', { 'data-testid': 'criterion', 'data-criterion': c.criterionCode, 'data-points': c.points },
      el('td', {}, def?.name || c.criterionCode),
      num(c.present ? fmtNumber(c.rawValue) : t('notReported')),
      num(fmtNumber(c.normalised)),
      num(fmtNumber(c.points)),
      num(max === null ? '' : fmtNumber(max))));
  }
  for (const a of entry.adjustments ?? []) {
    body.appendChild(el('tr', { 'data-testid': 'adjustment', 'data-rule': a.ruleCode, 'data-points': a.points },
      el('td', {}, `${t('adjustment')}: ${rule(a.ruleCode)?.name || a.ruleCode}`),
      num(`${a.count} ${t('times')}`), num(''), num(`${a.points > 0 ? '+' : ''}${fmtNumber(a.points)}`), num('')));
  }
  table.appendChild(body);
  table.appendChild(el('tfoot', {}, el('tr', {},
    el('th', {}, t('totalPoints')), el('td', {}), el('td', {}), num(fmtNumber(entry.total)),
    num(scheme ? fmtNumber(scheme.totalPoints) : ''))));
  return table;
}

// A province: its rank in its cluster, its indicators against the cluster's
// average, median and best (CompareProvince), and the cluster's ranking.
async function renderProvinceRanking(section: HTMLElement, code: string): Promise<void> {
  const forPeriod = period;
  const heading = el('h2', {}, `${t('rankingInCluster')} · ${forPeriod}`);
  if (!me!.features.rankings) {
    clear(section);
    section.classList.add('placeholder');
    append(section, heading, el('p', { 'data-testid': 'rankings-off' }, t('rankingsOff')));
    return;
  }
  let data: ProvinceRanking;
  try {
    data = await get<ProvinceRanking>(`/api/province-ranking?${q({ code, period: forPeriod })}`);
  } catch (e) {
    if (!section.isConnected || forPeriod !== period) return;
    clear(section);
    append(section, heading, rankingsProblem(e));
    return;
  }
  if (!section.isConnected || forPeriod !== period || provinceCode !== code) return;
  clear(section);
  const c = data.comparison;
  const clusterName = clusterLabel(c);
  // The cluster members' names (the comparison names the best by code).
  for (const e of data.ranking?.entries ?? []) if (e.organizationName) provinceNames.set(e.organizationCode, e.organizationName);
  append(section, heading);
  if (c.scored) {
    append(section, el('p', { class: 'rank-summary', 'data-testid': 'province-rank', 'data-rank': c.rank, 'data-of': c.of, 'data-total': c.total },
      el('strong', {}, fill(t('rankOf'), { rank: c.rank, of: c.of, cluster: clusterName })),
      ` · ${t('totalPoints')}: ${fmtNumber(c.total)}`,
      data.ranking?.entries?.find((e) => e.organizationCode === code)?.flagProposal
        ? el('span', { class: 'badge badge-flag' }, `★ ${t('flagProposal')}`) : null));
  } else {
    append(section, el('p', { class: 'muted', 'data-testid': 'province-rank' }, t('notScored')));
  }
  const num = (v: string) => el('td', { class: 'num' }, v);
  const table = el('table', { class: 'table', 'data-testid': 'comparison-table' },
    el('caption', {}, t('comparison')),
    el('thead', {}, el('tr', {},
      el('th', {}, t('indicator')), el('th', { class: 'num' }, orgName(code)), el('th', { class: 'num' }, t('clusterAverage')),
      el('th', { class: 'num' }, t('clusterMedian')), el('th', { class: 'num' }, t('clusterBest')), el('th', { class: 'num' }, t('rankInCluster')))));
  const body = el('tbody');
  for (const ind of c.indicators ?? []) {
    body.appendChild(el('tr', { 'data-indicator': ind.indicatorCode },
      el('td', {}, label(ind.indicatorCode)),
      num(ind.present ? fmtNumber(ind.value) : '—'),
      num(fmtNumber(ind.clusterAverage)),
      num(fmtNumber(ind.clusterMedian)),
      el('td', { class: 'num', title: ind.bestCode ? `${t('bestBy')}: ${orgName(ind.bestCode)}` : '' },
        fmtNumber(ind.clusterBest), ind.bestCode ? el('span', { class: 'muted' }, ` (${orgName(ind.bestCode)})`) : null),
      num(ind.rank ? `${ind.rank}/${ind.of}` : '—')));
  }
  table.appendChild(body);
  append(section, el('div', { class: 'table-wrap' }, table));
  if (data.ranking) {
    append(section, el('h3', {}, `${t('rankings')} · ${clusterName}`),
      el('div', { class: 'filters' },
        el('a', { href: `/api/export/rankings.csv?${q({ period: forPeriod, cluster: data.ranking.clusterNumber })}`,
          download: `rankings-${forPeriod}-${data.ranking.clusterNumber}.csv`, 'data-testid': 'csv-rankings' }, t('downloadRankings'))),
      el('div', { class: 'table-wrap ranking-wrap' }, rankingTable(data.ranking, data.scheme, code)));
  }
}

// ---------------------------------------------------------------------------
// A province: profile, reports and their history, series against its cluster
// ---------------------------------------------------------------------------

let provinceCode = '';

async function renderProvince(code: string): Promise<void> {
  provinceCode = code;
  clear(app);
  append(app, header(true), el('p', { class: 'loading' }, t('loading')));
  let page: ProvincePage;
  try {
    page = await get<ProvincePage>(`/api/province?${q({ code, period })}`);
  } catch (e) {
    if (e instanceof HttpError && e.status === 401) return goLogin();
    if (e instanceof HttpError && e.status === 403) return renderFatal(new Error(t('forbidden')));
    return renderFatal(e);
  }
  if (provinceCode !== code) return;
  clear(app);
  const p = page.profile;
  const org = p.organization;
  const chartBox = el('div', { class: 'chart', 'data-testid': 'province-chart' });
  provinceNames.set(org.code, org.name);
  const contestsSection = el('section', { class: 'card contests', 'data-testid': 'contests' }, el('h2', {}, t('contests')), el('p', {}, t('loading')));
  const provinceRankingSection = el('section', { class: 'card rankings', 'data-testid': 'province-ranking' }, el('h2', {}, t('rankingInCluster')), el('p', {}, t('loading')));
  const select = el('select', { 'aria-label': t('indicator') });
  for (const ind of me!.catalog.indicators) {
    const opt = el('option', { value: ind.code }, label(ind.code));
    if (ind.code === seriesIndicator) opt.selected = true;
    select.appendChild(opt);
  }
  select.addEventListener('change', () => { seriesIndicator = select.value; void drawProvince(chartBox, code); });

  append(app, header(true), el('main', { class: 'province', 'data-testid': 'province', 'data-code': org.code },
    me!.national ? el('a', { href: '#/', class: 'back' }, t('back')) : el('a', { href: '#/reports', class: 'back', 'data-testid': 'reports-link' }, t('backToReports')),
    el('section', { class: 'card' },
      el('h1', { 'data-testid': 'province-name' }, org.name),
      el('p', { class: 'muted', 'data-testid': 'province-short-name' }, org.shortName),
      el('dl', { class: 'facts' },
        el('dt', {}, t('code')), el('dd', {}, org.code),
        el('dt', {}, t('founded')), el('dd', {}, org.foundedOn || org.activeFrom),
        el('dt', {}, t('members')), el('dd', {}, fmtNumber(Number(org.memberCount ?? 0))),
        el('dt', {}, t('intellectuals')), el('dd', {}, fmtNumber(Number(org.intellectualCount ?? 0))),
        el('dt', {}, t('cluster')), el('dd', {}, p.cluster?.cluster
          ? `${p.cluster.cluster.name || p.cluster.cluster.number}${p.cluster.role === 'CLUSTER_ROLE_HEAD' ? ` (${t('headOf')})` : p.cluster.role === 'CLUSTER_ROLE_DEPUTY' ? ` (${t('deputyOf')})` : ''}`
          : t('noCluster'))),
      renderTerm(p)),
    el('section', { class: 'card' }, el('h2', {}, t('reports')), renderReports(page)),
    !me!.national && me!.organizationCode === org.code ? lazyExcel((x) => x.excelPanel(org.code, period)) : null,
    provinceRankingSection,
    el('section', { class: 'card' }, el('h2', {}, t('seriesVsCluster')), el('label', {}, `${t('indicator')}: `, select), chartBox),
    contestsSection));
  void drawProvince(chartBox, code);
  void renderProvinceRanking(provinceRankingSection, code);
  void renderContests(contestsSection, code);
}

function renderTerm(p: ProvincePage['profile']): HTMLElement {
  const term = p.currentTerm;
  if (!term) return el('p', {}, t('noTerm'));
  const years = `${term.startYear}–${term.endYear}${term.extendedToYear ? ` (${t('extendedTo')} ${term.extendedToYear})` : ''}`;
  const leaders = [...(term.members ?? [])]
    .filter((m) => m.position && m.position !== 'POSITION_MEMBER')
    .sort((a, b) => a.position.localeCompare(b.position));
  return el('div', { class: 'term', 'data-testid': 'term' },
    el('h2', {}, `${t('congress')} ${term.termNumber} · ${t('term')} ${years}`),
    el('p', {}, `${t('recognition')}: ${term.state.replace('RECOGNITION_STATE_', '').toLowerCase()}${term.decisionNumber ? ` · ${t('decision')} ${term.decisionNumber}` : ''}`),
    el('h3', {}, t('leadership')),
    el('ul', { class: 'leaders' }, ...leaders.map((m) =>
      el('li', {}, el('strong', {}, m.fullName), ` — ${t(`position_${m.position}`)} (${t(`committee_${m.committee}`)})`))));
}

function renderReports(page: ProvincePage): HTMLElement {
  const wrap = el('div', { class: 'reports' });
  const table = el('table', { class: 'table', 'data-testid': 'reports' },
    el('thead', {}, el('tr', {},
      el('th', {}, t('period')), el('th', {}, t('revision')), el('th', {}, t('state')),
      el('th', {}, t('submittedAt')), el('th', {}, t('timely')), el('th', {}, t('decidedBy')), el('th', {}, t('comment')))));
  const body = el('tbody');
  let latest: Report | null = null;
  for (const group of page.reports) {
    const revisions = group.revisions.revisions ?? [];
    if (revisions.length === 0) {
      body.appendChild(el('tr', { 'data-period': group.period }, el('td', {}, group.period), el('td', { colspan: 6, class: 'muted' }, t('noReport'))));
      continue;
    }
    if (!latest) latest = revisions[revisions.length - 1];
    for (const r of [...revisions].reverse()) {
      body.appendChild(el('tr', { 'data-period': r.period, 'data-revision': r.revision, 'data-state': stateKeyOf(r.state) },
        el('td', {}, r.period), el('td', {}, r.revision), el('td', {}, el('span', { class: `pill state-${stateKeyOf(r.state)}` }, t(stateKeyOf(r.state)))),
        el('td', {}, fmtTime(r.submittedAt)), el('td', {}, r.timely ? t('yes') : t('no')),
        el('td', {}, r.decidedBy), el('td', {}, r.reviewComment)));
    }
  }
  table.appendChild(body);
  append(wrap, el('div', { class: 'table-wrap' }, table));
  if (latest?.narrative) {
    const n = latest.narrative;
    append(wrap, el('div', { class: 'narrative', 'data-testid': 'narrative' },
      el('h3', {}, `${t('narrative')} · ${latest.period} · ${t('revision')} ${latest.revision}`),
      el('h4', {}, t('achievements')), el('p', { 'data-testid': 'achievements' }, n.achievements),
      el('h4', {}, t('difficulties')), el('p', {}, n.difficulties),
      el('h4', {}, t('recommendations')),
      el('ol', {}, ...(n.recommendations ?? []).map((r) => el('li', {}, r.text, r.answer ? el('em', {}, ` — ${r.answer}`) : null))),
      el('h4', {}, t('nextTasks')), el('p', {}, n.nextPeriodTasks)));
  }
  return wrap;
}

async function drawProvince(node: HTMLElement, code: string): Promise<void> {
  const from = me!.periods[Math.max(0, me!.periods.indexOf(period) - 9)];
  const data = await get<ProvinceSeries>(`/api/province-series?${q({ code, indicator: seriesIndicator, from, to: period })}`).catch(() => null);
  if (!data || !node.isConnected) return;
  const cats = (data.own.points ?? []).map((x) => x.period);
  // The average comes with every digit of a double; the chart shows six
  // significant ones, as many as it ever did.
  const avg = new Map(data.clusterAverage.map((x) => [x.period, Number(x.value.toPrecision(6))]));
  const best = new Map(data.clusterBest.map((x) => [x.period, x.value]));
  drawChart(node, cats, [
    { name: code, values: (data.own.points ?? []).map((x) => (x.present ? x.value : null)), kind: 'bar' },
    { name: t('clusterAverage'), values: cats.map((c) => avg.get(c) ?? null) },
    { name: t('clusterBest'), values: cats.map((c) => best.get(c) ?? null), dashed: true },
  ]);
}

// ---------------------------------------------------------------------------
// Live updates: server-sent events from the aggregator's change feed
// ---------------------------------------------------------------------------

function setLive(ok: boolean): void {
  liveOk = ok;
  const node = document.querySelector<HTMLElement>('[data-testid="live"]');
  if (node) {
    node.className = `live ${ok ? 'on' : 'off'}`;
    node.textContent = ok ? t('live') : t('offline');
  }
}

function connectEvents(): void {
  events?.close();
  const url = eventsSequence ? `/api/events?${q({ after: eventsSequence })}` : '/api/events';
  events = new EventSource(url);
  events.addEventListener('open', () => setLive(true));
  events.addEventListener('error', () => {
    setLive(false);
    // A closed stream (e.g. the session expired) is not retried by the browser.
    if (events?.readyState === EventSource.CLOSED) {
      window.setTimeout(async () => {
        try { await get<Me>('/api/me'); connectEvents(); } catch { goLogin(); }
      }, 3000);
    }
  });
  events.addEventListener('hello', () => setLive(true));
  events.addEventListener('reset', () => refreshAfterChange(true));
  events.addEventListener('change', (ev) => {
    const change = JSON.parse((ev as MessageEvent).data) as ReportChange;
    eventsSequence = change.sequence;
    applyChange(change);
  });
}

function applyChange(change: ReportChange): void {
  if (location.hash.startsWith('#/report')) return onClerkChange(change);
  if (location.hash.startsWith('#/review')) return onReviewChange(change);
  if (location.hash.startsWith('#/province/')) {
    if (change.organizationCode === provinceCode && change.period === period) {
      debounce('province', 800, () => void renderProvince(provinceCode));
    }
    return;
  }
  if (!board || change.period !== board.period) return;
  const row = board.completeness.reporters.find((r) => r.organizationCode === change.organizationCode);
  if (row) {
    row.state = change.state;
    row.latestRevision = change.revision;
  }
  lastUpdate = new Date();
  refreshBoardView();
  const cell = document.querySelector<HTMLElement>(`[data-testid="cell"][data-code="${CSS.escape(change.organizationCode)}"]`);
  cell?.classList.add('flash');
  refreshAfterChange(false);
}

// The event updates the cell at once; the authoritative board (late flags,
// counts) and the figures follow shortly, coalesced on deadline day.
function refreshAfterChange(now: boolean): void {
  if (!onBoard()) return;
  debounce('board', now ? 0 : 1500, async () => {
    try {
      await loadBoard();
      refreshBoardView();
    } catch (e) {
      if (e instanceof HttpError && e.status === 401) goLogin();
    }
  });
  debounce('figures', 4000, () => {
    const totals = document.querySelector<HTMLElement>('[data-testid="totals"]');
    const coverage = document.querySelector<HTMLElement>('[data-testid="coverage"]');
    const rankings = document.querySelector<HTMLElement>('[data-testid="rankings"]');
    if (totals) void renderTotals(totals);
    if (coverage) void renderCoverage(coverage);
    if (rankings) void renderRankings(rankings);
  });
}

void start();
