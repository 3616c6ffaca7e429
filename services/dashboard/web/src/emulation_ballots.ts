// The year-end conference and after, on the head's side: the secret ballots
// (a count per round as the vote-counting committee signs it, never who
// voted for whom; each round's outcome in the rule's words; a tie offers a
// re-ballot among the tied), closing the vote with the conference, the
// documents generated from the records (plain text in <pre>, printable),
// and the dossier (letter, signed minutes uploaded; after a return, the
// council's reason and what was changed).
import { append, clear, el } from './dom';
import {
  Ballot, clearOnInput, Document, emu, EmulationYear, errorSlot, field, fileButton, FileRef, input, memberName, num,
  placeRefusal, reached, upload,
} from './emulation_api';
import type { YearView } from './emulation';
import { ew, fmtDay, fmtTime } from './i18n';

export async function ballotSections(v: YearView): Promise<HTMLElement[]> {
  const { year, who } = v;
  const runsCluster = who.head || who.admin;
  const out: HTMLElement[] = [];
  const voting = year.state === 'YEAR_STATE_CROSS_CHECKED' && runsCluster;
  let form: BallotForm | null = null;
  if (voting) form = ballotForm(v);
  if (year.ballots.length || voting) out.push(ballotsCard(v, form));
  if (voting) out.push(conferenceForm(v));
  if (year.conference?.heldOn) {
    const c = year.conference;
    out.push(el('section', { class: 'card', 'data-testid': 'conference' }, el('h2', {}, ew('conference')),
      el('p', {}, `${fmtDay(c.heldOn)} · ${c.place} · ${ew('chair')}: ${c.chair} · ${ew('secretary')}: ${c.secretary}`)));
  }
  if (reached(year, 'YEAR_STATE_VOTED') && (who.head || who.deputy || who.national)) out.push(await documentsCard(v));
  if (year.dossier && year.dossier.revision > 0) out.push(dossierCard(v));
  if ((year.state === 'YEAR_STATE_VOTED' || year.state === 'YEAR_STATE_DOSSIER_RETURNED') && runsCluster) out.push(dossierForm(v));
  return out;
}

// ---------------------------------------------------------------------------
// Ballots
// ---------------------------------------------------------------------------

function lastRound(ballots: Ballot[], kind: string): Ballot | undefined {
  return [...ballots].reverse().find((b) => b.tally.kind === kind);
}

function names(v: YearView, codes: string[]): string {
  return codes.map((c) => memberName(v.year, c)).join(', ') || '—';
}

interface BallotForm { node: HTMLElement; rebal: (kind: string) => void }

function ballotsCard(v: YearView, form: BallotForm | null): HTMLElement {
  const y = v.year;
  const rows = y.ballots.map((b) => {
    const tie = b.outcome === 'BALLOT_OUTCOME_TIE';
    // Only the newest round of a kind can still be re-balloted.
    const again = tie && form && lastRound(y.ballots, b.tally.kind) === b
      ? el('button', { type: 'button', 'data-testid': 'reballot' }, ew('reballot')) : null;
    again?.addEventListener('click', () => form!.rebal(b.tally.kind));
    const t = b.tally;
    return el('tr', { 'data-testid': 'ballot-row', 'data-kind': t.kind, 'data-round': b.round, 'data-outcome': b.outcome },
      el('td', {}, ew(t.kind)), el('td', { class: 'num' }, String(b.round)), el('td', {}, fmtDay(t.heldOn)),
      el('td', {}, `${t.present}/${t.entitled}${t.writtenOpinions ? ` + ${t.writtenOpinions}` : ''} · ${ew('validInvalid').replace('{v}', String(t.valid)).replace('{i}', String(t.invalid))}`),
      el('td', {}, t.votes.map((c) => `${c.organizationCode}: ${c.votes}`).join(', ')),
      el('td', {}, el('span', { class: `badge ${tie ? 'badge-late' : 'badge-role'}` }, ew(b.outcome))),
      el('td', { 'data-testid': 'elected' }, names(v, b.electedCodes)),
      el('td', { 'data-testid': 'tied' }, tie ? names(v, b.tiedCodes) : '', again ? ' ' : '', again),
      el('td', { class: 'muted', 'data-testid': 'explanation' }, b.explanation));
  });
  return el('section', { class: 'card', 'data-testid': 'ballots' },
    el('h2', {}, ew('ballots')),
    el('p', { class: 'muted' }, ew('secretBallot')),
    rows.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, ...[ew('ballotKind'), ew('round'), ew('heldOn'), ew('turnout'), ew('votes'), ew('outcome'), ew('elected'), ew('tied'), ew('explanation')].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows))) : el('p', { class: 'muted' }, ew('noBallots')),
    form ? form.node : null);
}

