// The covenant of cluster 1's 2025 emulation year on the web, in headless
// Chromium against real processes (stack.mjs, `fed-demo emulation
// --stop_at=scheme_issued`: the year just opened, nobody registered). Lào
// Cai's clerk (10, the head) registers its own targets on the page, tries to
// sign while the others have not: refused, the page names them beside the
// list (Yên Bái 15 and Hoà Bình 17 too: they merged away on 2025-07-01, after
// the signing day) and asks for the signed document. The members register
// (11, 12, 14 as their own clerks through the dashboard's /api/call; 15 and
// 17 by the national office, their own accounts no longer write); Lai Châu's
// clerk (12) sees who registered but no signing form, and its hand-made
// SignCovenant is refused. The head uploads the signed covenant and signs on
// 2025-03-20: the year, begun on 2025-01-01, is in progress, with the plan
// number and the document shown.
// Screenshots go to FED_DASHBOARD_OUTPUT_DIR; timings are printed, never asserted.
import assert from 'node:assert/strict';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';

import { changed, emulationAs, openYear as openYearAt, Pages, revision, shot } from './emulation_pages.mjs';
import { Stack } from './stack.mjs';

const KEY = { organiserCode: 'VUSTA', year: 2025, clusterNumber: 1 };
const YEAR = '#/emulation/VUSTA/2025/1';
const HEAD = '10'; // Lào Cai
const DEPUTY = '11'; // Điện Biên
const LAI_CHAU = '12';
const MEMBERS = ['10', '11', '12', '14', '15', '17'];
const PLAN = '05/KH-CTĐ1';
const DOCUMENT = 'giao-uoc-cum-1-2025-da-ky.txt';

let stack;
let pages;
let head; // Lào Cai's clerk's page

function sessionOf(role, org, subject) {
  return emulationAs(stack, role, org, subject);
}

function openYear(page) {
  return openYearAt(stack, page, YEAR);
}

function regMember(page, org) {
  return page.locator(`[data-testid="reg-member"][data-org="${org}"]`);
}

function slot(page, field) {
  return page.locator(`[data-testid="covenant-card"] .field-error[data-field="${field}"]`);
}

function registration(org, n) {
  return {
    organizationCode: org,
    targets: [{ code: 'workshops', value: 8 + n, note: 'hội thảo, tọa đàm khoa học' }, { code: 'consultancy', value: 3 + n, note: '' }],
    aims: ['AWARD_KIND_MERIT_CERTIFICATE'],
  };
}

