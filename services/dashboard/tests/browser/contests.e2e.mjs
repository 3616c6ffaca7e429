// A small contest end to end in headless Chromium against real processes
// (stack.mjs): Sơn La's union (province_reporter of "14") creates a contest on
// the page, edits it while a draft (a window in the wrong order refused at
// its field) and once open (prizes only: the rules are locked), registers
// its entries on the entry form (a refusal at its fields first; one more
// arrives from a second tab while the contest's page watches, and is
// withdrawn with its reason), opens it, adds judges (one from Sơn La itself, whom the
// assignment must avoid), assigns automatically and adjusts by hand in the
// matrix, starts judging; a judge scores on the page (a score above a
// criterion's maximum is flagged as typed and refused by the service at its
// field), revises, and cannot read a sheet of an entry not assigned to them;
// the organiser closes judging, reads the jury's statistics, exports them,
// prints the minutes and awards, and registers one of its own entries in the
// national contest (another province's entry refused); a youth contest's
// entry without an author's age and school is refused at those fields. The organiser's
// screens fit 400 px. The other judges' sheets and the national office's
// contest go through the dashboard's /api/call as those people.
// Screenshots go to FED_DASHBOARD_OUTPUT_DIR; timings are printed, never asserted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Stack, launchBrowser, outputDir, signedIn } from './stack.mjs';

const OUT = outputDir();
const ORG = '14';
const FIELD = 'Cơ khí - Tự động hóa';
// Judges from other provinces (01, 04, 08, 10) and one from Sơn La, who may
// score none of Sơn La's entries.
const JUDGES = [
  { subject: 'gk-a', name: 'TS. Nguyễn Văn An', org: '01' },
  { subject: 'gk-b', name: 'ThS. Trần Thị Bình', org: '04' },
  { subject: 'gk-c', name: 'KS. Lê Văn Cường', org: '08' },
  { subject: 'gk-d', name: 'PGS. Phạm Thị Dung', org: '10' },
  { subject: 'gk-x', name: 'KS. Lò Văn Xuân', org: ORG },
];
// Each judge's points per entry (novelty, applicability, effectiveness:
// weights 3, 2, 2, max 10): gk-b is tough, gk-c lenient, and on the last
// entry the judges disagree.
const BASE = [[9, 8, 8], [7, 7, 6], [6, 5, 6], [4, 5, 3]];
const HABIT = { 'gk-a': 0, 'gk-b': -2, 'gk-c': 1, 'gk-d': 0 };

let stack;
const browsers = [];
const profiles = [];
let organiser;
let judgePage;
let work;
let contestId;
let entries = []; // ids, in order
let orgCall;
let mine = []; // gk-a's entries
let aLoad = 0; // gk-a's assignments after the manual change

async function shot(page, name) {
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

async function logIn(token) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-chromium-'));
  profiles.push(dir);
  const browser = await launchBrowser(dir, { caFile: stack.caFile, acceptDownloads: true });
  browsers.push(browser);
  const page = await browser.newPage();
  page.on('dialog', (d) => d.dismiss());
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${stack.baseUrl}/login#token=${encodeURIComponent(token)}`);
  await page.waitForURL((u) => u.pathname === '/');
  await signedIn(page);
  return page;
}

// The dashboard's JSON API as a script would use it, as the token's person.
async function apiSession(token) {
  const call = await stack.apiSession(token);
  return (method, body) => call('competition', method, body);
}

async function transition(to) {
  const button = organiser.getByTestId('transition');
  assert.equal(await button.getAttribute('data-to'), to);
  await button.click();
  await organiser.locator(`[data-testid="contest-state"][data-state="${to}"]`).first().waitFor();
}

async function contestPage() {
  await organiser.goto(`${stack.baseUrl}/#/contest/${contestId}`);
  // The same address again is no navigation: read the contest afresh.
  await organiser.reload();
  await organiser.getByTestId('contest-page').waitFor();
}

