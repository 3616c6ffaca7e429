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
// deputy (11) can; Sơn La's clerk reads the reason and answers. Then the rest
// of the year on the page: the head records the conference's ballots (one
// without quorum refused at `present`, a tie for the certificates re-balloted
// among the tied), closes the vote, reads the generated documents as plain
// text, sends the dossier (refused without its signed minutes); a national
// reviewer records a vote that returns it (refused without a reason), the head
// resubmits with what it changed, the council approves, the national office
// decides and presents; the awards are listed.
// Screenshots go to FED_DASHBOARD_OUTPUT_DIR; timings are printed, never asserted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { changed, emulationAs, openYear as openYearAt, Pages, revision, shot } from './emulation_pages.mjs';
import { Stack } from './stack.mjs';

const KEY = { organiserCode: 'VUSTA', year: 2025, clusterNumber: 1 };
const YEAR = '#/emulation/VUSTA/2025/1';
const SON_LA = '14';
const HEAD = '10'; // Lào Cai
const DEPUTY = '11'; // Điện Biên
const REASON = 'Chỉ 3 hội thảo có quyết định tổ chức; trừ phần chưa có minh chứng';
const ANSWER = 'Đơn vị thống nhất; sẽ bổ sung quyết định tổ chức hội thảo.';

let stack;
let pages;
let sonLa; // Sơn La's clerk's page
let work;

function logIn(token) {
  return pages.logIn(token, { acceptDownloads: true });
}

function clerkOf(org) {
  return emulationAs(stack, 'province_reporter', org, `api-clerk-${org}`);
}

function openYear(page) {
  return openYearAt(stack, page, YEAR);
}

// One round of a ballot as the vote-counting committee's count, on the head's page.
async function ballot(page, kind, votes, { entitled = 8, present = 8, issued = present, invalid = 0 } = {}) {
  await page.getByTestId('in-kind').selectOption(kind);
  const counts = { entitled, present, written_opinions: 0, ballots_issued: issued, valid: issued - invalid, invalid };
  for (const [name, n] of Object.entries(counts)) await page.getByTestId(`in-${name}`).fill(String(n));
  for (const [org, n] of Object.entries(votes)) {
    await page.locator(`[data-testid="candidate-row"][data-org="${org}"] [data-testid="in-votes"]`).fill(String(n));
  }
  const before = await revision(page);
  await page.getByTestId('record-ballot').click();
  return before;
}

async function state(page, s) {
  await page.locator(`[data-testid="year-page"][data-state="${s}"]`).waitFor();
}

function row(page, criterion) {
  return page.locator(`[data-testid="self-row"][data-criterion="${criterion}"]`);
}