describe('emulation year: the cluster head signs the covenant', () => {
  before(async () => {
    stack = new Stack({ name: 'dash_covenant', demoReports: false, contests: false, emulation: 'scheme_issued' });
    await stack.start();
    pages = new Pages(stack);
    head = await pages.logIn(stack.token('province_reporter', HEAD, `clerk-${HEAD}`));
  });

  after(async () => {
    await pages?.close();
    await stack?.stop();
  });

  test('the head registers, then cannot sign while members have not: the page names them', async () => {
    await head.getByTestId('emulation-link').click();
    await head.getByTestId('emulation-list').waitFor();
    const listed = head.locator('[data-testid="year-row"][data-year="2025"][data-cluster="1"]');
    assert.equal(await listed.getAttribute('data-state'), 'YEAR_STATE_SCHEME_ISSUED');
    await listed.getByTestId('open-year').click();
    await head.getByTestId('sign-covenant').waitFor();
    for (const org of MEMBERS) assert.equal(await regMember(head, org).getAttribute('data-registered'), 'false', `${org} not registered yet`);
    assert.match(await regMember(head, '15').innerText(), /chưa đăng ký/);

    // Lào Cai's own registration, on the page.
    const form = head.getByTestId('registration-form');
    // The scheme's criteria are offered as targets; without them the clerk adds one.
    if (await form.getByTestId('target-row').count() === 0) await form.getByTestId('add-target').click();
    const first = form.getByTestId('target-row').first();
    if (!await first.getByTestId('in-target-code').inputValue()) await first.getByTestId('in-target-code').fill('workshops');
    await first.getByTestId('in-target-value').fill('12');
    await form.locator('[data-testid="in-aim"][value="AWARD_KIND_UNION_FLAG"]').check();
    let before = await revision(head);
    await head.getByTestId('register').click();
    await changed(head, before);
    assert.equal(await regMember(head, HEAD).getAttribute('data-registered'), 'true');

    // Head and deputy among the members taking part (the registry's pre-filled), the deputy not the head.
    assert.equal(await head.getByTestId('in-head').inputValue(), HEAD);
    assert.equal(await head.getByTestId('in-deputy').inputValue(), DEPUTY);
    const options = async (name) => head.getByTestId(name).locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(await options('in-head'), ['10', '11', '12', '14']);
    assert.deepEqual(await options('in-deputy'), ['11', '12', '14']);

    // Signed on 2025-03-20, before 15 and 17 merged away: all five are named; no document yet.
    await head.getByTestId('in-rules').fill('Quy chế hoạt động Cụm thi đua số 1: cụm trưởng, cụm phó luân phiên hằng năm; chấm chéo có minh chứng.');
    await head.getByTestId('in-plan_number').fill(PLAN);
    await head.getByTestId('in-signed_on').fill('2025-03-20');
    before = await revision(head);
    const started = Date.now();
    await head.getByTestId('sign-covenant').click();
    await slot(head, 'registrations').filter({ hasText: /./ }).waitFor();
    console.log(`signing refused and shown in ${Date.now() - started} ms`);
    const named = await slot(head, 'registrations').innerText();
    console.log(`registrations: "${named}"`);
    for (const name of ['Điện Biên', 'Lai Châu', 'Sơn La', 'Yên Bái', 'Hoà Bình']) assert.match(named, new RegExp(name));
    assert.doesNotMatch(named, /Lào Cai/);
    for (const org of ['11', '12', '14', '15', '17']) assert.equal(await regMember(head, org).getAttribute('data-refused'), 'true');
    assert.equal(await regMember(head, HEAD).getAttribute('data-refused'), null);
    assert.match(await slot(head, 'signed_document').innerText(), /tải bản đã ký lên trước/);
    assert.equal(await slot(head, 'plan_number').innerText(), '');
    assert.equal(await revision(head), before, 'nothing was written');
  });

  test('the members register; a member that is not the head cannot sign', async () => {
    let n = 0;
    for (const org of ['11', '12', '14']) {
      const r = await (await sessionOf('province_reporter', org, `api-clerk-${org}`))('Register', { key: KEY, registration: registration(org, ++n) });
      assert.equal(r.status, 200, `${org} registers: ${JSON.stringify(r.body)}`);
    }
    // Merged away: their own clerks no longer write; the national office registers for them.
    const own = await (await sessionOf('province_reporter', '15', 'api-clerk-15'))('Register', { key: KEY, registration: registration('15', 4) });
    assert.equal(own.status, 403, JSON.stringify(own.body));
    const admin = await sessionOf('national_admin', 'VUSTA', 'api-admin');
    for (const org of ['15', '17']) {
      const r = await admin('Register', { key: KEY, registration: registration(org, ++n) });
      assert.equal(r.status, 200, `${org} registered by the office: ${JSON.stringify(r.body)}`);
    }

    const laiChau = await pages.logIn(stack.token('province_reporter', LAI_CHAU, `clerk-${LAI_CHAU}`));
    await openYear(laiChau);
    await laiChau.getByTestId('covenant-card').waitFor();
    for (const org of MEMBERS) assert.equal(await regMember(laiChau, org).getAttribute('data-registered'), 'true', `${org} registered`);
    assert.equal(await laiChau.getByTestId('sign-covenant').count(), 0, 'no signing form for a member that is not the head');
    assert.equal(await laiChau.getByTestId('registration-form').count(), 1, 'its own registration can still change');
    const byHand = await (await sessionOf('province_reporter', LAI_CHAU, 'api-clerk-12-sign'))('SignCovenant', {
      key: KEY, covenant: { rules: 'Quy chế', planNumber: '01/KH', headCode: LAI_CHAU, deputyCode: '14', signedOn: '2025-03-20' },
    });
    assert.equal(byHand.status, 403, JSON.stringify(byHand.body));
    assert.equal(byHand.body.code, 'PERMISSION_DENIED');
  });

  test('the head uploads the signed covenant and signs: the year is in progress', async () => {
    await openYear(head);
    for (const org of MEMBERS) assert.equal(await regMember(head, org).getAttribute('data-registered'), 'true');
    await head.getByTestId('in-rules').fill('Quy chế hoạt động Cụm thi đua số 1: cụm trưởng, cụm phó luân phiên hằng năm; chấm chéo có minh chứng.');
    await head.getByTestId('in-plan_number').fill(PLAN);
    await head.getByTestId('in-signed_on').fill('2025-03-20');
    // The head picked is not offered as deputy.
    await head.getByTestId('in-head').selectOption(DEPUTY);
    assert.deepEqual(await head.getByTestId('in-deputy').locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean)), ['10', '12', '14']);
    await head.getByTestId('in-head').selectOption(HEAD);
    await head.getByTestId('in-deputy').selectOption(DEPUTY);
    let started = Date.now();
    await head.getByTestId('in-covenant-file').setInputFiles({
      name: DOCUMENT, mimeType: 'text/plain', buffer: Buffer.from('GIAO ƯỚC THI ĐUA NĂM 2025 – CỤM THI ĐUA SỐ 1 (bản ký, e2e)\n'),
    });
    await head.getByTestId('covenant-file').filter({ hasText: DOCUMENT }).waitFor();
    console.log(`signed document uploaded in ${Date.now() - started} ms`);
    await shot(head, 'emulation-covenant');

    const before = await revision(head);
    started = Date.now();
    await head.getByTestId('sign-covenant').click();
    await changed(head, before);
    console.log(`signed and redrawn in ${Date.now() - started} ms`);
    await head.locator('[data-testid="year-page"][data-state="YEAR_STATE_IN_PROGRESS"]').waitFor();
    assert.match(await head.getByTestId('covenant-plan').innerText(), new RegExp(PLAN));
    assert.match(await head.getByTestId('covenant-document').innerText(), new RegExp(DOCUMENT.replace(/\./g, '\\.')));
    const to = await head.getByTestId('transition').evaluateAll((ts) => ts.map((t) => t.dataset.to));
    assert.ok(to.includes('YEAR_STATE_COVENANT_SIGNED') && to.includes('YEAR_STATE_IN_PROGRESS'), `transitions: ${to}`);
    assert.equal(await head.getByTestId('sign-covenant').count(), 0);

    // What the service kept.
    const year = (await (await sessionOf('province_reporter', HEAD, 'api-clerk-10'))('GetYear', { key: KEY })).body;
    assert.equal(year.state, 'YEAR_STATE_IN_PROGRESS');
    assert.equal(year.covenant.signedOn, '2025-03-20');
    assert.equal(year.covenant.planNumber, PLAN);
    assert.equal(year.covenant.headCode, HEAD);
    assert.equal(year.covenant.deputyCode, DEPUTY);
    assert.equal(year.covenant.signedDocument.name, DOCUMENT);
    assert.deepEqual(year.covenant.registrations.map((r) => r.organizationCode).sort(), MEMBERS);
  });
});
