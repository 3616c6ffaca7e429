// The cluster's officers' part of an emulation year: the three-column table
// (computed by the ranking service from accepted data, the member's own
// score, the verified one) that everyone reading the year sees; closing
// self-assessment; the cross-check form per member for the head's and the
// deputy's clerks (never their own organisation; a changed score needs a
// reason, which the page marks and the service enforces); closing the
// cross-check; then ballots, documents and the dossier (emulation_ballots.ts).
import { append, el } from './dom';
import {
  AssessedMember, clearOnInput, emu, EmulationYear, errorSlot, evidenceNode, num, placeRefusal, pts, reached,
} from './emulation_api';
import { ballotSections } from './emulation_ballots';
import type { YearView } from './emulation';
import { ew } from './i18n';

export async function headSections(v: YearView): Promise<HTMLElement[]> {
  const { year, who } = v;
  const out: HTMLElement[] = [];
  const runsCluster = who.head || who.admin;
  if (year.state === 'YEAR_STATE_IN_PROGRESS' && runsCluster) {
    out.push(stepCard(v, 'closeSelf', 'CloseSelfAssessment', ew('closeSelfHelp'), ew('selfClosed')));
  }
  // The table is what self-assessment and the cross-check work from; later
  // it is the record behind the votes, below them.
  const table = v.assessment ? assessmentCard(v) : null;
  const late = reached(year, 'YEAR_STATE_CROSS_CHECKED');
  if (table && !late) out.push(table);
  if (year.state === 'YEAR_STATE_SELF_ASSESSED' && (who.head || who.deputy || who.admin) && v.assessment) {
    const own = v.ctx.me.organizationCode;
    const others = v.assessment.members.filter((m) => m.takesPart && (who.admin || m.organizationCode !== own));
    out.push(el('section', { class: 'card', 'data-testid': 'cross-checks' },
      el('h2', {}, ew('crossCheck')),
      el('p', { class: 'muted' }, who.admin ? ew('crossCheckHelpOffice') : ew('crossCheckHelp').replace('{other}', who.head ? ew('deputy') : ew('head'))),
      ...others.map((m) => checkForm(v, m))));
    if (runsCluster) out.push(stepCard(v, 'closeCheck', 'CloseCrossCheck', ew('closeCheckHelp'), ew('checkClosed')));
  }
  out.push(...await ballotSections(v));
  if (table && late) out.push(table);
  return out;
}

// One closing step of the cluster: a button, the service's refusal beside it.
export function stepCard(v: YearView, word: string, method: string, help: string, done: string, request: Record<string, unknown> = {}): HTMLElement {
  const status = el('p', { class: 'status', role: 'status', 'data-testid': `${word}-status` });
  const b = el('button', { type: 'button', 'data-testid': word }, ew(word));
  b.addEventListener('click', async () => {
    b.disabled = true;
    status.textContent = ew('sending');
    try {
      await emu<EmulationYear>(method, { key: v.year.key, ...request });
      v.reload(done);
    } catch (e) {
      status.textContent = `${ew('refused')}: ${(e as Error).message}`;
      status.dataset.state = 'refused';
      b.disabled = false;
    }
  });
  return el('section', { class: 'card', 'data-testid': `${word}-card` }, el('p', {}, help), el('div', { class: 'actions' }, b), status);
}

// ---------------------------------------------------------------------------
// The three columns
// ---------------------------------------------------------------------------

function assessmentCard(v: YearView): HTMLElement {
  const a = v.assessment!;
  const body = el('tbody', {});
  for (const m of a.members) {
    const sheet = v.year.selfAssessments.find((s) => s.organizationCode === m.organizationCode);
    append(body, el('tr', { class: 'member-row', 'data-testid': 'assess-row', 'data-org': m.organizationCode, 'data-takes-part': String(m.takesPart) },
      el('td', { class: 'num', 'data-col': 'rank' }, m.takesPart ? String(m.rank) : ''),
      el('th', { scope: 'row' }, `${m.organizationName} (${m.organizationCode})`,
        m.late ? el('span', { class: 'badge-late', 'data-testid': 'late' }, ew('late')) : null,
        m.takesPart ? null : el('span', { class: 'muted' }, ` — ${ew('notTakingPart')}`)),
      el('td', { class: 'muted' }, num(m.adjustments) ? `${ew('adjustments')} ${pts(m.adjustments)}` : ''),
      el('td', { class: 'num', 'data-col': 'computed' }, a.computedAvailable ? pts(m.computedTotal) : '—'),
      el('td', { class: 'num', 'data-col': 'self' }, m.selfAssessed ? pts(m.selfTotal) : '—'),
      el('td', { class: 'num', 'data-col': 'verified' }, m.crossChecked ? pts(m.verifiedTotal) : '—'),
      el('td', {}, ''), el('td', {}, '')));
    if (!m.takesPart) continue;
    for (const c of m.criteria) {
      const evidence = sheet?.scores.find((s) => s.criterionCode === c.criterionCode)?.evidence ?? [];
      const changed = c.hasVerified && c.hasSelf && num(c.verifiedPoints) !== num(c.selfPoints);
      append(body, el('tr', { class: `criterion-row${changed ? ' changed' : ''}`, 'data-testid': 'assess-criterion', 'data-org': m.organizationCode, 'data-criterion': c.criterionCode },
        el('td', {}, ''),
        el('td', { class: 'indent' }, c.criterionName),
        el('td', { class: 'num muted' }, `/ ${pts(c.maxPoints)}`),
        el('td', { class: 'num', 'data-col': 'computed' }, a.computedAvailable ? pts(c.computedPoints) : '—'),
        el('td', { class: 'num', 'data-col': 'self' }, c.hasSelf ? pts(c.selfPoints) : '—'),
        el('td', { class: 'num', 'data-col': 'verified' }, c.hasVerified ? pts(c.verifiedPoints) : '—'),
        el('td', { 'data-col': 'evidence' }, c.evidenceCount ? el('span', { class: 'muted' }, ew('evidenceCount').replace('{n}', String(c.evidenceCount))) : '',
          ...evidence.map((e) => el('div', {}, evidenceNode(v.year.key, e)))),
        el('td', { 'data-col': 'reason' }, c.reason)));
    }
  }
  return el('section', { class: 'card', 'data-testid': 'assessment' },
    el('h2', {}, ew('threeColumns')),
    el('p', { class: 'muted' }, ew('threeColumnsHelp')),
    a.computedAvailable ? null : el('p', { class: 'notice', 'data-testid': 'computed-unavailable' }, ew('computedUnavailable')),
    el('div', { class: 'table-wrap tall' }, el('table', { class: 'data emu-assessment' },
      el('thead', {}, el('tr', {}, ...[ew('rank'), ew('member'), '', ew('computed'), ew('self'), ew('verified'), ew('evidence'), ew('reason')].map((h) => el('th', {}, h)))),
      body)));
}

