// Cluster 1's 2025 emulation year on the web, in headless Chromium against
// real processes (stack.mjs, `fed-demo emulation --stop_at=in_progress`: the
// covenant signed, members to assess themselves). Sơn La's clerk (14) opens
// the year, gives points without evidence (refused at that criterion's
// evidence), adds a link and uploads a file, submits (revision 1, the file's
// name shown); a province outside the cluster sees no year and is refused one
// asked for by hand. The other members assess themselves through the
// dashboard's /api/call as their own clerks; Lào Cai's clerk (10, the head)
// closes self-assessment, lowers Sơn La's workshops score without a reason
// (refused at that reason), then with one (saved; the three columns show
// computed / self / verified); the head cannot cross-check itself, the
// deputy (11) can; Sơn La's clerk reads the reason and answers.
// Screenshots go to FED_DASHBOARD_OUTPUT_DIR; timings are printed, never asserted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Stack, launchBrowser, outputDir } from './stack.mjs';

const OUT = outputDir();
const KEY = { organiserCode: 'VUSTA', year: 2025, clusterNumber: 1 };
const YEAR = '#/emulation/VUSTA/2025/1';
const SON_LA = '14';
const HEAD = '10'; // Lào Cai
const DEPUTY = '11'; // Điện Biên
const REASON = 'Chỉ 3 hội thảo có quyết định tổ chức; trừ phần chưa có minh chứng';
const ANSWER = 'Đơn vị thống nhất; sẽ bổ sung quyết định tổ chức hội thảo.';

let stack;
const browsers = [];
const profiles = [];
let sonLa; // Sơn La's clerk's page
let work;

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
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(`${stack.baseUrl}/login#token=${encodeURIComponent(token)}`);
  await page.waitForURL((u) => u.pathname === '/');
  return page;
}

async function clerkOf(org) {
  const call = await stack.apiSession(stack.token('province_reporter', org, `api-clerk-${org}`));
  return (method, body) => call('emulation', method, body);
}

// The year's page drawn afresh (the same address is no navigation).
async function openYear(page) {
  const started = Date.now();
  await page.goto(`${stack.baseUrl}/${YEAR}`);
  await page.reload();
  await page.getByTestId('year-page').waitFor();
  return Date.now() - started;
}

function row(page, criterion) {
  return page.locator(`[data-testid="self-row"][data-criterion="${criterion}"]`);
}

