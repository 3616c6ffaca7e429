// The whole reporting story in headless Chromium against real processes
// (registry, reporting with its forwarder, aggregator, ranking, competition,
// dashboard; see stack.mjs): a province clerk fills in a period's form with
// the service validating as they type, saves, meets a second session's save,
// submits; a national reviewer returns the report with a comment that reaches
// the clerk live; the clerk corrects and resubmits revision 2; the reviewer
// sees the difference and accepts, and the national total moves; an admin
// reopens it. The clerk and the reviewer use two browsers: one browser keeps
// one session. Screenshots of every screen go to FED_DASHBOARD_OUTPUT_DIR;
// timings are printed, never asserted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Stack, launchBrowser, outputDir } from './stack.mjs';

const OUT = outputDir();
const LIVE_TIMEOUT_MS = 15000;

let stack;
let clerkBrowser;
let reviewerBrowser;
const profiles = [];
let clerk; // the clerk's page, kept open through the story
let reviewer; // the reviewer's page
let code; // the province
let other; // another province
let period; // a period the demo data has no report for
let catalog;

async function shot(page, name) {
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

async function newBrowser() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-chromium-'));
  profiles.push(dir);
  return launchBrowser(dir, { caFile: stack.caFile });
}

async function logIn(browser, token) {
  const page = await browser.newPage();
  page.on('dialog', (d) => d.dismiss());
  // A common office laptop; 400 px comes last.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${stack.baseUrl}/login#token=${encodeURIComponent(token)}`);
  return page;
}

// A second session of the same province, outside any browser: the
// dashboard's JSON API as a script would use it.
async function apiSession(token) {
  return stack.apiSession(token);
}

function field(page, indicator) {
  return page.locator(`[data-testid="field"][data-key="v:${indicator}"]`);
}

// Waits until the form shows the answer to a validation sent after now.
async function validated(page, since) {
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="form-summary"]')?.dataset.seq ?? 0) > n,
    since, { timeout: LIVE_TIMEOUT_MS });
}