describe('emulation year: a member assesses itself, the head cross-checks', () => {
  before(async () => {
    stack = new Stack({ name: 'dash_emulation', demoReports: true, emulation: 'in_progress' });
    await stack.start();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-emulation-'));
    pages = new Pages(stack);
    sonLa = await logIn(stack.token('province_reporter', SON_LA, `clerk-${SON_LA}`));
  });

  after(async () => {
    await pages?.close();
    await stack?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
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
    const before = await revision(sonLa);
    await sonLa.getByTestId('submit-sheet').click();
    await changed(sonLa, before);
    await sonLa.getByTestId('year-said').waitFor();
    assert.equal(await sonLa.getByTestId('sheet-revision').getAttribute('data-revision'), '1');
    await row(sonLa, 'workshops').getByTestId('evidence-item').filter({ hasText: 'bien-ban-hoi-thao-2025.txt' }).waitFor();
    assert.equal(await row(sonLa, 'workshops').getByTestId('in-points').inputValue(), '5');
    await shot(sonLa, 'emulation-self-assessment');

    // The kept file comes back as it went (GetFile, base64 in JSON).
    const [got] = await Promise.all([sonLa.waitForEvent('download'),
      row(sonLa, 'workshops').getByTestId('file-download').click()]);
    assert.equal(got.suggestedFilename(), 'bien-ban-hoi-thao-2025.txt');
    const saved = path.join(work, 'downloaded.txt');
    await got.saveAs(saved);
    assert.equal(fs.readFileSync(saved, 'utf8'), 'Biên bản hội thảo khoa học năm 2025 (e2e)\n');

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
    const before = await revision(head);
    await form.getByTestId('save-check').click();
    await changed(head, before);

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
    const seen = await revision(deputy);
    await headForm.getByTestId('save-check').click();
    await changed(deputy, seen);
    assert.notEqual(await deputy.locator(`[data-testid="assess-row"][data-org="${HEAD}"] [data-col="verified"]`).innerText(), '—');

    // Sơn La reads the reason and answers.
    await openYear(sonLa);
    const checked = sonLa.locator('[data-testid="checked-row"][data-criterion="workshops"]');
    assert.equal(await checked.getByTestId('check-reason').innerText(), REASON);
    assert.equal(await checked.locator('[data-col="verified"]').innerText(), '3');
    await sonLa.getByTestId('in-answer-criterion').selectOption('workshops');
    await sonLa.getByTestId('in-answer-text').fill(ANSWER);
    const asked = await revision(sonLa);
    await sonLa.getByTestId('send-answer').click();
    await changed(sonLa, asked);
    await sonLa.getByTestId('year-said').waitFor();
    assert.match(await sonLa.getByTestId('answers').innerText(), new RegExp(ANSWER.slice(0, 20)));
    // The same screen in English, then back.
    await sonLa.getByTestId('lang').click();
    assert.equal(await sonLa.locator('[data-testid="my-check"] h2').innerText(), 'Cross-check result');
    assert.equal(await sonLa.getByTestId('year-state').innerText(), 'Self-assessed, cross-checking');
    await sonLa.getByTestId('lang').click();
    assert.equal(await sonLa.locator('[data-testid="my-check"] h2').innerText(), 'Kết quả chấm chéo');
  });
  test('the conference votes, the dossier goes to the council and back, the office decides and presents', async () => {
    const headCall = await clerkOf(HEAD);
    for (const code of [DEPUTY, '12']) {
      const table = (await headCall('GetAssessment', { key: KEY })).body;
      const m = table.members.find((x) => x.organizationCode === code);
      const checks = m.criteria.map((c) => ({ criterionCode: c.criterionCode, verifiedPoints: Number(c.selfPoints), reason: '' }));
      const r = await headCall('CrossCheck', { key: KEY, check: { organizationCode: code, checks } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const head = await logIn(stack.token('province_reporter', HEAD, `clerk2-${HEAD}`));
    await openYear(head);
    await head.getByTestId('closeCheck').click();
    await state(head, 'YEAR_STATE_CROSS_CHECKED');

    // Without quorum (4 of 8 present, the rule asks two thirds): refused at `present`.
    await ballot(head, 'BALLOT_KIND_UNION_FLAG', { [DEPUTY]: 3, [SON_LA]: 1 }, { present: 4 });
    const present = head.locator('[data-testid="ballot-form"] .field-error[data-field="present"]');
    await present.filter({ hasText: /./ }).waitFor();
    console.log(`a ballot without quorum: tally.present: "${await present.innerText()}"`);
    let before = await ballot(head, 'BALLOT_KIND_UNION_FLAG', { [DEPUTY]: 7, [SON_LA]: 1 });
    await changed(head, before);
    assert.equal(await head.locator('[data-testid="ballot-row"][data-kind="BALLOT_KIND_UNION_FLAG"]').getAttribute('data-outcome'), 'BALLOT_OUTCOME_DECIDED');
    // Two certificates: 12 and 10 tie for the second; the re-ballot is among them only.
    before = await ballot(head, 'BALLOT_KIND_MERIT_CERTIFICATE', { [DEPUTY]: 6, '12': 5, [HEAD]: 5 });
    await changed(head, before);
    const tie = head.locator('[data-testid="ballot-row"][data-kind="BALLOT_KIND_MERIT_CERTIFICATE"][data-outcome="BALLOT_OUTCOME_TIE"]');
    assert.match(await tie.getByTestId('tied').innerText(), /\(10\).*\(12\)|\(12\).*\(10\)/s);
    await tie.getByTestId('reballot').click();
    assert.deepEqual(await head.locator('[data-testid="candidate-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.org).sort()), [HEAD, '12']);
    await head.getByTestId('tie-note').waitFor();
    before = await ballot(head, 'BALLOT_KIND_MERIT_CERTIFICATE', { '12': 6, [HEAD]: 2 });
    await changed(head, before);
    const round2 = head.locator('[data-testid="ballot-row"][data-kind="BALLOT_KIND_MERIT_CERTIFICATE"][data-round="2"]');
    assert.equal(await round2.getAttribute('data-outcome'), 'BALLOT_OUTCOME_DECIDED');
    assert.match(await round2.getByTestId('elected').innerText(), /\(12\)/);
    console.log(`re-ballot: ${await round2.getByTestId('explanation').innerText()}`);
    before = await ballot(head, 'BALLOT_KIND_NEXT_HEAD', { [DEPUTY]: 8 });
    await changed(head, before);
    before = await ballot(head, 'BALLOT_KIND_NEXT_DEPUTY', { '12': 7 }, { invalid: 1 });
    await changed(head, before);
    await shot(head, 'emulation-ballots');
    await head.getByTestId('in-place').fill('Hội trường LHH tỉnh Lào Cai');
    await head.getByTestId('in-chair').fill('Chủ tịch LHH tỉnh Lào Cai');
    await head.getByTestId('in-secretary').fill('Chánh Văn phòng LHH tỉnh Điện Biên');
    await head.getByTestId('close-voting').click();
    await state(head, 'YEAR_STATE_VOTED');

    // The documents: plain text in <pre>, nothing in them is markup.
    await head.getByTestId('document').first().waitFor();
    const docs = await head.getByTestId('document').count();
    assert.equal(docs >= 4, true, `${docs} documents`);
    assert.equal(await head.locator('[data-testid="document-text"] *').count(), 0);
    // Folded until opened; the text is there and reads as written.
    await head.getByTestId('document').first().locator('summary').click();
    assert.match(await head.locator('[data-testid="document-text"]').first().innerText(), /\S/);

    // The dossier: refused without its signed minutes, then sent with them.
    await head.getByTestId('in-letter_number').fill('12/TTr-CTĐ1');
    await head.getByTestId('submit-dossier').click();
    const minutesError = head.locator('[data-testid="dossier-form"] .field-error[data-field="signed_minutes"]');
    await minutesError.filter({ hasText: /./ }).waitFor();
    const minutes = { name: 'bien-ban-hoi-nghi-ky.txt', mimeType: 'text/plain', buffer: Buffer.from('Biên bản hội nghị tổng kết (bản ký, e2e)\n') };
    await head.getByTestId('in-signed-minutes').setInputFiles(minutes);
    await head.getByTestId('minutes-name').filter({ hasText: minutes.name }).waitFor();
    await head.getByTestId('submit-dossier').click();
    await state(head, 'YEAR_STATE_DOSSIER_SUBMITTED');

    // The council returns it: a vote that does not approve needs a reason.
    const council = await logIn(stack.token('national_reviewer', 'VUSTA', 'council-e2e'));
    await council.goto(`${stack.baseUrl}/#/emulation`);
    await council.locator('[data-testid="year-row"][data-year="2025"][data-cluster="1"] [data-testid="open-year"]').click();
    await council.getByTestId('review-form').waitFor();
    const vote = async (favour, against) => {
      for (const [name, n] of Object.entries({ members: 9, council_present: 7, in_favour: favour, against, abstaining: 0 })) {
        await council.getByTestId(`in-${name}`).fill(String(n));
      }
    };
    await vote(3, 4);
    await council.getByTestId('review-form-send').click();
    const reasonError = council.locator('[data-testid="review-form"] .field-error[data-field="return_reason"]');
    await reasonError.filter({ hasText: /./ }).waitFor();
    const RETURN = 'Biên bản kiểm phiếu thiếu chữ ký của ban kiểm phiếu';
    await council.getByTestId('in-return-reason').fill(RETURN);
    await council.getByTestId('review-form-send').click();
    await state(council, 'YEAR_STATE_DOSSIER_RETURNED');

    await openYear(head);
    assert.match(await head.getByTestId('return-reason').innerText(), new RegExp(RETURN));
    await head.getByTestId('in-letter_number').fill('15/TTr-CTĐ1');
    await head.getByTestId('in-note').fill('Bổ sung biên bản kiểm phiếu có đủ chữ ký');
    await head.getByTestId('in-signed-minutes').setInputFiles({ ...minutes, name: 'bien-ban-kiem-phieu-du-chu-ky.txt', buffer: Buffer.from('Biên bản kiểm phiếu đủ chữ ký (e2e)\n') });
    await head.getByTestId('minutes-name').filter({ hasText: 'bien-ban-kiem-phieu-du-chu-ky.txt' }).waitFor();
    await head.getByTestId('submit-dossier').click();
    await state(head, 'YEAR_STATE_DOSSIER_SUBMITTED');
    assert.equal(await head.getByTestId('dossier').getAttribute('data-revision'), '2');

    await openYear(council);
    await vote(6, 1);
    await council.getByTestId('review-form-send').click();
    await state(council, 'YEAR_STATE_COUNCIL_REVIEWED');

    // The national office decides on the proposals and presents the awards.
    const office = await logIn(stack.token('national_admin', 'VUSTA', 'office-e2e'));
    await openYear(office);
    const grants = await office.getByTestId('grant').evaluateAll((b) => b.map((x) => `${x.dataset.org}:${x.dataset.kind}`));
    console.log(`proposals granted: ${grants.join(', ')}`);
    await office.getByTestId('in-decision_number').fill('123/QĐ-LHHVN');
    await office.getByTestId('decide-form-send').click();
    await state(office, 'YEAR_STATE_DECIDED');
    await office.getByTestId('present-form-send').click();
    await state(office, 'YEAR_STATE_AWARDED');
    const presented = await office.locator('[data-testid="award-row"][data-state="AWARD_STATE_PRESENTED"]').evaluateAll((r) => r.map((x) => `${x.dataset.org}:${x.dataset.kind}`).sort());
    assert.deepEqual(presented, [...grants].sort());
    assert.equal(await office.locator('[data-testid="reviews"] [data-testid="review"]').count(), 2);
    await shot(office, 'emulation-office');
    await office.goto(`${stack.baseUrl}/#/emulation`);
    console.log(`awards counted: ${await office.getByTestId('award-counts').innerText()}`);
  });
});