// ---------------------------------------------------------------------------
// The cross-check of one member
// ---------------------------------------------------------------------------

function checkForm(v: YearView, m: AssessedMember): HTMLElement {
  const prior = v.year.crossChecks.find((c) => c.organizationCode === m.organizationCode);
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'check-status' });
  const rows = m.criteria.map((c, i) => {
    const before = prior?.checks.find((k) => k.criterionCode === c.criterionCode);
    const verified = el('input', { type: 'number', step: '0.01', min: '0', max: String(num(c.maxPoints)), name: 'verified', 'data-testid': 'in-verified', 'aria-label': `${ew('verified')} ${c.criterionName}` });
    verified.value = String(before ? num(before.verifiedPoints) : c.hasSelf ? num(c.selfPoints) : '');
    const reason = el('input', { type: 'text', name: 'reason', 'data-testid': 'in-reason', 'aria-label': `${ew('reason')} ${c.criterionName}`, size: 40 });
    reason.value = before?.reason ?? '';
    const mark = el('span', { class: 'required-mark', 'aria-hidden': 'true' }, '*');
    // The page says when a reason is needed; the service decides.
    const needs = () => {
      const differs = !c.hasSelf || verified.value.trim() === '' || Number(verified.value) !== num(c.selfPoints);
      reason.required = differs;
      reason.dataset.required = String(differs);
      reason.placeholder = differs ? ew('reasonRequired') : '';
      mark.hidden = !differs;
    };
    verified.addEventListener('input', needs);
    needs();
    const row = el('tr', { 'data-testid': 'check-row', 'data-criterion': c.criterionCode },
      el('th', { scope: 'row', 'data-field-box': `checks[${i}]` }, c.criterionName, el('div', { class: 'muted' }, `/ ${pts(c.maxPoints)}`), errorSlot(`checks[${i}]`)),
      el('td', { class: 'num' }, a11y(c.hasSelf ? pts(c.selfPoints) : '—')),
      el('td', { class: 'num' }, pts(c.computedPoints)),
      el('td', { 'data-field-box': `checks[${i}].verified_points` }, verified, errorSlot(`checks[${i}].verified_points`)),
      el('td', { 'data-field-box': `checks[${i}].reason` }, reason, mark, errorSlot(`checks[${i}].reason`)));
    return { code: c.criterionCode, row, verified, reason };
  });
  const save = el('button', { type: 'submit', 'data-testid': 'save-check' }, prior ? ew('saveCheckAgain') : ew('saveCheck'));
  const form = el('form', { class: 'emu-form check-form', 'data-testid': 'check-form', 'data-org': m.organizationCode, novalidate: true },
    el('h3', {}, `${m.organizationName} (${m.organizationCode})`, m.late ? el('span', { class: 'badge-late' }, ew('late')) : null,
      prior ? el('span', { class: 'muted', 'data-testid': 'check-revision' }, ` · ${ew('checkedRevision').replace('{r}', String(prior.revision)).replace('{by}', prior.checkedByCode)}`) : null),
    m.selfAssessed ? null : el('p', { class: 'notice' }, ew('notSelfAssessed')),
    errorSlot('checks'), errorSlot('organization_code'),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, ...[ew('criterion'), ew('self'), ew('computed'), ew('verified'), ew('reason')].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows.map((r) => r.row)))),
    el('div', { class: 'actions' }, save), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    save.disabled = true;
    status.textContent = ew('sending');
    const checks = rows.map((r) => ({
      criterionCode: r.code, verifiedPoints: r.verified.value.trim() === '' ? 0 : Number(r.verified.value), reason: r.reason.value.trim(),
    }));
    try {
      await emu<EmulationYear>('CrossCheck', { key: v.year.key, check: { organizationCode: m.organizationCode, checks } });
      v.reload(ew('checkSaved').replace('{org}', m.organizationCode));
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'check.');
      status.dataset.state = 'refused';
      save.disabled = false;
    }
  });
  return form;
}

function a11y(text: string): HTMLElement {
  return el('span', { 'data-col': 'self' }, text);
}