function ballotForm(v: YearView): BallotForm {
  const y = v.year;
  const kinds = y.ballotRules.map((r) => r.kind).filter((k) => k !== 'BALLOT_KIND_COUNCIL_REVIEW');
  const kind = el('select', { name: 'kind', 'data-testid': 'in-kind' }, ...kinds.map((k) => el('option', { value: k }, ew(k))));
  const heldOn = input('date', 'held_on', v.ctx.me.today);
  const counts = {
    entitled: input('number', 'entitled'), present: input('number', 'present'), written_opinions: input('number', 'written_opinions', 0),
    ballots_issued: input('number', 'ballots_issued'), valid: input('number', 'valid'), invalid: input('number', 'invalid', 0),
  };
  const ruleLine = el('p', { class: 'muted', 'data-testid': 'ballot-rule' });
  const tieLine = el('p', { class: 'notice', 'data-testid': 'tie-note', hidden: true });
  const candidates = el('tbody', {});
  let rows: { code: string; votes: HTMLInputElement; slot: HTMLElement }[] = [];
  const drawCandidates = () => {
    const rule = y.ballotRules.find((r) => r.kind === kind.value);
    ruleLine.textContent = rule ? ew('ruleLine').replace('{seats}', String(rule.seats)).replace('{quorum}', `${Math.round(num(rule.quorum) * 1000) / 10}%`)
      .replace('{threshold}', `${Math.round(num(rule.threshold) * 1000) / 10}%`).replace('{of}', ew(rule.thresholdOf))
      .replace('{more}', rule.moreThan ? ew('moreThan') : ew('atLeast')).replace('{basis}', rule.basis) : '';
    const last = lastRound(y.ballots, kind.value);
    const tied = last?.outcome === 'BALLOT_OUTCOME_TIE' ? last.tiedCodes : null;
    tieLine.hidden = !tied;
    tieLine.textContent = tied ? ew('tieNote').replace('{round}', String((last?.round ?? 0) + 1)).replace('{tied}', names(v, tied)) : '';
    // A re-ballot's candidates are exactly those tied in the round before.
    const codes = tied ?? y.members.filter((m) => m.takesPart).map((m) => m.organizationCode);
    clear(candidates);
    rows = codes.map((code) => {
      const votes = input('number', 'votes');
      votes.min = '0';
      votes.setAttribute('aria-label', `${ew('votes')} ${code}`);
      const slot = errorSlot('');
      candidates.appendChild(el('tr', { 'data-testid': 'candidate-row', 'data-org': code },
        el('th', { scope: 'row' }, memberName(y, code)), el('td', { 'data-field-box': `votes:${code}` }, votes, slot)));
      return { code, votes, slot };
    });
  };
  kind.addEventListener('change', drawCandidates);
  drawCandidates();
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'ballot-status' });
  const record = el('button', { type: 'submit', 'data-testid': 'record-ballot' }, ew('recordBallot'));
  const form = el('form', { class: 'emu-form', 'data-testid': 'ballot-form', novalidate: true },
    el('h3', {}, ew('newBallot')),
    field(ew('ballotKind'), kind, 'kind'), ruleLine, tieLine,
    el('div', { class: 'filters' }, field(ew('heldOn'), heldOn, 'held_on'),
      field(ew('entitled'), counts.entitled, 'entitled'), field(ew('present'), counts.present, 'present'),
      field(ew('writtenOpinions'), counts.written_opinions, 'written_opinions')),
    el('div', { class: 'filters' }, field(ew('ballotsIssued'), counts.ballots_issued, 'ballots_issued'),
      field(ew('valid'), counts.valid, 'valid'), field(ew('invalid'), counts.invalid, 'invalid')),
    el('p', {}, ew('candidatesHelp')), errorSlot('votes'),
    el('table', { class: 'data' }, el('thead', {}, el('tr', {}, el('th', {}, ew('candidate')), el('th', {}, ew('votes')))), candidates),
    el('div', { class: 'actions' }, record), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const given = rows.filter((r) => r.votes.value.trim() !== '');
    // The service names a candidate by its place in what was sent.
    for (const r of rows) r.slot.dataset.field = '';
    given.forEach((r, i) => { r.slot.dataset.field = `votes[${i}]`; });
    const tally = {
      kind: kind.value, heldOn: heldOn.value,
      ...Object.fromEntries(Object.entries(counts).map(([k, i]) => [k.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()), Number(i.value || 0)])),
      votes: given.map((r) => ({ organizationCode: r.code, votes: Number(r.votes.value) })),
    };
    record.disabled = true;
    status.textContent = ew('sending');
    try {
      const after = await emu<EmulationYear>('RecordBallot', { key: y.key, tally });
      const b = after.ballots[after.ballots.length - 1];
      v.reload(ew('ballotSaved').replace('{kind}', ew(b.tally.kind)).replace('{round}', String(b.round)).replace('{outcome}', ew(b.outcome)).replace('{explanation}', b.explanation));
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'tally.');
      status.dataset.state = 'refused';
      record.disabled = false;
    }
  });
  return {
    node: form,
    rebal: (k: string) => {
      kind.value = k;
      drawCandidates();
      form.scrollIntoView({ block: 'start' });
      rows[0]?.votes.focus();
    },
  };
}

