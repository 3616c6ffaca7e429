// A member's part of its emulation year, as its province clerk sees it: its
// registration (read-only once the covenant is signed), the self-assessment
// form while the year is in progress (points, explanation and evidence per
// criterion of the scheme: links, or files uploaded with UploadFile), and
// after the cross-check the verified scores with their reasons and the
// member's answer.
import { append, clear, el } from './dom';
import {
  AssessedCriterion, clearOnInput, emu, EmulationYear, errorSlot, Evidence, evidenceNode, input, num,
  placeRefusal, pts, reached, upload,
} from './emulation_api';

const AIMS = ['AWARD_KIND_UNION_FLAG', 'AWARD_KIND_MERIT_CERTIFICATE', 'AWARD_KIND_GOVERNMENT_FLAG'];
import type { YearView } from './emulation';
import { ew, fmtDay, fmtTime } from './i18n';

export async function memberSections(v: YearView): Promise<HTMLElement[]> {
  if (!v.who.member) return [];
  const org = v.ctx.me.organizationCode;
  const out: HTMLElement[] = [v.year.state === 'YEAR_STATE_SCHEME_ISSUED' ? registrationForm(v, org) : registrationCard(v, org)];
  const mine = v.assessment?.members.find((m) => m.organizationCode === org);
  if (v.year.state === 'YEAR_STATE_IN_PROGRESS') {
    out.push(mine ? selfForm(v, org, mine.criteria) : el('section', { class: 'card' }, el('p', { class: 'error' }, ew('noCriteria'))));
  } else if (reached(v.year, 'YEAR_STATE_SELF_ASSESSED')) {
    out.push(sheetCard(v, org));
  }
  if (v.year.crossChecks.some((c) => c.organizationCode === org) && mine) out.push(checkedCard(v, org, mine.criteria));
  return out;
}

function registrationCard(v: YearView, org: string): HTMLElement {
  const y = v.year;
  const signed = y.covenant?.registrations.find((r) => r.organizationCode === org);
  const r = signed ?? y.registrations.find((x) => x.organizationCode === org);
  return el('section', { class: 'card', 'data-testid': 'registration' },
    el('h2', {}, ew('registration')),
    !r ? el('p', { class: 'muted' }, ew('noRegistration')) : el('div', {},
      el('p', { class: 'muted' }, signed ? ew('registrationSigned') : ew('registrationOpen'),
        r.recordedAt ? ` · ${fmtTime(r.recordedAt)} · ${r.recordedBy}` : ''),
      el('table', { class: 'data' },
        el('thead', {}, el('tr', {}, ...[ew('code'), ew('targetValue'), ew('note')].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...r.targets.map((t) => el('tr', { 'data-testid': 'target-row' },
          el('td', {}, t.code), el('td', { class: 'num' }, pts(t.value)), el('td', {}, t.note))))),
      el('p', {}, `${ew('aims')}: ${r.aims.map((a) => ew(a)).join(', ') || '—'}`)));
}

// Before the covenant is signed a member registers (again): its targets and
// the awards it aims for; a new registration replaces the old.
function registrationForm(v: YearView, org: string): HTMLElement {
  const y = v.year;
  const prior = y.registrations.find((x) => x.organizationCode === org);
  const body = el('tbody', {});
  const addTarget = (code = '', value: number | string = '', note = '') => {
    const i = body.children.length;
    const ins = [input('text', 'target-code', code), input('number', 'target-value', value), input('text', 'target-note', note)];
    const keys = ['code', 'value', 'note'];
    body.appendChild(el('tr', { 'data-testid': 'target-row' }, ...ins.map((x, k) =>
      el('td', { 'data-field-box': `targets[${i}].${keys[k]}` }, x, errorSlot(`targets[${i}].${keys[k]}`)))));
  };
  for (const t of prior?.targets ?? []) addTarget(t.code, num(t.value), t.note);
  if (!prior) {
    // The scheme's criteria are the usual targets.
    for (const c of v.assessment?.members.find((m) => m.organizationCode === org)?.criteria ?? []) addTarget(c.criterionCode);
  }
  const more = el('button', { type: 'button', 'data-testid': 'add-target' }, ew('addTarget'));
  more.addEventListener('click', () => addTarget());
  const aims = AIMS.map((k) => {
    const b = el('input', { type: 'checkbox', value: k, checked: prior?.aims.includes(k) ?? false, 'data-testid': 'in-aim' });
    return { b, node: el('label', { class: 'check' }, b, ` ${ew(k)}`) };
  });
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'registration-status' });
  const send = el('button', { type: 'submit', 'data-testid': 'register' }, ew('register'));
  const form = el('form', { class: 'card emu-form', 'data-testid': 'registration-form', novalidate: true },
    el('h2', {}, ew('registration')),
    el('p', { class: 'muted' }, prior ? ew('registrationOpen') : ew('noRegistration')),
    errorSlot('targets'),
    el('table', { class: 'data' }, el('thead', {}, el('tr', {}, ...[ew('code'), ew('targetValue'), ew('note')].map((h) => el('th', {}, h)))), body),
    more,
    el('fieldset', {}, el('legend', {}, ew('aims')), ...aims.map((a) => a.node), errorSlot('aims')),
    el('div', { class: 'actions' }, send), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const targets = [...body.querySelectorAll('tr')].map((tr) => {
      const ins = tr.querySelectorAll('input');
      return { code: ins[0].value.trim(), value: Number(ins[1].value || 0), note: ins[2].value.trim() };
    }).filter((t) => t.code || t.note);
    send.disabled = true;
    try {
      await emu<EmulationYear>('Register', { key: y.key, registration: { organizationCode: org, targets, aims: aims.filter((a) => a.b.checked).map((a) => a.b.value) } });
      v.reload(ew('registered'));
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'registration.');
      send.disabled = false;
    }
  });
  return form;
}