async function seq(page) {
  return Number(await page.getByTestId('form-summary').getAttribute('data-seq') ?? 0);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// The national total the board shows (NaN while it is not shown).
async function shownTotal(page, indicator) {
  const row = page.locator(`[data-testid="totals"] tr[data-indicator="${indicator}"] td.num`).first();
  try {
    await row.waitFor({ timeout: 5000 });
    return Number((await row.innerText({ timeout: 1000 })).replace(/\./g, '').replace(',', '.'));
  } catch {
    console.log(`no total for ${indicator} on the board yet: "${await page.getByTestId('totals').innerText().catch(() => '?')}"`);
    return NaN;
  }
}

describe('reporting: a clerk and a reviewer in the browser', () => {
  before(async () => {
    stack = new Stack({ name: 'dash_reporting' });
    await stack.start();
    clerkBrowser = await newBrowser();
    reviewerBrowser = await newBrowser();
    // A province whose previous half-year was accepted (something to compare
    // with), in a cluster; the first half-year after the demo's reports.
    const previous = stack.completeness('2025H2');
    const accepted = (previous.reporters ?? []).filter((r) => r.state === 'REPORT_STATE_ACCEPTED').map((r) => r.organization_code);
    assert.ok(accepted.length >= 2, 'the demo accepted 2025H2 reports');
    [code, other] = accepted;
    period = '2026H1';
    const truth = stack.completeness(period);
    assert.ok((truth.missing_codes ?? []).includes(code), `${code} has not reported ${period}`);
  });

  after(async () => {
    await clerkBrowser?.close();
    await reviewerBrowser?.close();
    for (const dir of profiles) fs.rmSync(dir, { recursive: true, force: true });
    await stack?.stop();
  });

  test('a clerk lands on their periods, fills in the form, sees mistakes at their fields, saves', async () => {
    clerk = await logIn(clerkBrowser, stack.token('province_reporter', code, `clerk-${code}`));
    await clerk.waitForURL(/#\/reports$/);
    const row = clerk.locator(`[data-testid="period-row"][data-period="${period}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'missing');
    assert.equal(await clerk.getByTestId('province-link').getAttribute('href'), `#/province/${code}`);
    const me = await (await clerk.request.get(`${stack.baseUrl}/api/me`)).json();
    catalog = me.catalog.indicators;
    await shot(clerk, 'clerk-periods');

    const opened = Date.now();
    await row.getByTestId('open-form').click();
    await clerk.waitForURL(new RegExp(`#/report/${code}/${period}$`));
    const members = field(clerk, 'members').locator('input');
    await clerk.locator('[data-testid="report-form"][data-editable="true"]').waitFor();
    await members.waitFor({ state: 'visible' });
    assert.equal(await members.isEditable(), true);
    console.log(`form open to ready-to-type: ${Date.now() - opened} ms (in the page: ${await clerk.getByTestId('report-form').getAttribute('data-open-ms')} ms)`);
    // Grouped by the catalog's sections, each input named by its label.
    assert.equal(await clerk.locator('fieldset[data-section]').count(), new Set(catalog.map((i) => i.section)).size + 1);
    assert.equal(await clerk.getByLabel('Hội thảo khoa học', { exact: true }).count(), 1);
    // Pre-filled from the registry (members of the province).
    assert.match(await members.inputValue(), /^\d+$/, 'members pre-filled');

    // Ten times the members (for the reviewer to notice), then intellectuals
    // above members: the service's rule, at the field.
    const membersValue = Number(await members.inputValue()) * 10;
    await members.fill(String(membersValue));
    let n = await seq(clerk);
    await field(clerk, 'intellectuals').locator('input').fill(String(membersValue + 500));
    await validated(clerk, n);
    const error = field(clerk, 'intellectuals').getByTestId('field-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Không được lớn hơn Số hội viên/);
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await field(clerk, 'intellectuals').locator('input').getAttribute('aria-invalid'), 'true');
    // A negative count.
    n = await seq(clerk);
    await field(clerk, 'workshops').locator('input').fill('-3');
    await validated(clerk, n);
    assert.match(await field(clerk, 'workshops').getByTestId('field-error').innerText(), /Không được là số âm/);
    await shot(clerk, 'clerk-form-errors');

    // Fixed: the errors go.
    n = await seq(clerk);
    await field(clerk, 'intellectuals').locator('input').fill(String(Math.floor(membersValue / 2)));
    await field(clerk, 'workshops').locator('input').fill('999');
    await validated(clerk, n);
    assert.equal(await field(clerk, 'intellectuals').getByTestId('field-error').count(), 0);
    assert.equal(await field(clerk, 'workshops').getByTestId('field-error').count(), 0);
    assert.equal(await field(clerk, 'intellectuals').locator('input').getAttribute('aria-invalid'), null);

    // ~50 validations while typing: the round trip of each ValidateReport call.
    const times = [];
    clerk.on('requestfinished', (req) => {
      if (req.url().endsWith('/api/call/reporting/ValidateReport')) times.push(req.timing().responseEnd);
    });
    const input = field(clerk, 'training_courses').locator('input');
    for (let i = 1; i <= 50; i++) {
      n = await seq(clerk);
      await input.fill(String(i));
      await validated(clerk, n);
    }
    const sorted = times.filter((x) => x > 0).sort((a, b) => a - b);
    console.log(`validation round trip over ${sorted.length} validations: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`);

    // Everything else: zeros where there was nothing.
    for (const ind of catalog.filter((i) => i.type !== 'INDICATOR_TYPE_BOOLEAN')) {
      const box = field(clerk, ind.code).locator('input');
      if ((await box.inputValue()) === '') await box.fill('0');
    }
    await field(clerk, 'has_website').locator('input').check();
    await clerk.getByLabel('Kết quả nổi bật').fill('Tổ chức 999 hội thảo khoa học.');
    await clerk.getByTestId('add-recommendation').click();
    await clerk.getByLabel('Kiến nghị 1').fill('Đề nghị hỗ trợ kinh phí hội thảo.');
    await clerk.locator('[data-testid="form-summary"][data-state="valid"]').waitFor({ timeout: LIVE_TIMEOUT_MS });

    // The English switch keeps what was typed.
    await clerk.getByTestId('lang').click();
    await clerk.locator('legend', { hasText: 'Organisation' }).waitFor();
    assert.equal(await field(clerk, 'workshops').locator('input').inputValue(), '999');
    await clerk.getByTestId('lang').click();
    await clerk.locator('legend', { hasText: 'Tổ chức' }).first().waitFor();

    await clerk.getByTestId('save').click();
    await clerk.getByTestId('save-status').filter({ hasText: 'Đã lưu lúc' }).waitFor();
    await shot(clerk, 'clerk-form-saved');
  });

  test('a second session saving in between: the stale save is refused and said on the page', async () => {
    const second = await apiSession(stack.token('province_reporter', code, `clerk2-${code}`));
    const draft = await second('reporting', 'GetDraft', { organizationCode: code, period });
    assert.equal(draft.status, 200);
    assert.ok(draft.body.draftVersion >= 1, `draftVersion ${draft.body.draftVersion}`);
    const theirs = { ...draft.body, narrative: { ...draft.body.narrative, difficulties: 'Thiếu kinh phí (bổ sung bởi người thứ hai).' } };
    const saved = await second('reporting', 'SaveDraft', { report: theirs });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));

    await clerk.getByLabel('Khó khăn, tồn tại').fill('Khó khăn của người thứ nhất.');
    await clerk.getByTestId('save').click();
    const conflict = clerk.getByTestId('conflict');
    await conflict.waitFor();
    assert.equal(await conflict.getAttribute('role'), 'alert');
    assert.match(await conflict.innerText(), /clerk2-/, 'names who saved');
    // Nothing overwritten: the other session's text is what the service holds.
    const now = await second('reporting', 'GetDraft', { organizationCode: code, period });
    assert.equal(now.body.narrative.difficulties, 'Thiếu kinh phí (bổ sung bởi người thứ hai).');
    assert.equal(await clerk.getByLabel('Khó khăn, tồn tại').inputValue(), 'Khó khăn của người thứ nhất.', 'what was typed stays');
    await shot(clerk, 'clerk-conflict');

    await clerk.getByTestId('reload-draft').click();
    await clerk.locator('[data-testid="report-form"][data-editable="true"]').waitFor();
    assert.equal(await clerk.getByLabel('Khó khăn, tồn tại').inputValue(), 'Thiếu kinh phí (bổ sung bởi người thứ hai).');
  });

  test('the clerk submits and sees the report travel to the national office', async () => {
    await clerk.locator('[data-testid="form-summary"][data-state="valid"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await clerk.evaluate(() => { window.__noReload = true; });
    await clerk.getByTestId('submit').click();
    await clerk.locator('[data-testid="report-form"][data-editable="false"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.equal(await clerk.getByTestId('form-state').innerText(), 'Chờ duyệt');
    await clerk.locator('[data-testid="travel"][data-stage="review"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.equal(await clerk.locator('[data-testid="travel"] [data-step="delivered"]').getAttribute('data-status'), 'done');
    await shot(clerk, 'clerk-submitted');
  });

  test('the reviewer returns it with a comment; the clerk sees the comment live, beside the field', async () => {
    reviewer = await logIn(reviewerBrowser, stack.token('national_reviewer', 'VUSTA', 'reviewer-1'));
    await reviewer.getByTestId('cells').waitFor();
    await reviewer.getByTestId('period').selectOption(period);
    await reviewer.getByTestId('review-link').click();
    await reviewer.waitForURL(/#\/review$/);
    const row = reviewer.locator(`[data-testid="queue-row"][data-code="${code}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'submitted');
    // Filters: by state (accepted leaves it out) and by its cluster (keeps it).
    await reviewer.getByTestId('queue-state').selectOption('accepted');
    await reviewer.locator('[data-testid="queue-empty"], [data-testid="queue-table"]').first().waitFor();
    assert.equal(await row.count(), 0);
    await reviewer.getByTestId('queue-state').selectOption('submitted');
    const board = await (await reviewer.request.get(`${stack.baseUrl}/api/board?period=${period}`)).json();
    const cluster = board.clusters.clusters.find((c) => c.memberCodes.includes(code));
    assert.ok(cluster, `${code} is in a cluster`);
    await reviewer.getByTestId('queue-cluster').selectOption(String(cluster.number));
    await row.waitFor();
    for (const other of await reviewer.getByTestId('queue-row').evaluateAll((rows) => rows.map((r) => r.dataset.code))) {
      assert.ok(cluster.memberCodes.includes(other), `${other} in cluster ${cluster.number}`);
    }
    await shot(reviewer, 'review-queue');

    await row.getByTestId('queue-open').click();
    await reviewer.locator(`[data-testid="review"][data-code="${code}"][data-revision="1"]`).waitFor();
    assert.equal(await reviewer.getByTestId('review-row').count(), catalog.length);
    // Ten times the members of the previous half-year: flagged; the
    // previous half-year and the cluster (no peer has reported this
    // half-year yet: its previous one) shown beside.
    const membersRow = reviewer.locator('[data-testid="review-row"][data-code="members"]');
    assert.equal(await membersRow.getAttribute('data-flagged'), 'true', await membersRow.innerText());
    await membersRow.getByTestId('flag-jump').waitFor();
    const cells = (await membersRow.locator('td').allInnerTexts()).map((x) => x.trim());
    assert.match(cells[2], /^[\d.]+$/, `the previous half-year is shown: ${cells}`);
    assert.match(cells[3], /^[\d.,]+ \(\d+\)$/, `the cluster's average is shown: ${cells}`);
    console.log(`reviewer's comparison for members: ${cells.join(' | ')} (cluster of ${await reviewer.getByTestId('cluster-period').getAttribute('data-period')})`);
    assert.equal(await reviewer.getByTestId('revision-diff').getAttribute('data-changes'), '0');
    // In English too.
    await reviewer.getByTestId('lang').click();
    await reviewer.getByRole('heading', { name: 'Changes since the previous revision' }).waitFor();
    assert.match(await reviewer.getByTestId('review-table').locator('thead').innerText(), /Indicator[\s\S]*Revision 1[\s\S]*Cluster average/);
    await reviewer.getByTestId('lang').click();
    await reviewer.getByRole('heading', { name: 'Khác biệt so với lần nộp trước' }).waitFor();
    assert.match(await reviewer.getByTestId('review-narrative').innerText(), /Tổ chức 999 hội thảo khoa học/);

    // Returning needs a comment.
    await reviewer.getByTestId('return').click();
    await reviewer.getByTestId('comment-required').waitFor();
    assert.equal(await reviewer.getByTestId('review-comment-input').getAttribute('aria-invalid'), 'true');
    const comment = 'Chỉ tiêu Hội thảo khoa học (999) quá cao so với kỳ trước, đề nghị kiểm tra lại.';
    await reviewer.getByLabel('Ý kiến (bắt buộc khi trả lại)').fill(comment);
    await shot(reviewer, 'review-report');
    await reviewer.getByTestId('return').click();
    await reviewer.locator('[data-testid="review"][data-state="returned"]').waitFor({ timeout: LIVE_TIMEOUT_MS });

    // The clerk's page, untouched since submitting, turns editable with the comment.
    const shownComment = clerk.getByTestId('review-comment');
    await shownComment.waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.match(await shownComment.innerText(), /quá cao so với kỳ trước/);
    await clerk.locator('[data-testid="report-form"][data-editable="true"]').waitFor();
    await field(clerk, 'workshops').getByTestId('review-note').waitFor();
    assert.equal(await clerk.evaluate(() => window.__noReload), true, 'the page was not reloaded');
    await shot(clerk, 'clerk-returned');
  });

  test('the clerk corrects and resubmits; the reviewer sees the difference, accepts, and the national total moves', async () => {
    const n = await seq(clerk);
    await field(clerk, 'workshops').locator('input').fill('12');
    await validated(clerk, n);
    await clerk.locator('[data-testid="form-summary"][data-state="valid"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await clerk.getByTestId('submit').click();
    await clerk.locator('[data-testid="report-form"][data-editable="false"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await clerk.locator('[data-testid="travel"] [data-step="submitted"]', { hasText: 'Lần nộp 2' }).waitFor();

    // The national total before the decision (accepted reports only).
    const totals = await (await reviewer.request.get(`${stack.baseUrl}/api/totals?period=${period}`)).json();
    const before = totals.totals.find((x) => x.indicatorCode === 'workshops').value;

    await reviewer.goto(`${stack.baseUrl}/#/review/${code}/${period}`);
    await reviewer.locator(`[data-testid="review"][data-revision="2"][data-state="submitted"]`).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const diff = reviewer.locator('[data-testid="diff-item"][data-code="workshops"]');
    await diff.waitFor();
    assert.equal(await diff.locator('del').innerText(), '999');
    assert.equal(await diff.locator('ins').innerText(), '12');
    assert.equal(await reviewer.getByTestId('revision-diff').getAttribute('data-changes'), '1');
    await shot(reviewer, 'review-diff');
    await reviewer.getByTestId('accept').click();
    await reviewer.locator('[data-testid="review"][data-state="accepted"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    // A reviewer cannot reopen.
    assert.equal(await reviewer.getByTestId('reopen').count(), 0);

    await clerk.locator('[data-testid="travel"][data-stage="accepted"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await shot(clerk, 'clerk-accepted');

    await reviewer.goto(`${stack.baseUrl}/#/`);
    await reviewer.getByRole('heading', { level: 1, name: new RegExp(period) }).waitFor();
    const deadline = Date.now() + 2 * LIVE_TIMEOUT_MS;
    let after = await shownTotal(reviewer, 'workshops');
    while (after !== before + 12 && Date.now() < deadline) {
      await reviewer.reload();
      await reviewer.getByRole('heading', { level: 1, name: new RegExp(period) }).waitFor();
      after = await shownTotal(reviewer, 'workshops');
    }
    assert.equal(after, before + 12, `national workshops ${before} -> ${after}`);
    await shot(reviewer, 'board-after-accept');
  });

  test('a province cannot open another province\'s form, by the page or by a direct call', async () => {
    await clerk.goto(`${stack.baseUrl}/#/report/${other}/${period}`);
    await clerk.getByTestId('refused').waitFor();
    await shot(clerk, 'clerk-refused');
    const statuses = await clerk.evaluate(async ({ other, period }) => {
      const me = await (await fetch('/api/me')).json();
      const ask = (headers) => fetch('/api/call/reporting/GetDraft', {
        method: 'POST', headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ organizationCode: other, period }),
      }).then(async (r) => [r.status, (await r.json()).code]);
      return { withToken: await ask({ 'X-CSRF-Token': me.csrfToken }), without: await ask({}) };
    }, { other, period });
    assert.deepEqual(statuses.withToken, [403, 'PERMISSION_DENIED']);
    assert.deepEqual(statuses.without, [403, 'PERMISSION_DENIED']);
  });

  test('an admin reopens the accepted report; the clerk sees it returned', async () => {
    await clerk.goto(`${stack.baseUrl}/#/report/${code}/${period}`);
    await clerk.locator('[data-testid="travel"][data-stage="accepted"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    const admin = await logIn(reviewerBrowser, stack.token('national_admin', 'VUSTA', 'admin-1'));
    await admin.getByTestId('cells').waitFor();
    await admin.goto(`${stack.baseUrl}/#/review/${code}/${period}`);
    await admin.locator('[data-testid="review"][data-state="accepted"]').waitFor();
    await admin.getByTestId('reopen').click();
    await admin.getByTestId('comment-required').waitFor();
    await admin.getByLabel('Lý do mở lại (bắt buộc)').fill('Mở lại để bổ sung số liệu hội viên.');
    await admin.getByTestId('reopen').click();
    await admin.locator('[data-testid="review"][data-state="returned"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await clerk.getByTestId('review-comment').filter({ hasText: 'bổ sung số liệu hội viên' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await clerk.locator('[data-testid="report-form"][data-editable="true"]').waitFor();
    await shot(clerk, 'clerk-reopened');
    // The browser's session is the admin's now: the reviewer's page ended with it.
    await reviewer.close();
    reviewer = admin;
  });

  test('the screens work at 400 px wide and from the keyboard', async () => {
    for (const [page, name] of [[clerk, 'clerk-form-narrow'], [reviewer, 'review-narrow']]) {
      await page.setViewportSize({ width: 400, height: 860 });
      if (page === reviewer) {
        await page.goto(`${stack.baseUrl}/#/review/${code}/${period}`);
        await page.getByTestId('review').waitFor();
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);
      await shot(page, name);
    }
    // Tab moves from one indicator to the next.
    await field(clerk, 'members').locator('input').focus();
    await clerk.keyboard.press('Tab');
    assert.equal(await clerk.evaluate(() => document.activeElement?.getAttribute('data-code')), 'intellectuals');
    await clerk.goto(`${stack.baseUrl}/#/reports`);
    // The list says where the report stands now: returned by the reopening, and why.
    const row = clerk.locator(`[data-testid="period-row"][data-period="${period}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'returned');
    assert.match(await row.getByTestId('list-comment').innerText(), /bổ sung số liệu hội viên/);
    const overflow = await clerk.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `periods list: ${overflow}px too wide`);
    await shot(clerk, 'clerk-periods-narrow');
  });
});
