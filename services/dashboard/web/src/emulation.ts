// The emulation years (thi đua – khen thưởng): the list of the years the
// person may read (#/emulation) and one year (#/emulation/<organiser>/<year>/<cluster>):
// its dates, state as a timeline of transitions, members, head and deputy,
// then what the person has to do in it: a member's registration,
// self-assessment and answers (emulation_member.ts); the cluster head's and
// deputy's table, cross-checks, ballots, documents and dossier
// (emulation_head.ts); the national office's council review, decision and
// awards (emulation_office.ts). Every call is made as the signed-in person:
// the emulation service decides who may do what, and its refusal is shown.
import './emulation.css';
import { HttpError, Me } from './api';
import { append, clear, el } from './dom';
import {
  Assessment, AwardsList, emu, EmulationYear, keyHash, memberName, stateBadge, YearKey,
} from './emulation_api';
import { covenantSections, signedCovenantCard } from './emulation_covenant';
import { headSections } from './emulation_head';
import { memberSections } from './emulation_member';
import { awardsCard, officeSections } from './emulation_office';
import { ew, fmtDay, fmtTime } from './i18n';
import { PageContext, renderProblem } from './page';

// Who the person is in this year.
export interface Standing {
  admin: boolean;
  reviewer: boolean;
  national: boolean;
  // A province clerk of a member taking part.
  member: boolean;
  head: boolean;
  deputy: boolean;
}

export function standingIn(me: Me, year: EmulationYear): Standing {
  const province = me.role === 'ROLE_PROVINCE_REPORTER';
  const org = me.organizationCode;
  return {
    admin: me.role === 'ROLE_NATIONAL_ADMIN',
    reviewer: me.role === 'ROLE_NATIONAL_REVIEWER',
    national: me.national,
    member: province && year.members.some((m) => m.organizationCode === org && m.takesPart),
    head: province && year.covenant?.headCode === org,
    deputy: province && year.covenant?.deputyCode === org,
  };
}

// What a section of the year's page is drawn from.
export interface YearView {
  ctx: PageContext;
  year: EmulationYear;
  assessment: Assessment | null;
  who: Standing;
  // Reads the year again and draws the page, with `said` on its status line.
  reload: (said?: string) => void;
}

export function mayUseEmulation(me: Me): boolean {
  // Judges have no part in the emulation year; a dashboard without an
  // emulation service has none to show.
  return me.role !== 'ROLE_JUDGE' && me.features.emulation;
}

// ---------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------

export async function renderEmulationList(ctx: PageContext): Promise<void> {
  const here = location.hash;
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, ew('loading')));
  let years: EmulationYear[];
  let awards: AwardsList | null;
  try {
    [years, awards] = await Promise.all([
      emu<{ years: EmulationYear[] }>('ListYears', {}).then((r) => r.years),
      // A province sees its own awards; the national roles everyone's.
      emu<AwardsList>('ListAwards', { organizationCode: ctx.me.national ? '' : ctx.me.organizationCode }).catch(() => null),
    ]);
  } catch (e) {
    return renderProblem(ctx, e);
  }
  if (location.hash !== here) return;
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('main', { class: 'emu-screen', 'data-testid': 'emulation-list' },
    el('section', { class: 'card' },
      el('h1', {}, ew('emulation')),
      el('p', { class: 'muted' }, ctx.me.national ? ew('listNational') : ew('listProvince')),
      years.length === 0 ? el('p', { class: 'muted', 'data-testid': 'no-years' }, ew('noYears')) :
        el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
          el('thead', {}, el('tr', {}, ...[ew('year'), ew('cluster'), ew('name'), ew('head'), ew('state'), ew('updated')].map((h) => el('th', {}, h)))),
          el('tbody', {}, ...years.map((y) => el('tr', { 'data-testid': 'year-row', 'data-year': y.key.year, 'data-cluster': y.key.clusterNumber, 'data-state': y.state },
            el('td', {}, String(y.key.year)),
            el('td', {}, String(y.key.clusterNumber)),
            el('td', {}, el('a', { href: keyHash(y.key), 'data-testid': 'open-year' }, y.name)),
            el('td', {}, y.covenant?.headCode ? memberName(y, y.covenant.headCode) : ''),
            el('td', {}, stateBadge(y.state)),
            el('td', {}, fmtTime(y.updatedAt)))))))),
    awards ? awardsCard(awards, ctx.me.national ? ew('awardsAll') : ew('awardsOwn')) : null));
}

// ---------------------------------------------------------------------------
// One year
// ---------------------------------------------------------------------------

// What the last action said, shown once on the page drawn after it.
let said: { hash: string; text: string } | null = null;

