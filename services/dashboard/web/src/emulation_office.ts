// The national office's part of an emulation year: the council's review of
// the dossier (national reviewers; a vote that does not approve needs the
// reason the head must fix), the President's decision with the grants
// picked from the dossier's proposals and the Government flag forwarded,
// the Prime Minister's outcome, presenting the awards, revoking them with a
// reason; and the awards lists.
import { append, el } from './dom';
import {
  Award, AwardsList, clearOnInput, emu, EmulationYear, errorSlot, field, input, memberName, placeRefusal,
} from './emulation_api';
import type { YearView } from './emulation';
import { ew, fmtDay, fmtTime } from './i18n';

export async function officeSections(v: YearView): Promise<HTMLElement[]> {
  const { year: y, who } = v;
  const out: HTMLElement[] = [];
  if (y.reviews.length) out.push(reviewsCard(v));
  if (y.state === 'YEAR_STATE_DOSSIER_SUBMITTED' && (who.reviewer || who.admin)) out.push(reviewForm(v));
  if (y.decision?.number) {
    const d = y.decision;
    out.push(el('section', { class: 'card', 'data-testid': 'decision' }, el('h2', {}, ew('decision')),
      el('p', {}, `${d.number} · ${fmtDay(d.decidedOn)} · ${d.signer}`),
      el('p', {}, `${ew('grants')}: ${d.grants.map((g) => `${memberName(y, g.organizationCode)} — ${ew(g.kind)}`).join('; ') || '—'}`),
      d.forwardGovernmentFlag ? el('p', {}, ew('forwarded')) : null));
  }
  if (y.state === 'YEAR_STATE_COUNCIL_REVIEWED' && who.admin) out.push(decideForm(v));
  const pmPending = y.awards.some((a) => a.kind === 'AWARD_KIND_GOVERNMENT_FLAG' && a.state === 'AWARD_STATE_PROPOSED');
  if (who.admin && pmPending && (y.state === 'YEAR_STATE_DECIDED' || y.state === 'YEAR_STATE_AWARDED')) out.push(governmentForm(v));
  if (y.state === 'YEAR_STATE_DECIDED' && who.admin) {
    const on = input('date', 'presented_on', v.ctx.me.today);
    const occasion = input('text', 'occasion', `Hội nghị tổng kết năm ${y.key.year}`);
    occasion.size = 50;
    out.push(smallForm(v, 'present-form', ew('presentAwards'), ew('presentHelp'), [field(ew('presentedOn'), on, 'presented_on'), field(ew('occasion'), occasion, 'occasion')],
      'PresentAwards', () => ({ presentedOn: on.value, occasion: occasion.value.trim() }), '', ew('presented')));
  }
  if ((y.state === 'YEAR_STATE_DECIDED' || y.state === 'YEAR_STATE_AWARDED') && who.admin) {
    const reason = el('textarea', { name: 'reason', rows: 2, 'data-testid': 'in-revoke-reason' });
    out.push(smallForm(v, 'revoke-form', ew('revoke'), ew('revokeHelp'), [field(ew('revokeReason'), reason, 'reason')],
      'RevokeYear', () => ({ reason: reason.value.trim() }), '', ew('revokedDone')));
  }
  if (y.awards.length) out.push(awardsCard({ awards: y.awards, emulationFlags: -1, meritCertificates: -1 }, ew('yearAwards')));
  return out;
}