function conferenceForm(v: YearView): HTMLElement {
  const heldOn = input('date', 'conference_held_on', v.ctx.me.today);
  const place = input('text', 'place');
  const chair = input('text', 'chair');
  const secretary = input('text', 'secretary');
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'close-voting-status' });
  const close = el('button', { type: 'submit', 'data-testid': 'close-voting' }, ew('closeVoting'));
  const form = el('form', { class: 'card emu-form', 'data-testid': 'conference-form', novalidate: true },
    el('h2', {}, ew('closeVoting')), el('p', { class: 'muted' }, ew('closeVotingHelp')),
    field(ew('heldOn'), heldOn, 'held_on'), field(ew('place'), place, 'place'),
    field(ew('chair'), chair, 'chair'), field(ew('secretary'), secretary, 'secretary'),
    el('div', { class: 'actions' }, close), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    close.disabled = true;
    try {
      await emu<EmulationYear>('CloseVoting', { key: v.year.key, conference: { heldOn: heldOn.value, place: place.value.trim(), chair: chair.value.trim(), secretary: secretary.value.trim() } });
      v.reload(ew('votingClosed'));
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'conference.');
      close.disabled = false;
    }
  });
  return form;
}

// ---------------------------------------------------------------------------
// Documents and the dossier
// ---------------------------------------------------------------------------