function sheetOf(y: EmulationYear, org: string) {
  return y.selfAssessments.find((s) => s.organizationCode === org);
}

function revisionLine(y: EmulationYear, org: string): HTMLElement | null {
  const sheet = sheetOf(y, org);
  if (!sheet) return null;
  return el('p', { 'data-testid': 'sheet-revision', 'data-revision': sheet.revision },
    ew('sheetRevision').replace('{r}', String(sheet.revision)).replace('{at}', fmtTime(sheet.submittedAt)).replace('{by}', sheet.submittedBy),
    sheet.late ? el('span', { class: 'badge-late', 'data-testid': 'late' }, ew('late')) : null);
}

// The form: one row per criterion of the scheme, filled from the latest sheet.
function selfForm(v: YearView, org: string, criteria: AssessedCriterion[]): HTMLElement {
  const key = v.year.key;
  const sheet = sheetOf(v.year, org);
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'sheet-status' });
  const rows = criteria.map((c, i) => {
    const prior = sheet?.scores.find((s) => s.criterionCode === c.criterionCode);
    const evidence: Evidence[] = prior ? prior.evidence.map((e) => ({ ...e })) : [];
    const points = input('number', 'points', prior ? num(prior.points) : '');
    points.min = '0';
    points.max = String(num(c.maxPoints));
    points.step = '0.01';
    points.setAttribute('aria-label', `${ew('points')} ${c.criterionName}`);
    const explanation = el('textarea', { name: 'explanation', rows: 2, 'data-testid': 'in-explanation', 'aria-label': ew('explanation') });
    explanation.value = prior?.explanation ?? '';
    const list = el('ul', { class: 'evidence-list', 'data-testid': 'evidence-list' });
    const drawList = () => {
      clear(list);
      evidence.forEach((e, j) => {
        const remove = el('button', { type: 'button', 'data-testid': 'remove-evidence' }, ew('remove'));
        remove.addEventListener('click', () => {
          evidence.splice(j, 1);
          drawList();
        });
        list.appendChild(el('li', { 'data-testid': 'evidence-item', 'data-field-box': `scores[${i}].evidence[${j}]` },
          evidenceNode(key, e, status), ' ', remove, errorSlot(`scores[${i}].evidence[${j}]`)));
      });
    };
    drawList();
    const url = input('url', 'evidence-url');
    url.placeholder = 'https://…';
    url.setAttribute('aria-label', ew('evidenceUrl'));
    const desc = input('text', 'evidence-description');
    desc.placeholder = ew('evidenceDescription');
    desc.setAttribute('aria-label', ew('evidenceDescription'));
    const addLink = el('button', { type: 'button', 'data-testid': 'add-link' }, ew('addLink'));
    addLink.addEventListener('click', () => {
      if (!url.value.trim()) return url.focus();
      evidence.push({ url: url.value.trim(), description: desc.value.trim() });
      url.value = '';
      desc.value = '';
      drawList();
    });
    const file = el('input', { type: 'file', 'data-testid': 'in-evidence-file', 'aria-label': ew('uploadFile') });
    file.addEventListener('change', async () => {
      const f = file.files?.[0];
      if (!f) return;
      status.textContent = ew('uploading').replace('{name}', f.name);
      try {
        const ref = await upload(key, f);
        evidence.push({ url: '', file: ref, description: desc.value.trim() });
        desc.value = '';
        status.textContent = ew('uploaded').replace('{name}', ref.name);
        drawList();
      } catch (e) {
        status.textContent = `${ew('uploadFailed')}: ${(e as Error).message}`;
      } finally {
        file.value = '';
      }
    });
    const row = el('tr', { 'data-testid': 'self-row', 'data-criterion': c.criterionCode },
      el('th', { scope: 'row', 'data-field-box': `scores[${i}]` }, c.criterionName, el('div', { class: 'muted' }, `${c.criterionCode} · ${ew('max')} ${pts(c.maxPoints)}`),
        el('div', { class: 'muted' }, `${ew('computed')}: ${pts(c.computedPoints)}`), errorSlot(`scores[${i}]`)),
      el('td', { 'data-field-box': `scores[${i}].points` }, points, errorSlot(`scores[${i}].points`)),
      el('td', { 'data-field-box': `scores[${i}].explanation` }, explanation, errorSlot(`scores[${i}].explanation`)),
      el('td', { class: 'evidence-cell', 'data-field-box': `scores[${i}].evidence` }, list,
        el('div', { class: 'evidence-add' }, url, desc, addLink),
        el('label', { class: 'upload' }, `${ew('uploadFile')} `, file),
        errorSlot(`scores[${i}].evidence`)));
    return { c, row, points, explanation, evidence };
  });
  const submit = el('button', { type: 'submit', 'data-testid': 'submit-sheet' }, sheet ? ew('resubmitSheet') : ew('submitSheet'));
  const form = el('form', { class: 'card emu-form', 'data-testid': 'self-form', novalidate: true },
    el('h2', {}, ew('selfAssessment')),
    el('p', { class: 'muted' }, ew('selfHelp').replace('{due}', fmtDay(v.year.selfAssessmentDue)).replace('{closes}', fmtDay(v.year.selfAssessmentCloses))),
    revisionLine(v.year, org),
    errorSlot('sheet'), errorSlot('scores'),
    el('div', { class: 'table-wrap tall' }, el('table', { class: 'data emu-self' },
      el('thead', {}, el('tr', {}, ...[ew('criterion'), ew('points'), ew('explanation'), ew('evidence')].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows.map((r) => r.row)))),
    el('div', { class: 'actions' }, submit), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    status.textContent = ew('sending');
    const scores = rows.map((r) => ({
      criterionCode: r.c.criterionCode,
      points: r.points.value.trim() === '' ? 0 : Number(r.points.value),
      explanation: r.explanation.value.trim(),
      // A kept file is named by its SHA-256 alone.
      evidence: r.evidence.map((e) => (e.file?.sha256 ? { file: { sha256: e.file.sha256 }, description: e.description } : { url: e.url, description: e.description })),
    }));
    try {
      const y = await emu<EmulationYear>('SubmitSelfAssessment', { key, sheet: { organizationCode: org, scores } });
      const s = sheetOf(y, org);
      v.reload(ew('sheetSaved').replace('{r}', String(s?.revision ?? '')));
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'sheet.');
      status.dataset.state = 'refused';
      submit.disabled = false;
    }
  });
  return form;
}

