// End-to-end tests of the dashboard in headless Chromium, against real
// registry, aggregator, ranking, competition and dashboard processes over a fresh
// database with the demo data (see stack.mjs). Screenshots go to FED_DASHBOARD_OUTPUT_DIR
// (default build/test-output/dashboard) for a person to look at.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Stack, launchBrowser, outputDir } from './stack.mjs';

const OUT = outputDir();
const LIVE_TIMEOUT_MS = 10000;

let stack;
let browser;
let profileDir;
let viewerToken;

async function shot(page, name) {
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

async function loggedInPage(token = viewerToken) {
  const page = await browser.newPage();
  page.on('dialog', (d) => d.dismiss());
  await page.goto(`${stack.baseUrl}/login#token=${encodeURIComponent(token)}`);
  return page;
}

async function counts(page) {
  const result = {};
  for (const key of ['expected', 'missing', 'submitted', 'returned', 'accepted', 'late', 'draft']) {
    result[key] = Number(await page.locator(`[data-testid="count-${key}"] .count-value`).innerText());
  }
  return result;
}

describe('dashboard in a browser', () => {
  before(async () => {
    stack = new Stack();
    await stack.start();
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-chromium-'));
    browser = await launchBrowser(profileDir, { caFile: stack.caFile });
    viewerToken = stack.token('viewer', 'VUSTA', 'clerk');
  });

  after(async () => {
    await browser?.close();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
    await stack?.stop();
  });

  test('a logged-out visitor is sent to the login', async () => {
    const page = await browser.newPage();
    await page.context().clearCookies();
    await page.goto(`${stack.baseUrl}/`);
    await page.waitForURL(/\/login$/);
    await page.getByTestId('login-form').waitFor();
    const api = await page.request.get(`${stack.baseUrl}/api/board?period=2025H1`);
    assert.equal(api.status(), 401);
    // A wrong token is refused with a message, and no session is opened.
    await page.locator('#token').fill('fed1.not.valid');
    await page.getByRole('button', { name: /Đăng nhập/ }).click();
    await page.getByTestId('login-status').filter({ hasText: 'Không đăng nhập được' }).waitFor();
    assert.equal((await page.context().cookies()).length, 0);
    await shot(page, 'login');
    await page.close();
  });

  test('the board shows the right counts for a period', async () => {
    const page = await loggedInPage();
    await page.waitForURL(`${stack.baseUrl}/`);
    await page.getByTestId('cells').waitFor();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'fed_session');
    assert.ok(cookie, 'session cookie set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.secure, true, 'served over HTTPS: the cookie is Secure');
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, 'an opaque session id, not a token');

    // It opens on the ended half-year whose deadline is nearest and says how far that is.
    const me = await (await page.request.get(`${stack.baseUrl}/api/me`)).json();
    assert.equal(await page.getByTestId('period').inputValue(), me.defaultPeriod);
    assert.match(await page.getByTestId('due').innerText(),
      /^Hạn nộp \d{1,2} tháng \d{1,2},? \d{4} — (còn \d+ ngày|hạn chót là hôm nay|đã hết hạn \d+ (ngày|tháng) trước)$/);
    // The demo's reports run to 2025H2.
    const period = '2025H2';
    await page.getByTestId('period').selectOption(period);
    await page.getByRole('heading', { name: `Tình hình nộp báo cáo · ${period}` }).waitFor();
    await page.getByTestId('cells').waitFor();
    const truth = stack.completeness(period);
    const shown = await counts(page);
    const reporters = truth.reporters ?? [];
    const awaiting = reporters.filter((r) => r.state === 'REPORT_STATE_SUBMITTED').length;
    assert.equal(shown.expected, truth.expected);
    assert.equal(shown.accepted, truth.accepted);
    assert.equal(shown.returned, truth.returned);
    assert.equal(shown.late, truth.late);
    assert.equal(shown.missing, (truth.missing_codes ?? []).length);
    assert.equal(shown.submitted, awaiting);
    assert.ok(shown.missing > 0 && shown.accepted > 0 && shown.returned > 0, JSON.stringify(shown));
    assert.equal(await page.getByTestId('cell').count(), truth.expected);
    // Coverage figures "N/M".
    const coverage = await page.getByTestId('coverage-item').first().innerText();
    assert.match(coverage, /^\d+\/\d+ tỉnh/);
    // The totals chart over periods labels its x axis with the periods.
    const chart = page.getByTestId('totals-chart');
    await chart.locator('svg').waitFor();
    await chart.locator('svg text', { hasText: /^\d{4}H[12]$/ }).first().waitFor();
    assert.ok(await chart.locator('svg text', { hasText: /^\d{4}H[12]$/ }).count() >= 2, 'period labels on the x axis');
    await shot(page, 'board-laptop');

    // Another period shows that period's numbers.
    await page.getByTestId('period').selectOption('2024H1');
    await page.getByRole('heading', { level: 1, name: /2024H1/ }).waitFor();
    const older = stack.completeness('2024H1');
    assert.equal((await counts(page)).expected, older.expected);
    assert.equal((await counts(page)).accepted, older.accepted);
    await page.close();
  });

  test('the page is HTTPS only, and a logged-out cookie gets 401', async () => {
    assert.match(stack.baseUrl, /^https:/);
    await assert.rejects(fetch(stack.baseUrl.replace('https:', 'http:') + '/healthz'), 'no plain HTTP on the port');
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'fed_session');
    const me = () => fetch(`${stack.baseUrl}/api/me`, { headers: { Cookie: `fed_session=${cookie.value}` } });
    assert.equal((await me()).status, 200);
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login$/);
    assert.equal((await page.context().cookies()).find((c) => c.name === 'fed_session'), undefined);
    // A copy of the cookie kept from before the logout opens nothing.
    const after = await me();
    assert.equal(after.status, 401);
    assert.equal((await after.json()).code, 'UNAUTHENTICATED');
    await page.close();
  });

  test('a cluster view shows only that cluster', async () => {
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    const options = await page.getByTestId('cluster-filter').locator('option').allInnerTexts();
    assert.ok(options.length > 1, 'clusters listed');
    await page.getByTestId('cluster-filter').selectOption({ index: 1 });
    const value = await page.getByTestId('cluster-filter').inputValue();
    const cells = page.getByTestId('cell');
    const n = await cells.count();
    assert.ok(n > 0 && n < 20, `cluster has ${n} provinces`);
    for (const meta of await page.locator('.cell-meta').allInnerTexts()) {
      assert.ok(meta.endsWith(`Cụm thi đua ${value}`), meta);
    }
    assert.equal((await counts(page)).expected, n);
    const csv = await page.request.get(`${stack.baseUrl}/api/export/board.csv?period=${await page.getByTestId('period').inputValue()}&cluster=${value}`);
    assert.equal(csv.status(), 200);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines.length, n + 1);
    await shot(page, 'board-cluster');
    // The rankings section is wired (a ranking, or "no ranking for this period").
    await page.getByTestId('rankings').locator('[data-testid="ranking-table"], [data-testid="rankings-none"]').first().waitFor();
    assert.doesNotMatch(await page.getByTestId('rankings').innerText(), /chưa được triển khai|not deployed/);
    await page.close();
  });

  test('submitting and accepting a report changes its cell without a reload', async () => {
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    await page.getByTestId('live').filter({ hasText: 'Cập nhật trực tiếp' }).waitFor();
    const period = await page.getByTestId('period').inputValue();
    const code = stack.completeness(period).missing_codes[0];
    const cell = page.locator(`[data-testid="cell"][data-code="${code}"]`);
    assert.equal(await cell.getAttribute('data-state'), 'missing');
    const before = await counts(page);
    await page.evaluate(() => { window.__noReload = true; });

    stack.push(code, period, 1);
    await page.waitForSelector(`[data-testid="cell"][data-code="${code}"][data-state="submitted"]`, { timeout: LIVE_TIMEOUT_MS });
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="count-missing"] .count-value').textContent) === n,
      before.missing - 1, { timeout: LIVE_TIMEOUT_MS });
    await shot(page, 'live-submitted');

    stack.accept(code, period, 1);
    await page.waitForSelector(`[data-testid="cell"][data-code="${code}"][data-state="accepted"]`, { timeout: LIVE_TIMEOUT_MS });
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="count-accepted"] .count-value').textContent) === n,
      before.accepted + 1, { timeout: LIVE_TIMEOUT_MS });
    assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was not reloaded');
    await shot(page, 'live-accepted');
    await page.close();
  });

  test('a province page renders its profile, reports and series', async () => {
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    const first = page.locator('[data-testid="cell"][data-state="accepted"]').first();
    const code = await first.getAttribute('data-code');
    const shortName = await first.locator('.cell-name').innerText();
    await first.click();
    await page.waitForURL(new RegExp(`#/province/${code}$`));
    await page.locator(`[data-testid="province"][data-code="${code}"]`).waitFor();
    assert.match(await page.getByTestId('province-short-name').innerText(), new RegExp(shortName));
    // Sơn La (14) has a recognised congress term with its leadership.
    await page.goto(`${stack.baseUrl}/#/province/14`);
    await page.locator('[data-testid="province"][data-code="14"]').waitFor();
    const term = await page.getByTestId('term').innerText();
    assert.match(term, /Đại hội \d+ · Nhiệm kỳ \d{4}–\d{4}/);
    assert.match(term, /Chủ tịch/);
    const rows = page.locator('[data-testid="reports"] tbody tr[data-state="accepted"]');
    assert.ok(await rows.count() >= 1);
    await page.locator('[data-testid="province-chart"] svg').waitFor();
    await page.getByTestId('narrative').waitFor();
    await shot(page, 'province');
    // English switch.
    await page.getByTestId('lang').click();
    await page.getByRole('heading', { name: 'Reports and review history' }).waitFor();
    await page.getByTestId('lang').click();
    await page.close();
  });

  test('an XSS attempt in a report narrative is shown as text', async () => {
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    const period = await page.getByTestId('period').inputValue();
    const code = stack.completeness(period).missing_codes[0];
    const attack = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>"><b>đậm</b>';
    stack.push(code, period, 1, attack);
    await page.goto(`${stack.baseUrl}/#/province/${code}`);
    const achievements = page.getByTestId('achievements');
    await achievements.waitFor();
    assert.equal(await achievements.innerText(), attack);
    assert.equal(await page.locator('[data-testid="narrative"] img, [data-testid="narrative"] script, [data-testid="narrative"] b').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await shot(page, 'xss-as-text');
    await page.close();
  });

  test('a province login sees its own province only', async () => {
    const code = stack.completeness('2024H1').reporters[0].organization_code;
    const page = await loggedInPage(stack.token('province_reporter', code, `staff-${code}`));
    // A province's login lands on its reports, which link to its page.
    await page.waitForURL(/#\/reports$/);
    await page.getByTestId('province-link').click();
    await page.waitForURL(new RegExp(`#/province/${code}$`));
    await page.getByTestId('province-name').waitFor();
    assert.equal((await page.request.get(`${stack.baseUrl}/api/board?period=2024H1`)).status(), 403);
    assert.equal((await page.request.get(`${stack.baseUrl}/api/province?code=ZZ&period=2024H1`)).status(), 403);
    await page.close();
  });

  test('the contest section shows the competition service figures of the year', async () => {
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    // The demo's provincial contests ran in 2019 and 2022.
    await page.getByTestId('period').selectOption('2022H1');
    // The board's own heading: the ranking section's names the period too.
    await page.getByRole('heading', { level: 1, name: /2022H1/ }).waitFor();
    const section = page.getByTestId('contests');
    await section.getByRole('heading', { name: 'Thống kê hội thi · Năm 2022' }).waitFor();
    await section.getByTestId('contest-table').waitFor();
    const truth = stack.contestStats(2022);
    const totals = truth.totals ?? [];
    assert.ok(totals.length >= 5, `demo contests in 2022: ${JSON.stringify(totals)}`);
    const rows = section.locator('[data-testid="contest-table"] tbody tr');
    assert.equal(await rows.count(), totals.length);
    const sum = { contests: 0, entries: 0, prizes: 0, national_awards: 0 };
    for (const t of totals) {
      const row = section.locator(`[data-testid="contest-table"] tbody tr[data-code="${t.organization_code}"]`);
      const cells = (await row.locator('td').allInnerTexts()).map((x) => x.trim());
      assert.deepEqual(cells.slice(1).map(Number),
        [t.contests ?? 0, t.entries ?? 0, t.prizes ?? 0, t.national_awards ?? 0], `row ${t.organization_code}`);
      for (const key of Object.keys(sum)) sum[key] += t[key] ?? 0;
    }
    assert.ok(sum.entries > 0 && sum.prizes > 0, JSON.stringify(sum));
    // Sơn La's row carries its name, as text.
    assert.match(await section.locator('tbody tr[data-code="14"] td').first().innerText(), /Sơn La/);
    const total = (await section.getByTestId('contest-total').locator('td').allInnerTexts()).map((x) => Number(x.trim()));
    assert.deepEqual(total, [sum.contests, sum.entries, sum.prizes, sum.national_awards]);
    // Per kind: the provincial technical innovation contests.
    const tech = section.locator('[data-testid="contest-kind"][data-kind="CONTEST_KIND_PROVINCIAL_TECH"]');
    assert.equal(await tech.locator('[data-figure="entries"]').innerText(), `Bài dự thi: ${sum.entries}`);
    assert.equal(await tech.locator('[data-figure="prizes"]').innerText(), `Giải thưởng: ${sum.prizes}`);
    await section.locator('[data-testid="contest-chart"] svg').waitFor();
    // The CSV has one line per organisation, kind and field.
    const byField = JSON.parse(stack.fedctlRun(['contest', 'stats', `--competition=${stack.competition}`, '--year=2022', '--by-field', '--json']));
    const csv = await page.request.get(`${stack.baseUrl}${await section.getByTestId('csv-contests').getAttribute('href')}`);
    assert.equal(csv.status(), 200);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines.length, (byField.rows ?? []).length + 1);
    await shot(page, 'board-contests');
    await section.screenshot({ path: path.join(OUT, 'contests.png') });
    // English.
    await page.getByTestId('lang').click();
    await page.getByTestId('contests').getByRole('heading', { name: 'Contest statistics · Year 2022' }).waitFor();
    await page.getByTestId('contests').getByTestId('contest-table').waitFor();
    assert.match(await page.getByTestId('contests').locator('thead').innerText(), /Entries/);
    await page.getByTestId('lang').click();
    await page.close();
  });

  test('a province login sees its own contest figures only', async () => {
    const page = await loggedInPage(stack.token('province_reporter', '14', 'staff-14'));
    await page.waitForURL(/#\/reports$/);
    await page.getByTestId('province-link').click();
    await page.waitForURL(/#\/province\/14$/);
    const own = await page.request.get(`${stack.baseUrl}/api/contests?period=2022H1`);
    assert.equal(own.status(), 200);
    const body = await own.json();
    assert.deepEqual([...new Set(body.statistics.totals.map((r) => r.organizationCode))], ['14']);
    assert.equal((await page.request.get(`${stack.baseUrl}/api/contests?period=2022H1&code=20`)).status(), 403);
    assert.equal((await page.request.get(`${stack.baseUrl}/api/export/contests.csv?period=2022H1&code=20`)).status(), 403);
    const truth = (stack.contestStats(2022, '14').totals ?? [])[0];
    assert.ok(truth, 'Sơn La ran a contest in 2022');
    await page.getByTestId('period').selectOption('2022H1');
    const row = page.locator('[data-testid="contests"] [data-testid="contest-table"] tbody tr');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await row.first().getAttribute('data-code'), '14');
    assert.equal(Number(await row.first().locator('td').nth(2).innerText()), truth.entries ?? 0);
    await page.close();
  });

  test('the ranking section shows the ranking service order and totals for a cluster', async () => {
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    // The demo scoring scheme is for 2025.
    await page.getByTestId('period').selectOption('2025H1');
    const section = page.getByTestId('rankings');
    await section.getByRole('heading', { name: 'Xếp hạng cụm thi đua · 2025H1' }).waitFor();
    await section.getByTestId('ranking-table').waitFor();
    assert.equal((await (await page.request.get(`${stack.baseUrl}/api/me`)).json()).features.rankings, true);
    const all = stack.rankingShow('2025H1').rankings ?? [];
    assert.ok(all.length > 1, 'the demo ranks several clusters');
    // A cluster with a tie when there is one.
    const tied = (r) => r.entries.some((e, i) => i > 0 && (e.total ?? 0) === (r.entries[i - 1].total ?? 0));
    const chosen = all.find(tied) ?? all[0];
    const truth = stack.rankingShow('2025H1', chosen.cluster_number).rankings[0];
    // fedctl's plain table (asked without the breakdown) says the same order and ranks.
    const printed = stack.fedctlRun(['ranking', 'show', `--ranking=${stack.ranking}`, '--period=2025H1',
      `--cluster=${truth.cluster_number}`]);
    const rows = printed.split('\n').filter((l) => /^\d+\s+\d+\s+/.test(l)).map((l) => l.trim().split(/\s+/));
    assert.deepEqual(rows.map((f) => `${f[2]}#${f[1]}`), truth.entries.map((e) => `${e.organization_code}#${e.rank}`));
    assert.doesNotMatch(printed, /\(raw /);
    await section.getByTestId('ranking-cluster').selectOption(String(truth.cluster_number));
    const table = section.locator(`[data-testid="ranking-table"][data-cluster="${truth.cluster_number}"]`);
    await table.waitFor();
    const shown = await table.getByTestId('ranking-row').evaluateAll((rows) => rows.map((tr) => ({
      code: tr.dataset.code, rank: Number(tr.dataset.rank), total: Number(tr.dataset.total), flag: tr.dataset.flag === 'true',
      totalText: tr.querySelector('td.total').textContent, text: tr.textContent,
    })));
    const entries = truth.entries;
    assert.deepEqual(shown.map((x) => x.code), entries.map((e) => e.organization_code));
    assert.deepEqual(shown.map((x) => x.rank), entries.map((e) => e.rank));
    assert.deepEqual(shown.map((x) => x.total), entries.map((e) => e.total ?? 0));
    assert.deepEqual(shown.map((x) => x.totalText),
      entries.map((e) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(e.total ?? 0)));
    assert.deepEqual(shown.map((x) => x.flag), entries.map((e) => Boolean(e.flag_proposal)));
    assert.ok(shown[0].flag && /Đề nghị tặng Cờ thi đua/.test(shown[0].text), 'rank 1 is proposed for the flag');
    // Standard competition ranking: equal totals share a rank, the next one skips.
    for (let i = 1; i < shown.length; i++) {
      assert.equal(shown[i].rank, shown[i].total === shown[i - 1].total ? shown[i - 1].rank : i + 1, `row ${i}`);
    }
    if (tied(truth)) assert.ok(shown.some((x, i) => i > 0 && x.rank === shown[i - 1].rank), 'a tie shares its rank');
    // The cluster's head and deputy are marked.
    for (const e of entries.filter((x) => x.cluster_role)) {
      await table.locator(`[data-testid="ranking-row"][data-code="${e.organization_code}"] [data-testid="role-${e.cluster_role}"]`).waitFor();
    }
    // A click opens the province's points per criterion.
    const pick = entries.find((e) => e.reported && (e.breakdown ?? []).length > 0) ?? entries[0];
    const breakdown = table.locator(`[data-testid="ranking-breakdown"][data-code="${pick.organization_code}"]`);
    assert.equal(await breakdown.isVisible(), false);
    await table.locator(`[data-testid="ranking-row"][data-code="${pick.organization_code}"]`).click();
    await breakdown.waitFor({ state: 'visible' });
    const criteria = await breakdown.getByTestId('criterion').evaluateAll((rows) => rows.map((tr) => [tr.dataset.criterion, Number(tr.dataset.points)]));
    assert.deepEqual(criteria, (pick.breakdown ?? []).map((c) => [c.criterion_code, c.points ?? 0]));
    assert.equal(await breakdown.getByTestId('adjustment').count(), (pick.adjustments ?? []).length);
    assert.match(await breakdown.locator('thead').innerText(), /Tiêu chí[\s\S]*Giá trị[\s\S]*Chuẩn hoá[\s\S]*Điểm/);
    // The CSV: one line per province and criterion or rule applied.
    const csv = await page.request.get(`${stack.baseUrl}${await section.getByTestId('csv-rankings').getAttribute('href')}`);
    assert.equal(csv.status(), 200);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines.length, 1 + entries.reduce((n, e) => n + (e.breakdown ?? []).length + (e.adjustments ?? []).length, 0));
    await shot(page, 'board-rankings');
    await section.screenshot({ path: path.join(OUT, 'rankings.png') });
    // English.
    await page.getByTestId('lang').click();
    const en = page.getByTestId('rankings');
    await en.getByRole('heading', { name: 'Emulation cluster rankings · 2025H1' }).waitFor();
    await en.getByTestId('ranking-table').waitFor();
    assert.match(await en.locator('thead').first().innerText(), /Total points/);
    await page.getByTestId('lang').click();
    await page.close();
  });

  test('a province merged on 1 July 2025 is listed as not ranked for 2025H2, with its successor', async () => {
    const truth = stack.rankingShow('2025H2').rankings ?? [];
    const cluster = truth.find((r) => r.entries.some((e) => e.not_expected?.successor_code));
    assert.ok(cluster, 'the demo 2025 clusters hold provinces merged on 1 July 2025');
    const merged = cluster.entries.find((e) => e.not_expected?.successor_code);
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    await page.getByTestId('period').selectOption('2025H2');
    const section = page.getByTestId('rankings');
    await section.getByTestId('ranking-cluster').selectOption(String(cluster.cluster_number));
    const row = section.locator(`[data-testid="ranking-table"][data-cluster="${cluster.cluster_number}"] ` +
      `[data-testid="ranking-row"][data-code="${merged.organization_code}"]`);
    await row.waitFor();
    assert.equal((await row.locator('td.rank').innerText()).trim(), '—');
    assert.equal((await row.locator('td.total').innerText()).trim(), '—');
    const reason = await row.getByTestId('not-expected').innerText();
    assert.match(reason, /không xếp hạng kỳ này: sáp nhập vào/);
    assert.ok(reason.includes(merged.not_expected.successor_code), reason);
    assert.equal(await row.getByTestId('flag-proposal').count(), 0, 'never proposed for the flag');
    // The CSV says why in one row instead of leaving the province out.
    const csv = await page.request.get(`${stack.baseUrl}/api/export/rankings.csv?period=2025H2&cluster=${cluster.cluster_number}`);
    assert.equal(csv.status(), 200);
    assert.ok((await csv.text()).split('\r\n').some((line) => line.includes(`,${merged.organization_code},`) && line.includes('not_expected')));
    await page.close();
  });

  test('a province sees its rank, its comparison with the cluster and only its own cluster', async () => {
    const truth = stack.rankingShow('2025H1').rankings;
    const cluster = truth[0];
    const other = truth[1];
    const entry = cluster.entries[cluster.entries.length > 1 ? 1 : 0];
    const code = entry.organization_code;
    const page = await loggedInPage(stack.token('province_reporter', code, `staff-${code}`));
    await page.waitForURL(/#\/reports$/);
    await page.getByTestId('province-link').click();
    await page.waitForURL(new RegExp(`#/province/${code}$`));
    // The ranking service's rule, applied by the dashboard: its own cluster only.
    const own = await page.request.get(`${stack.baseUrl}/api/rankings?period=2025H1`);
    assert.equal(own.status(), 200);
    assert.deepEqual((await own.json()).rankings.rankings.map((r) => r.clusterNumber), [cluster.cluster_number]);
    assert.equal((await page.request.get(`${stack.baseUrl}/api/rankings?period=2025H1&cluster=${other.cluster_number}`)).status(), 403);
    assert.equal((await page.request.get(`${stack.baseUrl}/api/export/rankings.csv?period=2025H1&cluster=${other.cluster_number}`)).status(), 403);
    assert.equal((await page.request.get(`${stack.baseUrl}/api/province-ranking?period=2025H1&code=${other.entries[0].organization_code}`)).status(), 403);
    await page.getByTestId('period').selectOption('2025H1');
    const section = page.getByTestId('province-ranking');
    const rank = section.getByTestId('province-rank');
    await rank.waitFor();
    assert.equal(Number(await rank.getAttribute('data-rank')), entry.rank);
    assert.equal(Number(await rank.getAttribute('data-of')), cluster.entries.length);
    assert.match(await rank.innerText(), new RegExp(`^Hạng ${entry.rank}/${cluster.entries.length} trong `));
    // CompareProvince: the indicators against the cluster's average, median and best.
    const compare = JSON.parse(stack.fedctlRun(['compare', 'province', `--ranking=${stack.ranking}`, `--org=${code}`, '--period=2025H1', '--json']));
    const rows = section.locator('[data-testid="comparison-table"] tbody tr');
    assert.equal(await rows.count(), (compare.indicators ?? []).length);
    const first = compare.indicators[0];
    const fmt = (v) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(v ?? 0);
    const cells = (await rows.first().locator('td').allInnerTexts()).map((x) => x.trim());
    assert.equal(cells[2], fmt(first.cluster_average));
    assert.equal(cells[3], fmt(first.cluster_median));
    assert.ok(cells[4].startsWith(fmt(first.cluster_best)), cells[4]);
    assert.match(await section.getByTestId('comparison-table').locator('thead').innerText(), /Trung bình cụm[\s\S]*Trung vị cụm[\s\S]*Cao nhất cụm/);
    // Its cluster's ranking with its own row marked.
    await section.locator(`[data-testid="ranking-row"].own[data-code="${code}"]`).waitFor();
    assert.equal(await section.getByTestId('ranking-row').count(), cluster.entries.length);
    await shot(page, 'province-ranking');
    await page.close();
  });

  test('the board fits a tablet screen', async () => {
    const page = await loggedInPage();
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByTestId('cells').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await shot(page, 'board-tablet');
    await page.close();
  });

  // Last but one: it stops the ranking service.
  test('without the ranking service the ranking section says so and the board still works', async () => {
    await stack.stopService('ranking');
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    const notice = page.getByTestId('rankings').getByTestId('rankings-unavailable');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Không kết nối được dịch vụ xếp hạng thi đua/);
    assert.ok(await page.getByTestId('cell').count() > 0);
    await page.getByTestId('coverage-item').first().waitFor();
    await page.getByTestId('contests').locator('h2').filter({ hasText: 'Năm' }).waitFor();
    await shot(page, 'rankings-unreachable');
    await page.close();
  });

  // Last: it stops the competition service.
  test('without the competition service the contest section says so and the board still works', async () => {
    await stack.stopService('competition');
    const page = await loggedInPage();
    await page.getByTestId('cells').waitFor();
    const notice = page.getByTestId('contests').getByTestId('contests-unavailable');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Không kết nối được dịch vụ hội thi/);
    assert.ok(await page.getByTestId('cell').count() > 0);
    await page.getByTestId('coverage-item').first().waitFor();
    await shot(page, 'contests-unreachable');
    await page.close();
  });
});
