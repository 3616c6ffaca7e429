// What the contest forms share (the contest's own form in contests.ts, the
// entry form in entries.ts): a labelled input with a place for the
// service's complaint, and the service's refusals put at their fields.
import { HttpError } from './api';
import { append, clear, el } from './dom';
import { competition, Contest, violationsOf, w } from './contest_api';
import { t } from './i18n';
import { describe, PageContext, renderProblem } from './page';

export function labelled(label: string, input: HTMLElement, key: string): HTMLElement {
  return el('div', { class: 'form-field', 'data-field': key },
    el('label', {}, label, ' ', input), el('span', { class: 'field-error', 'data-testid': 'field-error', 'data-field': key }));
}

export function inputOf(type: string, name: string, value: string | number = ''): HTMLInputElement {
  const i = el('input', { type, name, 'data-testid': `in-${name}` });
  i.value = String(value);
  return i;
}

// A field's complaint goes once it is edited.
export function clearOnInput(form: HTMLElement): void {
  form.addEventListener('input', (ev) => {
    const box = (ev.target as HTMLElement).closest('[data-field]');
    const msg = box?.querySelector<HTMLElement>('.field-error');
    if (msg) msg.textContent = '';
  });
}

function slotFor(form: HTMLElement, key: string): HTMLElement | null {
  return form.querySelector<HTMLElement>(`[data-field="${CSS.escape(key)}"] .field-error, .field-error[data-field="${CSS.escape(key)}"]`)
    ?? form.querySelector<HTMLElement>(`[data-field="${CSS.escape(key.replace(/\[\d+\]$/, ''))}"] .field-error`);
}

// Puts the service's refusal at the fields it names: the validation's
// violations ("entry.authors[0].name"), or a refusal whose message starts
// with the field ("entry.title: the same authors already entered ...",
// "contest.prizes: asks for 5 prizes ..."). Returns what found no field, as
// a sentence for the form's status line.
export function placeRefusal(form: HTMLElement, e: unknown, prefix: string, refusedWord: string): string {
  for (const m of form.querySelectorAll<HTMLElement>('.field-error')) m.textContent = '';
  const strip = (f: string) => f.startsWith(prefix) ? f.slice(prefix.length) : f;
  const vs = violationsOf(e);
  const unplaced: string[] = [];
  if (vs.length) {
    for (const v of vs) {
      const key = strip(v.field);
      // The common messages in the page's language, others as the service wrote them.
      const text = describe(v.description, (code) => code, t);
      const slot = slotFor(form, key);
      if (slot) slot.textContent = text; else unplaced.push(`${key}: ${text}`);
    }
    return [refusedWord, ...unplaced].join(' ');
  }
  const message = (e as Error).message;
  // The dashboard names the service first ("competition: entry.title: ...").
  const m = e instanceof HttpError ? /^(?:[a-z]+: )?([a-z_]+(?:\.[a-z_]+|\[\d+\])+): (.+)$/s.exec(message) : null;
  if (m && m[1].startsWith(prefix)) {
    const slot = slotFor(form, strip(m[1]));
    if (slot) {
      slot.textContent = m[2];
      return refusedWord;
    }
  }
  return `${w('refused')}: ${message}`;
}

// The contest a form page is about, with the page showing "loading" meanwhile;
// null when it could not be read (the problem is drawn) or the person has
// moved to another page since.
export async function loadContest(ctx: PageContext, id: string): Promise<Contest | null> {
  const here = location.hash;
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, w('loading')));
  try {
    const c = await competition<Contest>('GetContest', { id });
    return location.hash === here ? c : null;
  } catch (e) {
    renderProblem(ctx, e);
    return null;
  }
}
