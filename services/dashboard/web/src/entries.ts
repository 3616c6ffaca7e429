// Registering entries (#/contest/<id>/entry): the organiser registers any
// entry of an open contest, a province its own (the competition service
// decides: a province registering another's entry is refused). One form,
// kept open for the next entry once one is received, since entries
// usually arrive as a pile of paper forms. Youth contests ask each author's
// age and school (personal data of minors, seen only by the organisers and
// the entry's province).
import { HttpError } from './api';
import { append, clear, el } from './dom';
import { competition, Entry, fill, isOrganiserOf, mayRegisterIn, w } from './contest_api';
import { clearOnInput, inputOf, labelled, loadContest, placeRefusal } from './contest_form';
import { PageContext, renderProblem } from './page';

export async function renderEntryForm(ctx: PageContext, id: string): Promise<void> {
  const c = await loadContest(ctx, id);
  if (!c) return;
  clear(ctx.app);
  const back = el('a', { href: `#/contest/${c.id}` }, w('backToContest'));
  if (ctx.me.role !== 'ROLE_NATIONAL_ADMIN' && ctx.me.role !== 'ROLE_PROVINCE_REPORTER') {
    return renderProblem(ctx, new HttpError(403, 'forbidden'));
  }
  if (!mayRegisterIn(ctx.me, c)) {
    append(ctx.app, ctx.header(false), el('main', { class: 'contest-screen' }, back,
      el('section', { class: 'card' }, el('h1', {}, c.title),
        el('p', { class: 'notice', 'data-testid': 'entry-closed' }, fill(w('notOpen'), { state: w(c.state) })))));
    return;
  }
  const youth = c.kind === 'CONTEST_KIND_YOUTH';
  const title = inputOf('text', 'entry-title');
  title.size = 50;
  const field = el('select', { name: 'field', 'data-testid': 'in-entry-field' },
    ...(c.fields.length > 1 ? [el('option', { value: '' }, '—')] : []), ...c.fields.map((f) => el('option', { value: f }, f)));
  // A province registers entries from its own organisations; its own code
  // is the usual one. The organiser's entries may come from anywhere.
  const source = inputOf('text', 'entry-source', ctx.me.role === 'ROLE_PROVINCE_REPORTER' ? ctx.me.organizationCode : '');
  source.size = 10;
  const summary = el('textarea', { name: 'summary', rows: 4, 'data-testid': 'in-entry-summary' });
  // Only the national office may date an entry that arrived on paper.
  const received = ctx.me.role === 'ROLE_NATIONAL_ADMIN' ? inputOf('date', 'entry-received') : null;
  const authorsBody = el('tbody', {});
  const renumber = () => [...authorsBody.children].forEach((tr, i) => {
    for (const td of tr.querySelectorAll<HTMLElement>('[data-key]')) td.dataset.field = `authors[${i}].${td.dataset.key}`;
  });
  const addAuthor = () => {
    const name = inputOf('text', 'author-name');
    const role = inputOf('text', 'author-role');
    role.size = 14;
    const cells: [HTMLInputElement, string][] = [[name, 'name'], [role, 'role']];
    if (youth) {
      const age = inputOf('number', 'author-age');
      age.min = '6';
      age.max = '35';
      age.style.width = '5em';
      cells.push([age, 'age'], [inputOf('text', 'author-school'), 'school']);
    }
    const del = el('button', { type: 'button', 'data-testid': 'remove-author' }, w('remove'));
    const row = el('tr', { 'data-testid': 'author-row' },
      ...cells.map(([input, key]) => el('td', { 'data-key': key }, input, el('span', { class: 'field-error', 'data-testid': 'field-error' }))),
      el('td', {}, del));
    del.addEventListener('click', () => {
      row.remove();
      renumber();
    });
    authorsBody.appendChild(row);
    renumber();
  };
  addAuthor();
  const addBtn = el('button', { type: 'button', 'data-testid': 'add-author' }, w('addAuthor'));
  addBtn.addEventListener('click', addAuthor);
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'entry-status' });
  const done = el('ul', { 'data-testid': 'registered' });
  const submit = el('button', { type: 'submit', 'data-testid': 'register-entry' }, w('register'));
  const heads = [w('authorName'), w('authorRole'), ...(youth ? [w('age'), w('school')] : []), ''];
  const form = el('form', { class: 'card contest-form', 'data-testid': 'entry-form', novalidate: true },
    el('h1', {}, w('newEntry')),
    el('p', { class: 'muted' }, `${c.title} · ${w('registrationOpens')} ${c.registrationOpens} → ${c.registrationCloses}`),
    labelled(w('entryTitle'), title, 'title'),
    labelled(w('field'), field, 'field'),
    labelled(w('sourceOrg'), source, 'source_organization_code'),
    labelled(w('summary'), summary, 'summary'),
    received ? labelled(w('receivedOn'), received, 'submitted_at') : null,
    el('h2', {}, w('authors')),
    youth ? el('p', { class: 'muted', 'data-testid': 'youth-note' }, w('youthNote')) : null,
    el('span', { class: 'field-error', 'data-testid': 'field-error', 'data-field': 'authors' }),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data' }, el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', {}, h)))), authorsBody)),
    addBtn,
    el('div', { class: 'actions' }, submit), status, done);
  clearOnInput(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const authors = [...authorsBody.querySelectorAll('tr')].map((tr) => {
      const value = (key: string) => tr.querySelector<HTMLInputElement>(`[data-key="${key}"] input`)?.value.trim() ?? '';
      return { name: value('name'), role: value('role'), age: Number(value('age') || 0), school: value('school') };
    });
    const entry: Record<string, unknown> = {
      contestId: c.id, title: title.value.trim(), field: field.value, sourceOrganizationCode: source.value.trim().toUpperCase(),
      summary: summary.value.trim(), authors,
    };
    // The day it arrived, at the start of that day in Vietnam.
    if (received?.value) entry.submittedAt = new Date(`${received.value}T00:00:00+07:00`).toISOString();
    submit.disabled = true;
    status.textContent = w('sending');
    delete status.dataset.state;
    try {
      const made = await competition<Entry>('SubmitEntry', { entry });
      for (const m of form.querySelectorAll<HTMLElement>('.field-error')) m.textContent = '';
      status.textContent = fill(w('entrySaved'), { id: made.id, title: made.title });
      status.dataset.state = 'saved';
      done.appendChild(el('li', { 'data-testid': 'registered-entry', 'data-entry': made.id }, `#${made.id} · ${made.title} · ${made.field} · ${made.authors.map((a) => a.name).join(', ')}`));
      // Ready for the next one: the field and the source often repeat.
      title.value = '';
      summary.value = '';
      clear(authorsBody);
      addAuthor();
      title.focus();
    } catch (e) {
      status.textContent = placeRefusal(form, e, 'entry.', w('entryRefused'));
      status.dataset.state = 'refused';
    } finally {
      submit.disabled = false;
    }
  });
  append(ctx.app, ctx.header(false), el('main', { class: 'contest-screen', 'data-testid': 'entry-page', 'data-contest': c.id },
    back, isOrganiserOf(ctx.me, c) ? null : el('p', { class: 'muted' }, w('ownEntriesOnly')), form));
}