export async function renderYear(ctx: PageContext, key: YearKey): Promise<void> {
  const here = location.hash;
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, ew('loading')));
  let year: EmulationYear;
  let assessment: Assessment | null;
  try {
    [year, assessment] = await Promise.all([
      emu<EmulationYear>('GetYear', { key }),
      // Without the three columns the rest of the year still shows.
      emu<Assessment>('GetAssessment', { key }).catch((e: unknown) => {
        if (e instanceof HttpError && e.status === 401) throw e;
        return null;
      }),
    ]);
  } catch (e) {
    return renderProblem(ctx, e);
  }
  if (location.hash !== here) return;
  const flash = said && said.hash === here ? said.text : '';
  said = null;
  const reload = (text?: string) => {
    if (text) said = { hash: here, text };
    void renderYear(ctx, key);
  };
  const view: YearView = { ctx, year, assessment, who: standingIn(ctx.me, year), reload };
  // Sections may await (documents); the page is drawn once all are ready.
  const [member, head, office] = await Promise.all([memberSections(view), headSections(view), officeSections(view)]);
  const covenant = covenantSections(view);
  if (location.hash !== here) return;
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('main', { class: 'emu-screen', 'data-testid': 'year-page', 'data-state': year.state, 'data-revision': year.revision },
    el('a', { href: '#/emulation' }, ew('backToList')),
    summaryCard(view),
    flash ? el('p', { class: 'notice', role: 'status', 'data-testid': 'year-said' }, flash) : null,
    // The national office's own steps come first on its page.
    ...(ctx.me.national ? [...office, ...covenant, ...member, ...head] : [...member, ...covenant, ...head, ...office]),
    signedCovenantCard(view),
    membersCard(view),
    timelineCard(view)));
}

function summaryCard(v: YearView): HTMLElement {
  const y = v.year;
  const c = y.covenant;
  return el('section', { class: 'card', 'data-testid': 'year-summary' },
    el('div', { class: 'section-head' }, el('h1', { 'data-testid': 'year-name' }, y.name), stateBadge(y.state)),
    el('p', {}, `${ew('span')}: ${fmtDay(y.startDate)} – ${fmtDay(y.endDate)} · ${ew('schemeOf')} ${y.schemeYear} (${ew('version')} ${y.schemeVersion}) · ${ew('rankingPeriod')} ${y.rankingPeriod}`),
    el('p', { 'data-testid': 'year-deadlines' }, `${ew('selfDue')}: ${fmtDay(y.selfAssessmentDue)} · ${ew('selfCloses')}: ${fmtDay(y.selfAssessmentCloses)}`),
    el('p', { 'data-testid': 'year-officers' },
      `${ew('head')}: ${c?.headCode ? memberName(y, c.headCode) : '—'} · ${ew('deputy')}: ${c?.deputyCode ? memberName(y, c.deputyCode) : '—'}`,
      y.nextHeadCode ? ` · ${ew('nextHead')}: ${memberName(y, y.nextHeadCode)}` : '',
      y.nextDeputyCode ? ` · ${ew('nextDeputy')}: ${memberName(y, y.nextDeputyCode)}` : ''),
    c?.signedOn ? el('p', {}, `${ew('covenant')}: ${c.planNumber} · ${ew('signedOn')} ${fmtDay(c.signedOn)}`) : null,
    y.revokedReason ? el('p', { class: 'error', 'data-testid': 'revoked-reason' }, `${ew('revoked')}: ${y.revokedReason}`) : null);
}

function membersCard(v: YearView): HTMLElement {
  const y = v.year;
  return el('section', { class: 'card', 'data-testid': 'year-members' },
    el('h2', {}, ew('members')),
    el('ul', { class: 'emu-members' }, ...y.members.map((m) => el('li', { 'data-testid': 'year-member', 'data-org': m.organizationCode, 'data-takes-part': String(m.takesPart) },
      `${m.organizationName} (${m.organizationCode})`,
      m.organizationCode === y.covenant?.headCode ? el('span', { class: 'badge badge-role' }, ew('head')) : null,
      m.organizationCode === y.covenant?.deputyCode ? el('span', { class: 'badge badge-role' }, ew('deputy')) : null,
      m.takesPart ? null : el('span', { class: 'muted', 'data-testid': 'merged' }, ' — ',
        m.successorCode
          ? ew('mergedInto').replace('{to}', memberName(y, m.successorCode)).replace('{on}', fmtDay(m.endedOn))
          : ew('endedOn').replace('{on}', fmtDay(m.endedOn)))))));
}

function timelineCard(v: YearView): HTMLElement {
  return el('section', { class: 'card', 'data-testid': 'year-timeline' },
    el('h2', {}, ew('timeline')),
    el('ol', { class: 'emu-timeline' }, ...v.year.transitions.map((tr) => el('li', { 'data-testid': 'transition', 'data-to': tr.to },
      el('strong', {}, ew(tr.to)),
      ` · ${fmtTime(tr.at)} · ${tr.by}`,
      tr.note ? el('div', { class: 'muted' }, tr.note) : null))));
}