describe('contests: an organiser runs one, a judge scores on the web', () => {
  before(async () => {
    stack = new Stack({ name: 'dash_contests', demoReports: false, rankings: false });
    await stack.start();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-contests-'));
    organiser = await logIn(stack.token('province_reporter', ORG, `org-${ORG}`));
    orgCall = await apiSession(stack.token('province_reporter', ORG, `org2-${ORG}`));
  });

  after(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await stack?.stop();
    for (const d of [...profiles, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test('the organiser creates a contest on the page, opens it, and its entries arrive', async () => {
    await organiser.goto(`${stack.baseUrl}/#/contests`);
    await organiser.getByTestId('contest-list').waitFor();
    await organiser.getByTestId('new-contest').click();
    const form = organiser.getByTestId('create-form');
    await form.waitFor();
    // First without a title: the service's refusal lands at the field.
    await organiser.getByTestId('in-fields').fill(FIELD);
    await organiser.getByTestId('create').click();
    const titleError = organiser.locator('[data-field="title"] .field-error');
    await titleError.filter({ hasText: /./ }).waitFor();
    console.log(`create without a title: "${await titleError.innerText()}"`);
    await organiser.getByTestId('in-title').fill('Hội thi Sáng tạo Kỹ thuật tỉnh Sơn La (thử nghiệm e2e)');
    await organiser.getByTestId('in-edition').fill('9');
    await shot(organiser, 'contests-01-create');
    await organiser.getByTestId('create').click();
    await organiser.getByTestId('contest-page').waitFor();
    contestId = await organiser.getByTestId('contest-page').getAttribute('data-contest');
    assert.match(contestId, /^\d+$/);
    assert.equal(await organiser.getByTestId('contest-state').getAttribute('data-state'), 'CONTEST_STATE_DRAFT');

    // The draft edited on the page: registration closing before it opens is
    // refused at that field; then a corrected window and a longer title.
    await organiser.getByTestId('edit-contest').click();
    await organiser.getByTestId('edit-form').waitFor();
    assert.equal(await organiser.getByTestId('in-fields').isDisabled(), false, 'a draft changes its fields');
    const opens = await organiser.getByTestId('in-registrationOpens').inputValue();
    const closes = await organiser.getByTestId('in-registrationCloses').inputValue();
    await organiser.getByTestId('in-registrationCloses').fill(`${Number(opens.slice(0, 4)) - 1}-12-31`);
    await organiser.getByTestId('save-contest').click();
    const windowError = organiser.locator('[data-field="registration_closes"] .field-error');
    await windowError.filter({ hasText: /./ }).waitFor();
    console.log(`draft saved with registration closing before it opens: "${await windowError.innerText()}"`);
    assert.equal(await organiser.locator('[data-field="title"] .field-error').innerText(), '');
    await shot(organiser, 'contests-01b-edit-draft-refused');
    await organiser.getByTestId('in-registrationCloses').fill(closes);
    assert.equal(await windowError.innerText(), '', 'the complaint goes once the field is edited');
    await organiser.getByTestId('in-title').fill('Hội thi Sáng tạo Kỹ thuật tỉnh Sơn La lần thứ 9 (thử nghiệm e2e)');
    await organiser.getByTestId('save-contest').click();
    await organiser.getByTestId('contest-page').waitFor();
    assert.match(await organiser.locator('[data-testid="contest-page"] h1').innerText(), /lần thứ 9/);
    await transition('CONTEST_STATE_OPEN');

    // Once open, the rules are locked on the form; the prizes still change.
    await organiser.getByTestId('edit-contest').click();
    await organiser.getByTestId('edit-form').waitFor();
    assert.equal(await organiser.getByTestId('in-fields').isDisabled(), true);
    assert.equal(await organiser.getByTestId('in-c-code').first().isDisabled(), true);
    assert.equal(await organiser.getByTestId('in-scoreRule').isDisabled(), true);
    assert.match(await organiser.getByTestId('edit-scope').innerText(), /cố định/);
    await organiser.getByTestId('in-consolation').fill('1');
    await shot(organiser, 'contests-01c-edit-open');
    await organiser.getByTestId('save-contest').click();
    await organiser.getByTestId('contest-page').waitFor();
    assert.match(await organiser.getByTestId('contest-page').innerText(), /Khuyến khích 1/);

    // Entries registered on the entry form. First a careless one: no title,
    // an organisation the registry does not know, no author's name.
    await organiser.getByTestId('add-entry').click();
    await organiser.getByTestId('entry-form').waitFor();
    assert.equal(await organiser.getByTestId('in-entry-source').inputValue(), ORG, "the province's own code by default");
    await organiser.getByTestId('in-entry-source').fill('99');
    await organiser.getByTestId('in-author-role').fill('chủ nhiệm');
    await organiser.getByTestId('register-entry').click();
    await organiser.locator('[data-testid="entry-status"][data-state="refused"]').waitFor();
    const at = (key) => organiser.locator(`[data-testid="entry-form"] [data-field="${key}"] .field-error`).first();
    console.log(`entry refused: title "${await at('title').innerText()}"; source "${await at('source_organization_code').innerText()}"; author "${await at('authors[0].name').innerText()}"`);
    assert.match(await at('title').innerText(), /\S/);
    assert.match(await at('source_organization_code').innerText(), /99/);
    assert.match(await at('authors[0].name').innerText(), /\S/);
    assert.equal(await at('field').innerText(), '');
    await shot(organiser, 'contests-01d-entry-refused');
    await organiser.getByTestId('in-entry-source').fill(ORG);
    assert.equal(await at('source_organization_code').innerText(), '');
    const started = Date.now();
    for (let i = 0; i < BASE.length; i++) {
      await organiser.getByTestId('in-entry-title').fill(`Giải pháp ${i + 1}: máy ${['tách hạt', 'sấy chè', 'tưới', 'ép mía'][i]}`);
      await organiser.getByTestId('in-entry-summary').fill('Áp dụng tại địa phương');
      await organiser.getByTestId('in-author-name').fill(`Tác giả ${i + 1}`);
      await organiser.getByTestId('in-author-role').fill('chủ nhiệm');
      if (i === 0) {
        await organiser.getByTestId('add-author').click();
        await organiser.getByTestId('in-author-name').nth(1).fill('Đồng tác giả 1');
        await organiser.getByTestId('in-author-role').nth(1).fill('đồng tác giả');
      }
      await organiser.getByTestId('register-entry').click();
      await organiser.locator('[data-testid="registered-entry"]').nth(i).waitFor();
      assert.equal(await organiser.getByTestId('entry-status').getAttribute('data-state'), 'saved');
    }
    console.log(`${BASE.length} entries registered on the form in ${Date.now() - started} ms`);
    entries = await organiser.locator('[data-testid="registered-entry"]').evaluateAll((rows) => rows.map((r) => r.dataset.entry));
    assert.match(await organiser.locator('[data-testid="registered-entry"]').first().innerText(), /Đồng tác giả 1/);
    // The same work by the same authors again: refused at the title.
    await organiser.getByTestId('in-entry-title').fill('Giải pháp 2: máy sấy chè');
    await organiser.getByTestId('in-author-name').fill('Tác giả 2');
    await organiser.getByTestId('register-entry').click();
    await at('title').filter({ hasText: /./ }).waitFor();
    console.log(`the same entry twice: "${await at('title').innerText()}"`);
    await shot(organiser, 'contests-01e-entries-registered');

    // The contest's page watches while a fifth entry arrives from a second tab.
    await contestPage();
    assert.equal(await organiser.locator('[data-testid="entry-row"]').count(), BASE.length);
    const tab = await organiser.context().newPage();
    await tab.setViewportSize({ width: 1280, height: 900 });
    await tab.goto(`${stack.baseUrl}/#/contest/${contestId}/entry`);
    await tab.getByTestId('entry-form').waitFor();
    await tab.getByTestId('in-entry-title').fill('Giải pháp 5: đăng ký nhầm');
    await tab.getByTestId('in-author-name').fill('Tác giả 5');
    const arrived = Date.now();
    await tab.getByTestId('register-entry').click();
    await tab.locator('[data-testid="registered-entry"]').waitFor();
    const fifth = await tab.locator('[data-testid="registered-entry"]').getAttribute('data-entry');
    await tab.close();
    await organiser.getByTestId('show-new-entries').click({ timeout: 20000 });
    await organiser.locator(`[data-testid="entry-row"][data-entry="${fifth}"]`).waitFor();
    console.log(`new entry noticed and shown on the open contest's page after ${Date.now() - arrived} ms`);

    // Withdrawn with its reason: without one the service refuses, at the reason.
    const row = organiser.locator(`[data-testid="entry-row"][data-entry="${fifth}"]`);
    await row.getByTestId('withdraw').click();
    await row.getByTestId('confirm-withdraw').click();
    await row.locator('[data-field="reason"]').filter({ hasText: /./ }).waitFor();
    console.log(`withdrawn without a reason: "${await row.locator('[data-field="reason"]').innerText()}"`);
    await row.getByTestId('withdraw-reason').fill('Đăng ký nhầm, tác giả rút');
    await row.getByTestId('confirm-withdraw').click();
    await organiser.locator(`[data-testid="entry-row"][data-entry="${fifth}"][data-withdrawn="true"]`).waitFor();
    assert.match(await organiser.locator(`[data-testid="entry-row"][data-entry="${fifth}"]`).innerText(), /tác giả rút/);
    assert.equal(await organiser.locator('[data-testid="entry-row"]:not([data-withdrawn])').count(), BASE.length);
    assert.match(await organiser.locator('[data-testid="entries"] h2').innerText(), new RegExp(`\\(${BASE.length}\\)`));
    await shot(organiser, 'contests-01f-withdrawn');
    // Judging cannot start before there are judges: the page says so.
    assert.match(await organiser.getByTestId('next-step').innerText(), /giám khảo/i);
  });

  test("the organiser's contest screens fit 400 px without sideways scrolling", async () => {
    await organiser.setViewportSize({ width: 400, height: 800 });
    const widths = {};
    try {
      for (const [name, hash, ready] of [
        ['list', '#/contests', 'contest-list'],
        ['new', '#/contests/new', 'create-form'],
        ['contest', `#/contest/${contestId}`, 'contest-page'],
        ['edit', `#/contest/${contestId}/edit`, 'edit-form'],
        ['entry', `#/contest/${contestId}/entry`, 'entry-form'],
      ]) {
        await organiser.goto(`${stack.baseUrl}/${hash}`);
        await organiser.reload();
        await organiser.getByTestId(ready).waitFor();
        widths[name] = await organiser.evaluate(() => document.documentElement.scrollWidth);
        await shot(organiser, `contests-01g-400px-${name}`);
      }
    } finally {
      // The tests after this one start on the contest's page, at full width.
      await organiser.setViewportSize({ width: 1280, height: 900 });
      await contestPage();
    }
    console.log(`page widths at 400 px: ${JSON.stringify(widths)}`);
    for (const [name, width] of Object.entries(widths)) assert.ok(width <= 400, `${name} is ${width} px wide at 400 px`);
  });

  test('judges join the panel on the page; automatic assignment avoids the conflicts; a manual change sticks', async () => {
    for (const j of JUDGES) {
      await organiser.getByTestId('in-judge-subject').fill(j.subject);
      await organiser.getByTestId('in-judge-name').fill(j.name);
      await organiser.getByTestId('in-judge-org').fill(j.org);
      await organiser.getByTestId('add-judge').click();
      await organiser.locator(`[data-testid="judge-row"][data-judge="${j.subject}"]`).waitFor();
    }
    const started = Date.now();
    await organiser.getByTestId('auto-assign').click();
    await organiser.getByTestId('assign-status').filter({ hasText: /\d/ }).waitFor();
    console.log(`auto-assign and matrix redraw: ${Date.now() - started} ms; "${await organiser.getByTestId('assign-status').innerText()}"`);
    // The Sơn La judge scores none of Sơn La's entries.
    const xCells = organiser.locator('[data-testid="matrix-cell"][data-judge="gk-x"]');
    assert.equal(await xCells.count(), BASE.length);
    for (const kind of await xCells.evaluateAll((cells) => cells.map((c) => c.dataset.kind))) assert.equal(kind, 'conflict');
    assert.match(await organiser.getByTestId('conflicts-avoided').innerText(), new RegExp(`${BASE.length}`));
    for (const id of entries) {
      assert.equal(await organiser.locator(`[data-testid="entry-load"][data-entry="${id}"]`).innerText(), '3/3');
    }
    await shot(organiser, 'contests-02-matrix');

    // By hand: take gk-a off an entry and give it to the judge who was free.
    const onA = organiser.locator('[data-testid="matrix-cell"][data-judge="gk-a"][data-kind="on"]');
    const moved = await onA.first().getAttribute('data-entry');
    await onA.first().locator('button').click();
    await organiser.locator(`[data-testid="matrix-cell"][data-judge="gk-a"][data-entry="${moved}"][data-kind="free"]`).waitFor();
    const free = organiser.locator(`[data-testid="matrix-cell"][data-entry="${moved}"][data-kind="free"]:not([data-judge="gk-a"])`);
    const other = await free.first().getAttribute('data-judge');
    await free.first().locator('button').click();
    await organiser.locator(`[data-testid="matrix-cell"][data-judge="${other}"][data-entry="${moved}"][data-kind="on"]`).waitFor();
    assert.equal(await organiser.locator(`[data-testid="entry-load"][data-entry="${moved}"]`).innerText(), '3/3');
    aLoad = Number(await organiser.locator('[data-testid="matrix-row"][data-judge="gk-a"] [data-testid="load"]').innerText());
    await transition('CONTEST_STATE_JUDGING');
    await shot(organiser, 'contests-03-judging');
  });

  test('a judge sees only their assignments and scores them; a score above the maximum is refused at its field', async () => {
    judgePage = await logIn(stack.token('judge', '01', 'gk-a'));
    await judgePage.getByTestId('judge-home').waitFor();
    assert.equal(new URL(judgePage.url()).hash, '#/judge');
    mine = await judgePage.locator('[data-testid="assignment"]').evaluateAll((rows) => rows.map((r) => r.dataset.entry));
    assert.equal(mine.length, aLoad);
    assert.ok(aLoad >= 2);
    const notMine = entries.find((id) => !mine.includes(id));
    assert.ok(notMine, 'gk-a was taken off one entry');
    assert.equal(await judgePage.getByTestId('judge-progress').getAttribute('data-done'), '0');
    // No board, no province page for a judge.
    assert.equal(await judgePage.getByTestId('totals').count(), 0);
    await shot(judgePage, 'contests-04-judge-home');

    // The service refuses another judge's sheets for an entry not assigned.
    const judgeCall = await apiSession(stack.token('judge', '01', 'gk-a'));
    const refused = await judgeCall('ListScoreSheets', { entryId: notMine });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'PERMISSION_DENIED');

    const first = mine[0];
    await judgePage.locator(`[data-testid="assignment"][data-entry="${first}"] [data-testid="open-sheet"]`).click();
    await judgePage.getByTestId('sheet-form').waitFor();
    const pts = (code) => judgePage.locator(`[data-testid="points"][data-criterion="${code}"]`);
    const err = (code) => judgePage.locator(`[data-testid="field-error"][data-criterion="${code}"]`);
    await pts('novelty').fill('11');
    // As typed, before anything is sent.
    await err('novelty').filter({ hasText: /10/ }).waitFor();
    assert.equal(await err('novelty').getAttribute('data-source'), 'page');
    assert.equal(await pts('novelty').getAttribute('aria-invalid'), 'true');
    await pts('applicability').fill('7');
    await pts('effectiveness').fill('6.5');
    await judgePage.getByTestId('sheet-comment').fill('Giải pháp có tính mới.');
    await judgePage.getByTestId('submit-sheet').click();
    await judgePage.locator('[data-testid="sheet-status"][data-state="refused"]').waitFor();
    // The service's own refusal, at the same field.
    assert.equal(await err('novelty').getAttribute('data-source'), 'service');
    console.log(`the service on 11 of 10: "${await err('novelty').innerText()}"`);
    assert.match(await err('novelty').innerText(), /11/);
    assert.equal(await err('applicability').innerText(), '');
    await shot(judgePage, 'contests-05-sheet-refused');

    await pts('novelty').fill('8');
    assert.equal(await err('novelty').innerText(), '');
    assert.equal(await judgePage.getByTestId('sheet-total').innerText(), '51'); // 3*8 + 2*7 + 2*6.5
    await judgePage.getByTestId('submit-sheet').click();
    await judgePage.locator('[data-testid="sheet-status"][data-state="saved"]').waitFor();
    assert.match(await judgePage.getByTestId('sheet-revision').innerText(), /1/);
    // Revised while judging is open: revision 2.
    await pts('novelty').fill(String(BASE[entries.indexOf(first)][0]));
    await judgePage.getByTestId('submit-sheet').click();
    await judgePage.locator('[data-testid="sheet-status"][data-state="saved"]').filter({ hasText: /2/ }).waitFor();
    assert.match(await judgePage.getByTestId('sheet-revision').innerText(), /2/);
    await shot(judgePage, 'contests-06-sheet-saved');

    // The others on the page as well, then progress is complete.
    for (const id of mine) {
      await judgePage.goto(`${stack.baseUrl}/#/judge/${contestId}/${id}`);
      await judgePage.getByTestId('sheet-form').waitFor();
      const p = BASE[entries.indexOf(id)];
      await pts('novelty').fill(String(p[0]));
      await pts('applicability').fill(String(p[1]));
      await pts('effectiveness').fill(String(p[2]));
      await judgePage.getByTestId('submit-sheet').click();
      await judgePage.locator('[data-testid="sheet-status"][data-state="saved"]').waitFor();
    }
    await judgePage.goto(`${stack.baseUrl}/#/judge`);
    await judgePage.getByTestId('judge-home').waitFor();
    assert.equal(await judgePage.getByTestId('judge-progress').getAttribute('data-done'), String(aLoad));
    await shot(judgePage, 'contests-07-judge-progress');

    // A judge on a phone: the sheet fits 400 px without sideways scrolling.
    await judgePage.setViewportSize({ width: 400, height: 800 });
    await judgePage.goto(`${stack.baseUrl}/#/judge/${contestId}/${mine[0]}`);
    await judgePage.getByTestId('sheet-form').waitFor();
    const width = await judgePage.evaluate(() => document.documentElement.scrollWidth);
    await shot(judgePage, 'contests-07b-sheet-400px');
    assert.ok(width <= 400, `the sheet is ${width} px wide at 400 px`);
    await judgePage.setViewportSize({ width: 1280, height: 900 });
  });

  test('the organiser closes judging and reads the jury statistics, exports them, prints the minutes and awards', async () => {
    // The other judges' sheets have no second browser here: through /api/call as each judge.
    const contest = await orgCall('ListEntries', { contestId });
    for (const j of JUDGES.filter((x) => x.subject !== 'gk-a' && x.subject !== 'gk-x')) {
      const call = await apiSession(stack.token('judge', j.org, j.subject));
      for (const e of contest.body.entries.filter((x) => x.judgeSubjects.includes(j.subject))) {
        const i = entries.indexOf(e.id);
        // The last entry divides the jury: gk-c loves it.
        const pts = BASE[i].map((v) => Math.max(0, Math.min(10, i === 3 && j.subject === 'gk-c' ? 10 : v + HABIT[j.subject])));
        const r = await call('SubmitScoreSheet', { sheet: { entryId: e.id, comment: '', scores: [
          { criterionCode: 'novelty', points: pts[0] }, { criterionCode: 'applicability', points: pts[1] }, { criterionCode: 'effectiveness', points: pts[2] }] } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
    }
    await contestPage();
    await organiser.getByTestId('ready').waitFor();
    await transition('CONTEST_STATE_CLOSED');

    const started = Date.now();
    await organiser.getByTestId('results-link').click();
    await organiser.locator('[data-testid="results-page"][data-load-ms]').waitFor();
    const loadMs = Date.now() - started;
    console.log(`results page: ${loadMs} ms from click to drawn (GetResults and render inside the page: ${await organiser.getByTestId('results-page').getAttribute('data-load-ms')} ms)`);

    const rows = organiser.locator('[data-testid="result"]');
    assert.equal(await rows.count(), BASE.length);
    const top = rows.first();
    assert.equal(await top.locator('[data-testid="sheets"]').innerText(), '3');
    assert.match(await top.locator('[data-testid="official"]').innerText(), /^\d+([.,]\d+)?$/);
    assert.match(await top.locator('[data-testid="rule"]').innerText(), /phiếu/);
    assert.match(await top.locator('[data-testid="interval"]').innerText(), /^\[.+;.+\]$/);
    // The divided entry is flagged.
    assert.match(await organiser.locator(`[data-testid="result"][data-entry="${entries[3]}"] [data-testid="disagreement"]`).innerText(), /\S/);
    const note = organiser.getByTestId('calibration-note');
    if (await note.count()) console.log(`calibration not available: ${await note.innerText()}`);
    assert.equal(await note.count(), 0, 'the judges scored entries in common: calibrated scores are shown');
    assert.match(await top.locator('[data-testid="calibrated"]').innerText(), /±/);
    // Per judge: offsets; gk-b is the toughest.
    assert.equal(await organiser.locator('[data-testid="judge-stat"]').count(), 4);
    const offB = await organiser.locator('[data-testid="judge-stat"][data-judge="gk-b"] [data-testid="offset"]').innerText();
    console.log(`gk-b's offset: ${offB}`);
    assert.match(offB, /^[-−]/);
    // Agreement: the whole contest and the field, alpha and the ICC's form named.
    const whole = organiser.locator('[data-testid="agreement-row"][data-field=""]');
    assert.match(await whole.locator('[data-testid="alpha"]').innerText(), /\d/);
    assert.match(await whole.locator('[data-testid="icc-form"]').innerText(), /\S/);
    await shot(organiser, 'contests-08-results');

    const [csv] = await Promise.all([organiser.waitForEvent('download'), organiser.getByTestId('export-csv').click()]);
    const csvFile = path.join(work, csv.suggestedFilename());
    await csv.saveAs(csvFile);
    const text = fs.readFileSync(csvFile, 'utf8');
    for (const head of ['Trung vị', 'Độ lệch chuẩn', 'Khoảng tin cậy 95%', 'Điểm hiệu chỉnh', 'Krippendorff alpha', 'gk-b']) {
      assert.ok(text.includes(head), `the CSV has ${head}`);
    }
    assert.equal(text.split('\r\n').filter((l) => entries.some((id) => l.split(',')[1] === id)).length, BASE.length);
    const [xlsx] = await Promise.all([organiser.waitForEvent('download'), organiser.getByTestId('export-xlsx').click()]);
    const xlsxFile = path.join(work, 'results.xlsx');
    await xlsx.saveAs(xlsxFile);
    assert.equal(fs.readFileSync(xlsxFile).subarray(0, 2).toString(), 'PK');
    console.log(`exports: CSV ${text.length} chars, xlsx ${fs.statSync(xlsxFile).size} bytes`);

    // The jury's minutes: printed without the page's bar and buttons.
    await organiser.emulateMedia({ media: 'print' });
    assert.equal(await organiser.locator('.topbar').isVisible(), false);
    assert.equal(await organiser.getByTestId('export-csv').isVisible(), false);
    await shot(organiser, 'contests-09-minutes-print');
    await organiser.emulateMedia({ media: 'screen' });
    // In English too.
    await organiser.getByTestId('lang').click();
    await organiser.locator('[data-testid="results-table"] th').filter({ hasText: 'Official score' }).waitFor();
    assert.match(await organiser.getByTestId('agreement').innerText(), /Krippendorff/);
    await shot(organiser, 'contests-09b-results-en');
    await organiser.getByTestId('lang').click();
    await organiser.locator('[data-testid="results-table"] th').filter({ hasText: 'Điểm chính thức' }).waitFor();

    await organiser.getByTestId('award').click();
    await organiser.locator('[data-testid="result"] [data-testid="prize"]').filter({ hasText: 'Giải Nhất' }).waitFor();
    await shot(organiser, 'contests-10-awarded');

    // Judging is closed: the judge's sheet is read-only now.
    await judgePage.goto(`${stack.baseUrl}/#/judge/${contestId}/${mine[0]}`);
    await judgePage.reload();
    await judgePage.getByTestId('sheet-readonly').waitFor();
    assert.equal(await judgePage.getByTestId('submit-sheet').isDisabled(), true);
  });

  test('the organiser nominates the first prize to an open national contest', async () => {
    // The national contest is the national office's (no second browser here):
    // created and opened through /api/call as a national admin.
    const admin = await apiSession(stack.token('national_admin', 'VUSTA', 'admin-e2e'));
    const today = new Date().toISOString().slice(0, 10);
    const made = await admin('CreateContest', { contest: {
      kind: 'CONTEST_KIND_NATIONAL', organizerCode: 'VUSTA', level: 'CONTEST_LEVEL_NATIONAL', edition: 99, year: Number(today.slice(0, 4)),
      title: 'Hội thi Sáng tạo Kỹ thuật toàn quốc (e2e)', fields: [FIELD],
      registrationOpens: today, registrationCloses: `${today.slice(0, 4)}-12-31`, judgingOpens: `${today.slice(0, 4)}-12-31`, judgingCloses: `${today.slice(0, 4)}-12-31`,
      prizes: { first: 1, second: 0, third: 0, consolation: 0, minScore: 0 }, minJudgesPerEntry: 1,
      criteria: [{ code: 'novelty', name: 'Tính mới', weight: 1, maxPoints: 10 }],
    } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const opened = await admin('TransitionContest', { id: made.body.id, to: 'CONTEST_STATE_OPEN' });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    await contestPage();
    const nominate = organiser.getByTestId('nominate');
    assert.ok(await nominate.count() >= 1, 'prize winners can be nominated');
    await organiser.getByTestId('nominate-target').first().selectOption(made.body.id);
    await nominate.first().click();
    await organiser.locator('[data-testid="nominate-status"][data-state="done"]').waitFor();
    console.log(`nominated: "${await organiser.getByTestId('nominate-status').innerText()}"`);
    const list = await admin('ListEntries', { contestId: made.body.id });
    assert.equal(list.body.entries.length, 1);
    assert.ok(entries.includes(list.body.entries[0].nominatedFromEntryId));
    await shot(organiser, 'contests-11-nominated');

    // Sơn La registers one of its own entries in the national contest on the
    // page; another province's entry is refused by the service.
    await organiser.goto(`${stack.baseUrl}/#/contest/${made.body.id}/entry`);
    await organiser.getByTestId('entry-form').waitFor();
    await organiser.getByTestId('in-entry-title').fill('Máy gieo hạt ngô (Sơn La)');
    await organiser.getByTestId('in-author-name').fill('Lò Thị Mai');
    await organiser.getByTestId('in-entry-source').fill('01');
    await organiser.getByTestId('register-entry').click();
    await organiser.locator('[data-testid="entry-status"][data-state="refused"]').waitFor();
    console.log(`another province's entry: "${await organiser.getByTestId('entry-status').innerText()}"`);
    await organiser.getByTestId('in-entry-source').fill(ORG);
    await organiser.getByTestId('register-entry').click();
    await organiser.locator('[data-testid="entry-status"][data-state="saved"]').waitFor();
    const after = await admin('ListEntries', { contestId: made.body.id });
    assert.equal(after.body.entries.length, 2);
    assert.ok(after.body.entries.some((e) => e.title === 'Máy gieo hạt ngô (Sơn La)' && e.sourceProvinceCode === ORG));
    await shot(organiser, 'contests-12-province-entry-national');
  });

  test("a youth contest's entry needs each author's age and school, refused at those fields", async () => {
    await organiser.goto(`${stack.baseUrl}/#/contests/new`);
    await organiser.getByTestId('create-form').waitFor();
    await organiser.getByTestId('in-kind').selectOption('CONTEST_KIND_YOUTH');
    await organiser.getByTestId('in-title').fill('Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng tỉnh Sơn La (e2e)');
    await organiser.getByTestId('in-edition').fill('3');
    await organiser.getByTestId('in-fields').fill('Giải pháp kỹ thuật');
    await organiser.getByTestId('create').click();
    await organiser.getByTestId('contest-page').waitFor();
    await transition('CONTEST_STATE_OPEN');
    await organiser.getByTestId('add-entry').click();
    await organiser.getByTestId('entry-form').waitFor();
    await organiser.getByTestId('youth-note').waitFor();
    await organiser.getByTestId('in-entry-title').fill('Thùng rác tự phân loại');
    await organiser.getByTestId('in-author-name').fill('Lò Văn Nam');
    await organiser.getByTestId('in-author-age').fill('5');
    await organiser.getByTestId('register-entry').click();
    await organiser.locator('[data-testid="entry-status"][data-state="refused"]').waitFor();
    const at = (key) => organiser.locator(`[data-testid="entry-form"] [data-field="${key}"] .field-error`).first();
    console.log(`youth entry refused: age "${await at('authors[0].age').innerText()}"; school "${await at('authors[0].school').innerText()}"`);
    assert.match(await at('authors[0].age').innerText(), /6/);
    assert.match(await at('authors[0].school').innerText(), /\S/);
    assert.equal(await at('authors[0].name').innerText(), '');
    await shot(organiser, 'contests-13-youth-entry-refused');
    await organiser.getByTestId('in-author-age').fill('14');
    await organiser.getByTestId('in-author-school').fill('THCS Chiềng Lề');
    await organiser.getByTestId('register-entry').click();
    await organiser.locator('[data-testid="entry-status"][data-state="saved"]').waitFor();
    const id = await organiser.getByTestId('registered-entry').getAttribute('data-entry');
    const got = await orgCall('GetEntry', { entryId: id });
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.deepEqual([got.body.authors[0].age, got.body.authors[0].school], [14, 'THCS Chiềng Lề']);
  });
});