// Each document's text is plain text laid out for printing: shown in <pre>
// as text, and printed alone.
export function documentNode(d: Document): HTMLElement {
  const print = el('button', { type: 'button', 'data-testid': 'print-document' }, ew('print'));
  // Folded: four documents of a few pages each would bury the page.
  const box = el('details', { class: 'emu-document', 'data-testid': 'document', 'data-kind': d.kind },
    el('summary', {}, el('strong', {}, d.title)),
    el('div', { class: 'actions no-print' }, print),
    el('pre', { 'data-testid': 'document-text' }, d.text),
    el('p', { class: 'muted no-print' }, `SHA-256 ${d.sha256}`));
  print.addEventListener('click', () => {
    box.open = true;
    document.body.classList.add('printing-document');
    box.classList.add('print-target');
    const done = () => {
      document.body.classList.remove('printing-document');
      box.classList.remove('print-target');
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    window.print();
  });
  return box;
}

async function documentsCard(v: YearView): Promise<HTMLElement> {
  const card = el('section', { class: 'card', 'data-testid': 'documents' }, el('h2', {}, ew('documents')),
    el('p', { class: 'muted' }, ew('documentsHelp')));
  try {
    const r = await emu<{ documents: Document[] }>('GetDocuments', { key: v.year.key });
    append(card, ...r.documents.map(documentNode));
  } catch (e) {
    append(card, el('p', { class: 'error' }, `${ew('refused')}: ${(e as Error).message}`));
  }
  return card;
}

function dossierCard(v: YearView): HTMLElement {
  const d = v.year.dossier!;
  const key = v.year.key;
  return el('section', { class: 'card', 'data-testid': 'dossier', 'data-revision': d.revision },
    el('h2', {}, ew('dossier')),
    el('p', {}, ew('dossierLine').replace('{r}', String(d.revision)).replace('{number}', d.letterNumber).replace('{date}', fmtDay(d.letterDate))
      .replace('{at}', fmtTime(d.submittedAt)).replace('{by}', d.submittedBy)),
    d.note ? el('p', { 'data-testid': 'dossier-note' }, `${ew('changeNote')}: ${d.note}`) : null,
    el('p', {}, `${ew('signedMinutes')}: `, d.signedMinutes?.sha256 ? fileButton(key, d.signedMinutes) : '—',
      ...d.attachments.flatMap((a) => [' · ', fileButton(key, a)])),
    el('p', { 'data-testid': 'proposals' }, `${ew('proposals')}: `, d.proposals.map((p) => `${memberName(v.year, p.organizationCode)} — ${ew(p.kind)}`).join('; ') || '—'));
}

function dossierForm(v: YearView): HTMLElement {
  const y = v.year;
  const returned = y.state === 'YEAR_STATE_DOSSIER_RETURNED';
  const lastReview = y.reviews[y.reviews.length - 1];
  const number = input('text', 'letter_number');
  const date = input('date', 'letter_date', v.ctx.me.today);
  const note = el('textarea', { name: 'note', rows: 3, 'data-testid': 'in-note' });
  let minutes: FileRef | null = null;
  const attachments: FileRef[] = [];
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'dossier-status' });
  const minutesName = el('span', { 'data-testid': 'minutes-name' });
  const attachList = el('span', { 'data-testid': 'attachments' });
  const fileInput = (testid: string, onRef: (ref: FileRef) => void) => {
    const f = el('input', { type: 'file', 'data-testid': testid });
    f.addEventListener('change', async () => {
      const file = f.files?.[0];
      if (!file) return;
      status.textContent = ew('uploading').replace('{name}', file.name);
      try {
        onRef(await upload(y.key, file));
        status.textContent = ew('uploaded').replace('{name}', file.name);
      } catch (e) {
        status.textContent = `${ew('uploadFailed')}: ${(e as Error).message}`;
      } finally {
        f.value = '';
      }
    });
    return f;
  };
  const minutesIn = fileInput('in-signed-minutes', (ref) => { minutes = ref; minutesName.textContent = ref.name; });
  const attachIn = fileInput('in-attachment', (ref) => { attachments.push(ref); attachList.textContent = attachments.map((a) => a.name).join(', '); });
  const send = el('button', { type: 'submit', 'data-testid': 'submit-dossier' }, returned ? ew('resubmitDossier') : ew('submitDossier'));
  const form = el('form', { class: 'card emu-form', 'data-testid': 'dossier-form', novalidate: true },
    el('h2', {}, returned ? ew('resubmitDossier') : ew('submitDossier')),
    returned && lastReview ? el('p', { class: 'notice', 'data-testid': 'return-reason' }, `${ew('returnedBecause')}: ${lastReview.returnReason}`) : null,
    field(ew('letterNumber'), number, 'letter_number'), field(ew('letterDate'), date, 'letter_date'),
    el('div', { class: 'form-field', 'data-field-box': 'signed_minutes' }, el('label', {}, `${ew('signedMinutes')} `, minutesIn), ' ', minutesName, errorSlot('signed_minutes')),
    el('div', { class: 'form-field', 'data-field-box': 'attachments' }, el('label', {}, `${ew('attachments')} `, attachIn), ' ', attachList, errorSlot('attachments')),
    returned ? field(ew('changeNote'), note, 'note') : null,
    el('div', { class: 'actions' }, send), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    send.disabled = true;
    status.textContent = ew('sending');
    const dossier = {
      letterNumber: number.value.trim(), letterDate: date.value, note: note.value.trim(),
      ...(minutes ? { signedMinutes: { sha256: (minutes as FileRef).sha256 } } : {}),
      attachments: attachments.map((a) => ({ sha256: a.sha256 })),
    };
    try {
      await emu<EmulationYear>('SubmitDossier', { key: y.key, dossier });
      v.reload(ew('dossierSaved'));
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'dossier.');
      send.disabled = false;
    }
  });
  return form;
}