describe('emulation year: a member assesses itself, the head cross-checks', () => {
  before(async () => {
    stack = new Stack({ name: 'dash_emulation', demoReports: true, emulation: 'in_progress' });
    await stack.start();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-emulation-'));
    sonLa = await logIn(stack.token('province_reporter', SON_LA, `clerk-${SON_LA}`));
  });

  after(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await stack?.stop();
    for (const d of [...profiles, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test('Sơn La opens the year and submits its self-assessment with evidence', async () => {
    await sonLa.getByTestId('emulation-link').click();
    await sonLa.getByTestId('emulation-list').waitFor();
    const listed = sonLa.locator('[data-testid="year-row"][data-year="2025"][data-cluster="1"]');
    assert.equal(await listed.getAttribute('data-state'), 'YEAR_STATE_IN_PROGRESS');
    await listed.getByTestId('open-year').click();
    await sonLa.getByTestId('self-form').waitFor();
    // Members merged away on 2025-07-01 are listed, not taking part.
    for (const code of ['15', '17']) {
      const m = sonLa.locator(`[data-testid="year-member"][data-org="${code}"]`);
      assert.equal(await m.getAttribute('data-takes-part'), 'false');
      assert.match(await m.innerText(), /đã hợp nhất vào .+ từ/);
    }
    assert.equal(await sonLa.locator('[data-testid="transition"]').count() >= 1, true, 'the timeline shows how the year got here');

    // Points without evidence: refused beside that criterion's evidence.
    await row(sonLa, 'workshops').getByTestId('in-points').fill('5');
    await row(sonLa, 'workshops').getByTestId('in-explanation').fill('Tổ chức 5 hội thảo khoa học trong năm 2025');
    await sonLa.getByTestId('submit-sheet').click();
    const evidenceError = row(sonLa, 'workshops').locator('.evidence-cell > .field-error');
    await evidenceError.filter({ hasText: /./ }).waitFor();
    const slot = await evidenceError.getAttribute('data-field');
    assert.match(slot, /^scores\[\d+\]\.evidence$/);
    console.log(`points without evidence: ${slot}: "${await evidenceError.innerText()}"`);
    assert.equal(await sonLa.locator('[data-testid="self-row"]:not([data-criterion="workshops"]) .field-error:not(:empty)').count(), 0,
      'only the criterion with points and no evidence is refused');

    // A link, and a small file uploaded (FileReader, UploadFile).
    await row(sonLa, 'workshops').getByTestId('in-evidence-url').fill('https://lhhsonla.vn/hoi-thao-2025.pdf');
    await row(sonLa, 'workshops').getByTestId('in-evidence-description').fill('Quyết định tổ chức hội thảo');
    await row(sonLa, 'workshops').getByTestId('add-link').click();
    const started = Date.now();
    await row(sonLa, 'workshops').getByTestId('in-evidence-file').setInputFiles({
      name: 'bien-ban-hoi-thao-2025.txt', mimeType: 'text/plain', buffer: Buffer.from('Biên bản hội thảo khoa học năm 2025 (e2e)\n'),
    });
    await row(sonLa, 'workshops').getByTestId('evidence-item').filter({ hasText: 'bien-ban-hoi-thao-2025.txt' }).waitFor();
    console.log(`file uploaded and listed in ${Date.now() - started} ms`);
    assert.equal(await row(sonLa, 'workshops').getByTestId('evidence-item').count(), 2);
    await sonLa.getByTestId('submit-sheet').click();
    await sonLa.getByTestId('year-said').waitFor();
    assert.equal(await sonLa.getByTestId('sheet-revision').getAttribute('data-revision'), '1');
    await row(sonLa, 'workshops').getByTestId('evidence-item').filter({ hasText: 'bien-ban-hoi-thao-2025.txt' }).waitFor();
    assert.equal(await row(sonLa, 'workshops').getByTestId('in-points').inputValue(), '5');
    await shot(sonLa, 'emulation-self-assessment');

    // What the service kept: revision 1, the link and the file by its SHA-256.
    const year = (await (await clerkOf(SON_LA))('GetYear', { key: KEY })).body;
    const sheet = year.selfAssessments.find((s) => s.organizationCode === SON_LA);
    assert.equal(sheet.revision, 1);
    const evidence = sheet.scores.find((s) => s.criterionCode === 'workshops').evidence;
    assert.equal(evidence[0].url, 'https://lhhsonla.vn/hoi-thao-2025.pdf');
    assert.equal(evidence[1].file.name, 'bien-ban-hoi-thao-2025.txt');
    assert.match(evidence[1].file.sha256, /^[0-9a-f]{64}$/);
  });

  test('a province outside the cluster sees no year; a member cannot assess for another', async () => {
    const outside = await clerkOf('20');
    const list = await outside('ListYears', {});
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.years, []);
    const get = await outside('GetYear', { key: KEY });
    assert.equal(get.status, 403, JSON.stringify(get.body));
    console.log(`GetYear by 20: ${get.status} ${get.body.error}`);
    const page = await logIn(stack.token('province_reporter', '20', 'clerk-20'));
    await page.goto(`${stack.baseUrl}/#/emulation`);
    await page.getByTestId('no-years').waitFor();
    await page.goto(`${stack.baseUrl}/${YEAR}`);
    await page.getByTestId('refused').waitFor();
    // Lai Châu's clerk may read the year but not write Sơn La's sheet.
    const laiChau = await clerkOf('12');
    const forged = await laiChau('SubmitSelfAssessment', { key: KEY, sheet: { organizationCode: SON_LA, scores: [] } });
    assert.equal(forged.status, 403, JSON.stringify(forged.body));
  });

  test('the head closes self-assessment and cross-checks Sơn La; Sơn La answers', async () => {
    // The other members assess themselves, each as its own clerk.
    for (const code of [HEAD, DEPUTY, '12']) {
      const clerk = await clerkOf(code);
      const table = (await clerk('GetAssessment', { key: KEY })).body;
      const mine = table.members.find((m) => m.organizationCode === code);
      const scores = mine.criteria.map((c) => {
        const points = Math.min(Number(c.maxPoints), Math.ceil(Number(c.computedPoints)));
        return {
          criterionCode: c.criterionCode, points, explanation: 'Theo báo cáo năm 2025',
          evidence: points > 0 ? [{ url: `https://demo.vusta.vn/minh-chung/2025/${code}/${c.criterionCode}.pdf`, description: '' }] : [],
        };
      });
      const r = await clerk('SubmitSelfAssessment', { key: KEY, sheet: { organizationCode: code, scores } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }

    const head = await logIn(stack.token('province_reporter', HEAD, `clerk-${HEAD}`));
    console.log(`the head's year page drawn in ${await openYear(head)} ms`);
    await head.getByTestId('closeSelf').click();
    await head.locator('[data-testid="year-page"][data-state="YEAR_STATE_SELF_ASSESSED"]').waitFor();
    const form = head.locator(`[data-testid="check-form"][data-org="${SON_LA}"]`);
    await form.waitFor();
    assert.equal(await head.locator(`[data-testid="check-form"][data-org="${HEAD}"]`).count(), 0, 'the head does not check itself');

    // Lowered without a reason: the page marks the reason required, the service refuses it there.
    const workshops = form.locator('[data-testid="check-row"][data-criterion="workshops"]');
    assert.equal(await workshops.getByTestId('in-verified').inputValue(), '5');
    await workshops.getByTestId('in-verified').fill('3');
    assert.equal(await workshops.getByTestId('in-reason').getAttribute('data-required'), 'true');
    await form.getByTestId('save-check').click();
    const reasonError = workshops.locator('.field-error[data-field$=".reason"]');
    await reasonError.filter({ hasText: /./ }).waitFor();
    const at = await reasonError.getAttribute('data-field');
    assert.match(at, /^checks\[\d+\]\.reason$/);
    console.log(`lowered without a reason: check.${at}: "${await reasonError.innerText()}"`);
    await workshops.getByTestId('in-reason').fill(REASON);
    await form.getByTestId('save-check').click();
    await head.getByTestId('year-said').waitFor();

    // The three columns for Sơn La's workshops: computed / self 5 / verified 3.
    const cells = head.locator(`[data-testid="assess-criterion"][data-org="${SON_LA}"][data-criterion="workshops"]`);
    const col = (name) => cells.locator(`[data-col="${name}"]`).innerText();
    const computed = await col('computed');
    assert.notEqual(computed, '—', 'the ranking service answers: the computed column has numbers');
    assert.equal(await col('self'), '5');
    assert.equal(await col('verified'), '3');
    assert.equal(await col('reason'), REASON);
    const total = head.locator(`[data-testid="assess-row"][data-org="${SON_LA}"]`);
    console.log(`Sơn La: computed ${await total.locator('[data-col="computed"]').innerText()}, self ${await total.locator('[data-col="self"]').innerText()}, verified ${await total.locator('[data-col="verified"]').innerText()} (workshops ${computed} / 5 / 3)`);
    await shot(head, 'emulation-cross-check');

    // The head may not check its own organisation, even by hand; the deputy may.
    const own = await (await clerkOf(HEAD))('CrossCheck', { key: KEY, check: { organizationCode: HEAD, checks: [] } });
    assert.equal(own.status, 403, JSON.stringify(own.body));
    const deputy = await logIn(stack.token('province_reporter', DEPUTY, `clerk-${DEPUTY}`));
    await openYear(deputy);
    const headForm = deputy.locator(`[data-testid="check-form"][data-org="${HEAD}"]`);
    await headForm.waitFor();
    assert.equal(await deputy.locator(`[data-testid="check-form"][data-org="${DEPUTY}"]`).count(), 0, 'the deputy does not check itself');
    await headForm.getByTestId('save-check').click();
    await deputy.getByTestId('year-said').waitFor();
    assert.notEqual(await deputy.locator(`[data-testid="assess-row"][data-org="${HEAD}"] [data-col="verified"]`).innerText(), '—');

    // Sơn La reads the reason and answers.
    await openYear(sonLa);
    const checked = sonLa.locator('[data-testid="checked-row"][data-criterion="workshops"]');
    assert.equal(await checked.getByTestId('check-reason').innerText(), REASON);
    assert.equal(await checked.locator('[data-col="verified"]').innerText(), '3');
    await sonLa.getByTestId('in-answer-criterion').selectOption('workshops');
    await sonLa.getByTestId('in-answer-text').fill(ANSWER);
    await sonLa.getByTestId('send-answer').click();
    await sonLa.getByTestId('year-said').waitFor();
    assert.match(await sonLa.getByTestId('answers').innerText(), new RegExp(ANSWER.slice(0, 20)));
  });
});
