// The covenant (giao ước thi đua) of an emulation year. While the scheme is
// issued everyone reading the year sees which members have registered their
// targets and which have not yet (the service refuses to sign while one
// that existed on the signing day has not); the head's clerk (or the
// national office) signs: rules, plan number, head and deputy among the
// members taking part, the signing day and the signed document, uploaded
// first. Once signed the covenant is shown as recorded.
import { HttpError } from './api';
import { clear, el } from './dom';
import {
  clearOnInput, emu, EmulationYear, errorSlot, FileRef, field, fileButton, input, memberName, placeRefusal, upload,
} from './emulation_api';
import type { YearView } from './emulation';
import { ew, fmtDay, fmtTime } from './i18n';

// The card of the scheme-issued year: the registrations, and for those who
// sign, the signing form around them (a refusal naming the unregistered
// lands beside the list).
export function covenantSections(v: YearView): HTMLElement[] {
  if (v.year.state !== 'YEAR_STATE_SCHEME_ISSUED') return [];
  return [v.who.head || v.who.admin ? signForm(v) : registrationsCard(v)];
}

// The covenant as signed, for every later state.
export function signedCovenantCard(v: YearView): HTMLElement | null {
  const y = v.year;
  const c = y.covenant;
  if (y.state === 'YEAR_STATE_SCHEME_ISSUED' || !c?.signedOn) return null;
  return el('section', { class: 'card', 'data-testid': 'covenant' },
    el('h2', {}, ew('covenant')),
    el('p', { 'data-testid': 'covenant-plan' }, `${ew('planNumber')}: ${c.planNumber} · ${ew('signedOn')} ${fmtDay(c.signedOn)}`),
    el('p', {}, `${ew('head')}: ${memberName(y, c.headCode)} · ${ew('deputy')}: ${memberName(y, c.deputyCode)}`),
    el('p', { 'data-testid': 'covenant-document' }, `${ew('signedDocument')}: `,
      c.signedDocument?.sha256 ? fileButton(y.key, c.signedDocument) : '—'),
    el('p', { class: 'muted' }, ew('covenantRegistrations').replace('{n}', String(c.registrations.length)),
      c.recordedAt ? ` · ${fmtTime(c.recordedAt)} · ${c.recordedBy}` : ''),
    c.rules ? el('details', {}, el('summary', {}, ew('rules')), el('p', { class: 'pre-line' }, c.rules)) : null);
}

// Who has registered: every member, with its registration's time, or
// "not yet"; those that ended say until when they must sign.
function registrationList(v: YearView): HTMLElement {
  const y = v.year;
  return el('ul', { class: 'emu-members', 'data-testid': 'covenant-registrations' }, ...y.members.map((m) => {
    const r = y.registrations.find((x) => x.organizationCode === m.organizationCode);
    return el('li', { 'data-testid': 'reg-member', 'data-org': m.organizationCode, 'data-registered': String(!!r) },
      `${m.organizationName} (${m.organizationCode}) — `,
      r ? el('span', { class: 'reg-done' }, `${ew('regDone')} · ${fmtTime(r.recordedAt)} · ${r.recordedBy}`)
        : el('span', { class: 'reg-missing' }, ew('regMissing')),
      m.takesPart ? null : el('span', { class: 'muted' }, ` (${ew('regEnded').replace('{on}', fmtDay(m.endedOn))})`));
  }));
}

function registrationsHead(v: YearView): HTMLElement[] {
  const done = v.year.registrations.length;
  return [
    el('h2', {}, ew('covenant')),
    el('p', { class: 'muted', 'data-testid': 'registrations-count' },
      ew('regCount').replace('{n}', String(done)).replace('{of}', String(v.year.members.length))),
  ];
}

function registrationsCard(v: YearView): HTMLElement {
  return el('section', { class: 'card', 'data-testid': 'covenant-card' },
    ...registrationsHead(v), registrationList(v),
    el('p', { class: 'muted' }, ew('covenantSignedBy')));
}

function memberOptions(v: YearView, except: string, chosen: string): HTMLOptionElement[] {
  return v.year.members.filter((m) => m.takesPart && m.organizationCode !== except)
    .map((m) => el('option', { value: m.organizationCode, selected: m.organizationCode === chosen }, `${m.organizationName} (${m.organizationCode})`));
}