// A form of a few fields that makes one call and reloads the year.
function smallForm(v: YearView, testid: string, title: string, help: string, fields: HTMLElement[], method: string,
  request: () => Record<string, unknown>, prefix: string, done: string, before?: () => void): HTMLElement {
  const status = el('p', { class: 'status', role: 'status', 'data-testid': `${testid}-status` });
  const send = el('button', { type: 'submit', 'data-testid': `${testid}-send` }, title);
  const form = el('form', { class: 'card emu-form', 'data-testid': testid, novalidate: true },
    el('h2', {}, title), help ? el('p', { class: 'muted' }, help) : null, errorSlot(''), ...fields, el('div', { class: 'actions' }, send), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    before?.();
    send.disabled = true;
    status.textContent = ew('sending');
    try {
      await emu<EmulationYear>(method, { key: v.year.key, ...request() });
      v.reload(done);
    } catch (e) {
      status.textContent = placeRefusal(form, e, prefix);
      status.dataset.state = 'refused';
      send.disabled = false;
    }
  });
  return form;
}

function reviewsCard(v: YearView): HTMLElement {
  return el('section', { class: 'card', 'data-testid': 'reviews' }, el('h2', {}, ew('reviews')),
    el('ul', {}, ...v.year.reviews.map((r) => el('li', { 'data-testid': 'review', 'data-approved': String(r.approved) },
      el('strong', {}, r.approved ? ew('approved') : ew('returned')),
      ` · ${ew('dossierRevision')} ${r.dossierRevision} · ${fmtDay(r.heldOn)}`,
      r.vote ? ` · ${ew('councilVoteLine').replace('{present}', String(r.vote.present)).replace('{members}', String(r.vote.members))
        .replace('{for}', String(r.vote.inFavour)).replace('{against}', String(r.vote.against)).replace('{abstain}', String(r.vote.abstaining))}` : '',
      r.returnReason ? el('div', { 'data-testid': 'review-reason' }, `${ew('returnReason')}: ${r.returnReason}`) : null,
      el('div', { class: 'muted' }, r.explanation, ` · ${fmtTime(r.recordedAt)} · ${r.recordedBy}`)))));
}

function reviewForm(v: YearView): HTMLElement {
  const heldOn = input('date', 'council_held_on', v.ctx.me.today);
  const n = {
    members: input('number', 'members'), present: input('number', 'council_present'), inFavour: input('number', 'in_favour'),
    against: input('number', 'against', 0), abstaining: input('number', 'abstaining', 0),
  };
  const reason = el('textarea', { name: 'return_reason', rows: 3, 'data-testid': 'in-return-reason' });
  return smallForm(v, 'review-form', ew('councilReview'), ew('councilHelp'), [
    field(ew('heldOn'), heldOn, 'held_on'),
    el('div', { class: 'filters' }, field(ew('councilMembers'), n.members, 'vote.members'), field(ew('present'), n.present, 'vote.present'),
      field(ew('inFavour'), n.inFavour, 'vote.in_favour'), field(ew('against'), n.against, 'vote.against'), field(ew('abstaining'), n.abstaining, 'vote.abstaining')),
    field(ew('returnReasonIfAny'), reason, 'return_reason'),
  ], 'ReviewDossier', () => ({
    heldOn: heldOn.value, returnReason: reason.value.trim(),
    vote: Object.fromEntries(Object.entries(n).map(([k, i]) => [k, Number(i.value || 0)])),
  }), '', ew('reviewSaved'));
}