// The sheet as submitted, once self-assessment is closed.
function sheetCard(v: YearView, org: string): HTMLElement {
  const sheet = sheetOf(v.year, org);
  return el('section', { class: 'card', 'data-testid': 'sheet' },
    el('h2', {}, ew('selfAssessment')),
    sheet ? revisionLine(v.year, org) : el('p', { class: 'muted' }, ew('noSheet')),
    sheet ? el('ul', {}, ...sheet.scores.map((s) => el('li', {}, `${s.criterionCode}: ${pts(s.points)}`,
      s.explanation ? ` — ${s.explanation}` : '',
      s.evidence.length ? el('ul', {}, ...s.evidence.map((e) => el('li', {}, evidenceNode(v.year.key, e))))
        : null))) : null);
}

// The verified scores with their reasons, the answers given, and the answer form.
function checkedCard(v: YearView, org: string, criteria: AssessedCriterion[]): HTMLElement {
  const y = v.year;
  const check = y.crossChecks.find((c) => c.organizationCode === org)!;
  const answers = y.answers.filter((a) => a.organizationCode === org);
  const card = el('section', { class: 'card', 'data-testid': 'my-check' },
    el('h2', {}, ew('crossCheckResult')),
    el('p', { class: 'muted' }, ew('checkedBy').replace('{by}', check.checkedByCode).replace('{at}', fmtTime(check.recordedAt)).replace('{r}', String(check.revision))),
    el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, ...[ew('criterion'), ew('self'), ew('verified'), ew('reason')].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...criteria.map((c) => el('tr', { 'data-testid': 'checked-row', 'data-criterion': c.criterionCode, class: c.hasVerified && num(c.verifiedPoints) !== num(c.selfPoints) ? 'changed' : undefined },
        el('th', { scope: 'row' }, c.criterionName),
        el('td', { class: 'num' }, c.hasSelf ? pts(c.selfPoints) : '—'),
        el('td', { class: 'num', 'data-col': 'verified' }, c.hasVerified ? pts(c.verifiedPoints) : '—'),
        el('td', { 'data-testid': 'check-reason' }, c.reason))))),
    answers.length ? el('div', { 'data-testid': 'answers' }, el('h3', {}, ew('answers')),
      el('ul', {}, ...answers.map((a) => el('li', { 'data-testid': 'answer' }, a.criterionCode ? `${a.criterionCode}: ` : '', a.text,
        el('span', { class: 'muted' }, ` · ${fmtTime(a.recordedAt)} · ${a.recordedBy}`))))) : null);
  if (y.state !== 'YEAR_STATE_SELF_ASSESSED' && y.state !== 'YEAR_STATE_CROSS_CHECKED') return card;
  const about = el('select', { name: 'criterion', 'data-testid': 'in-answer-criterion', 'aria-label': ew('answerAbout') },
    el('option', { value: '' }, ew('wholeCheck')),
    ...criteria.map((c) => el('option', { value: c.criterionCode }, c.criterionName)));
  const text = el('textarea', { name: 'text', rows: 3, 'data-testid': 'in-answer-text', 'aria-label': ew('answer') });
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'answer-status' });
  const send = el('button', { type: 'submit', 'data-testid': 'send-answer' }, ew('sendAnswer'));
  const form = el('form', { class: 'emu-form', 'data-testid': 'answer-form', novalidate: true },
    el('h3', {}, ew('answer')),
    el('div', { class: 'form-field', 'data-field-box': 'criterion_code' }, el('label', {}, `${ew('answerAbout')} `, about), errorSlot('criterion_code')),
    el('div', { class: 'form-field', 'data-field-box': 'text' }, el('label', {}, `${ew('answer')} `, text), errorSlot('text')),
    el('div', { class: 'actions' }, send), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    send.disabled = true;
    try {
      await emu<EmulationYear>('AnswerCrossCheck', { key: y.key, answer: { organizationCode: org, criterionCode: about.value, text: text.value.trim() } });
      v.reload(ew('answerSaved'));
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'answer.');
      send.disabled = false;
    }
  });
  append(card, form);
  return card;
}