function signForm(v: YearView): HTMLElement {
  const y = v.year;
  const rules = el('textarea', { name: 'rules', rows: 4, 'data-testid': 'in-rules' });
  rules.placeholder = ew('rulesHelp');
  const plan = input('text', 'plan_number');
  plan.placeholder = '01/KH-CTĐ1';
  const head = el('select', { name: 'head_code', 'data-testid': 'in-head' }, el('option', { value: '' }, '—'),
    ...memberOptions(v, '', y.covenant?.headCode ?? ''));
  const deputy = el('select', { name: 'deputy_code', 'data-testid': 'in-deputy' });
  // The deputy is never the head: its choices follow the head's.
  const fillDeputy = (chosen: string) => {
    clear(deputy);
    deputy.append(el('option', { value: '' }, '—'), ...memberOptions(v, head.value, chosen));
  };
  fillDeputy(y.covenant?.deputyCode ?? '');
  head.addEventListener('change', () => fillDeputy(deputy.value));
  const signedOn = input('date', 'signed_on', v.ctx.me.today);
  let signedDoc: FileRef | null = null;
  const docName = el('span', { 'data-testid': 'covenant-file' }, ew('noFileYet'));
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'covenant-status' });
  const file = el('input', { type: 'file', 'data-testid': 'in-covenant-file', 'aria-label': ew('signedDocument') });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    status.textContent = ew('uploading').replace('{name}', f.name);
    try {
      signedDoc = await upload(y.key, f);
      clear(docName);
      docName.append(fileButton(y.key, signedDoc, status));
      status.textContent = ew('uploaded').replace('{name}', signedDoc.name);
      const slot = form.querySelector<HTMLElement>('.field-error[data-field="signed_document"]');
      if (slot) slot.textContent = '';
    } catch (e) {
      status.textContent = `${ew('uploadFailed')}: ${(e as Error).message}`;
    } finally {
      file.value = '';
    }
  });
  const list = registrationList(v);
  const sign = el('button', { type: 'submit', 'data-testid': 'sign-covenant' }, ew('signCovenant'));
  const form = el('form', { class: 'card emu-form covenant-form', 'data-testid': 'covenant-card', novalidate: true },
    ...registrationsHead(v),
    el('div', { 'data-field-box': 'registrations' }, list, errorSlot('registrations')),
    el('h3', {}, ew('signCovenant')),
    el('p', { class: 'muted' }, ew('signHelp')),
    field(ew('rules'), rules, 'rules'),
    field(ew('planNumber'), plan, 'plan_number'),
    field(ew('head'), head, 'head_code'),
    field(ew('deputy'), deputy, 'deputy_code'),
    field(ew('signedOnLabel'), signedOn, 'signed_on'),
    el('div', { class: 'form-field', 'data-field-box': 'signed_document' },
      el('label', {}, ew('signedDocument'), el('span', {}, docName, ' ', file)), errorSlot('signed_document')),
    errorSlot('covenant'),
    el('div', { class: 'actions' }, sign), status);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    sign.disabled = true;
    status.textContent = ew('sending');
    for (const li of list.querySelectorAll<HTMLElement>('li')) delete li.dataset.refused;
    const covenant = {
      rules: rules.value.trim(), planNumber: plan.value.trim(), headCode: head.value, deputyCode: deputy.value,
      signedOn: signedOn.value, ...(signedDoc ? { signedDocument: { sha256: signedDoc.sha256 } } : {}),
    };
    try {
      await emu<EmulationYear>('SignCovenant', { key: y.key, covenant });
      v.reload(ew('covenantSigned'));
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'covenant.');
      status.dataset.state = 'refused';
      markUnregistered(list, e);
      sign.disabled = false;
    }
  });
  return form;
}

// The members the refusal names as unregistered are marked in the list.
function markUnregistered(list: HTMLElement, e: unknown): void {
  if (!(e instanceof HttpError)) return;
  for (const x of e.violations) {
    if (x.field !== 'covenant.registrations') continue;
    const code = /^(\S+) \(/.exec(x.description)?.[1];
    const li = code ? list.querySelector<HTMLElement>(`li[data-org="${CSS.escape(code)}"]`) : null;
    if (li) li.dataset.refused = 'true';
  }
}