function decideForm(v: YearView): HTMLElement {
  const y = v.year;
  const proposals = y.dossier?.proposals ?? [];
  const number = input('text', 'decision_number');
  const on = input('date', 'decided_on', v.ctx.me.today);
  const signer = input('text', 'signer', 'Chủ tịch Liên hiệp các Hội KH&KT Việt Nam');
  signer.size = 50;
  // The Government flag is the Prime Minister's: it is forwarded, not granted.
  const grantable = proposals.filter((p) => p.kind !== 'AWARD_KIND_GOVERNMENT_FLAG');
  const boxes = grantable.map((p) => {
    const b = el('input', { type: 'checkbox', checked: true, 'data-testid': 'grant', 'data-org': p.organizationCode, 'data-kind': p.kind });
    const slot = errorSlot('');
    return { p, b, slot, node: el('div', { 'data-field-box': 'grant' }, el('label', { class: 'check' }, b, ` ${memberName(y, p.organizationCode)} — ${ew(p.kind)}`), slot) };
  });
  const gov = proposals.some((p) => p.kind === 'AWARD_KIND_GOVERNMENT_FLAG');
  const forward = el('input', { type: 'checkbox', checked: gov, disabled: !gov, 'data-testid': 'in-forward' });
  return smallForm(v, 'decide-form', ew('decide'), ew('decideHelp'), [
    field(ew('decisionNumber'), number, 'number'), field(ew('decidedOn'), on, 'decided_on'), field(ew('signer'), signer, 'signer'),
    el('fieldset', {}, el('legend', {}, ew('grants')), errorSlot('grants'), ...boxes.map((x) => x.node)),
    el('div', { class: 'form-field', 'data-field-box': 'forward_government_flag' },
      el('label', { class: 'check' }, forward, ` ${gov ? ew('forwardGov') : ew('noGovProposal')}`), errorSlot('forward_government_flag')),
  ], 'Decide', () => ({
    decision: {
      number: number.value.trim(), decidedOn: on.value, signer: signer.value.trim(), forwardGovernmentFlag: forward.checked,
      grants: boxes.filter((x) => x.b.checked).map((x) => x.p),
    },
  }), 'decision.', ew('decided'), () => {
    // The service names a grant by its place in what was sent.
    for (const x of boxes) x.slot.dataset.field = '';
    boxes.filter((x) => x.b.checked).forEach((x, i) => { x.slot.dataset.field = `grants[${i}]`; });
  });
}

function governmentForm(v: YearView): HTMLElement {
  const granted = el('select', { name: 'granted', 'data-testid': 'in-granted' },
    el('option', { value: 'true' }, ew('pmGranted')), el('option', { value: 'false' }, ew('pmNotGranted')));
  const number = input('text', 'pm_decision_number');
  const on = input('date', 'pm_decided_on', v.ctx.me.today);
  return smallForm(v, 'government-form', ew('pmOutcome'), ew('pmHelp'), [
    field(ew('pmDecision'), granted, 'granted'), field(ew('decisionNumber'), number, 'decision_number'), field(ew('decidedOn'), on, 'decided_on'),
  ], 'RecordGovernmentOutcome', () => ({ granted: granted.value === 'true', decisionNumber: number.value.trim(), decidedOn: on.value }), '', ew('pmSaved'));
}

// Awards: a year's, a province's own, or (national roles) everyone's with
// what an annual report counts (presented and not revoked).
export function awardsCard(list: AwardsList, title: string): HTMLElement {
  const row = (a: Award) => el('tr', { 'data-testid': 'award-row', 'data-org': a.organizationCode, 'data-kind': a.kind, 'data-state': a.state },
    el('td', {}, a.organizationCode), el('td', {}, ew(a.kind)), el('td', {}, ew(a.state)),
    el('td', {}, a.decisionNumber ? `${a.decisionNumber} · ${fmtDay(a.decidedOn)} · ${a.signer}` : ''),
    el('td', {}, a.presentedOn ? `${fmtDay(a.presentedOn)} · ${a.occasion}` : ''),
    el('td', {}, a.year ? `${a.year.year} / ${ew('cluster')} ${a.year.clusterNumber}` : ''));
  const card = el('section', { class: 'card', 'data-testid': 'awards' }, el('h2', {}, title));
  if (list.emulationFlags >= 0) {
    append(card, el('p', { 'data-testid': 'award-counts' }, ew('awardCounts').replace('{flags}', String(list.emulationFlags)).replace('{certs}', String(list.meritCertificates))));
  }
  append(card, list.awards.length === 0 ? el('p', { class: 'muted' }, ew('noAwards')) :
    el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, ...[ew('member'), ew('awardKind'), ew('state'), ew('decision'), ew('presented_'), ew('year')].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...list.awards.map(row)))));
  return card;
}
