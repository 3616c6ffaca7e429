// Excel in and out, in headless Chromium against a private stack (stack.mjs):
// a province downloads its report template through the page, fills it offline
// (exceljs in Node), uploads it, sees no problem, saves it as its draft and
// submits it; bad sheets are refused cell by cell with nothing saved; the
// national office's four .xlsx downloads hold the same figures as the board.
// Screenshots go to FED_DASHBOARD_OUTPUT_DIR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Stack, WEB_DIR, launchBrowser, outputDir, signedIn } from './stack.mjs';

const require = createRequire(path.join(WEB_DIR, 'package.json'));
const ExcelJS = require('exceljs');
const JSZip = createRequire(require.resolve('exceljs'))('jszip');

const OUT = outputDir();
// No demo report for it: the province writes this one through the page.
const PERIOD = '2026H1';
const ORG = '14';
const FIRST_ROW = 7;

let stack;
let browser;
let profileDir;
let work;
let page; // the province's page, logged in
let filled; // the template as the province filled it
let catalog;

async function shot(p, name) {
  fs.mkdirSync(OUT, { recursive: true });
  await p.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  // The Excel panel alone too: on the full page it sits among other sections.
  const panel = p.getByTestId('excel-panel');
  if (await panel.count()) await panel.screenshot({ path: path.join(OUT, `${name}-panel.png`) });
}

async function loggedInPage(token) {
  const p = await browser.newPage();
  p.on('dialog', (d) => d.dismiss());
  await p.goto(`${stack.baseUrl}/login#token=${encodeURIComponent(token)}`);
  await p.waitForURL((url) => url.pathname === '/');
  await signedIn(p);
  return p;
}

// A service call as the page's logged-in person (its cookie, its CSRF token).
async function callAs(p, service, method, body) {
  const me = await (await p.request.get(`${stack.baseUrl}/api/me`)).json();
  const res = await p.request.post(`${stack.baseUrl}/api/call/${service}/${method}`, {
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
    data: JSON.stringify(body),
  });
  return { status: res.status(), body: await res.json() };
}

async function draft() {
  const { status, body } = await callAs(page, 'reporting', 'GetDraft', { organizationCode: ORG, period: PERIOD });
  return status === 404 ? null : (assert.equal(status, 200, JSON.stringify(body)), body);
}

async function readXlsx(file) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

// The template's row of each indicator code.
function rowsByCode(ws) {
  const rows = new Map();
  for (let r = FIRST_ROW; r <= ws.rowCount; r++) {
    const code = ws.getCell(`A${r}`).value;
    if (code) rows.set(String(code), r);
  }
  return rows;
}

async function download(p, testid, name) {
  const [dl] = await Promise.all([p.waitForEvent('download'), p.getByTestId(testid).click()]);
  const file = path.join(work, name ?? dl.suggestedFilename());
  await dl.saveAs(file);
  return { file, suggested: dl.suggestedFilename() };
}

// Uploads a file through the page's file input; returns the status once read.
async function upload(file) {
  const started = Date.now();
  await page.getByTestId('excel-upload').setInputFiles(file);
  const status = page.locator('[data-testid="excel-status"]:not([data-state="working"])');
  await status.filter({ hasText: /./ }).waitFor();
  const state = await status.getAttribute('data-state');
  return { state, text: await status.innerText(), ms: Date.now() - started, pageMs: Number(await status.getAttribute('data-ms')) };
}

async function problems() {
  const rows = page.getByTestId('excel-problem');
  const out = [];
  for (let i = 0; i < await rows.count(); i++) {
    const row = rows.nth(i);
    out.push({ cell: await row.getAttribute('data-cell'), kind: await row.getAttribute('data-kind'), text: await row.innerText() });
  }
  return out;
}

// A variant of the filled template, changed by `edit(dataSheet, rows, workbook)`.
async function variant(name, edit) {
  const wb = await readXlsx(filled);
  const ws = wb.getWorksheet('BaoCao');
  await edit(ws, rowsByCode(ws), wb);
  const file = path.join(work, name);
  await wb.xlsx.writeFile(file);
  return file;
}

describe('Excel in and out', () => {
  before(async () => {
    stack = new Stack({ name: 'dash_excel' });
    await stack.start();
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-chromium-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-excel-'));
    browser = await launchBrowser(profileDir, { caFile: stack.caFile, acceptDownloads: true });
    page = await loggedInPage(stack.token('province_reporter', ORG, `clerk-${ORG}`));
    await page.goto(`${stack.baseUrl}/?period=${PERIOD}#/province/${ORG}`);
    await page.locator(`[data-testid="excel-panel"][data-code="${ORG}"][data-period="${PERIOD}"]`).waitFor();
    catalog = (await (await page.request.get(`${stack.baseUrl}/api/me`)).json()).catalog;
  });

  after(async () => {
    await browser?.close();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
    await stack?.stop();
  });

  test('a province downloads the template, fills it offline, uploads it, saves it as its draft and submits', async () => {
    assert.equal(await draft(), null, 'no draft before: the template download must not create one');
    await shot(page, 'excel-panel');
    const { file, suggested } = await download(page, 'excel-template');
    assert.equal(suggested, `bao-cao-${ORG}-${PERIOD}.xlsx`);
    assert.equal(await draft(), null, 'downloading the template created no draft');

    const wb = await readXlsx(file);
    const ws = wb.getWorksheet('BaoCao');
    assert.equal(String(ws.getCell('B2').value), ORG);
    assert.equal(String(ws.getCell('B3').value), PERIOD);
    assert.equal(Number(ws.getCell('B4').value), catalog.version);
    assert.equal(ws.sheetProtection?.sheet, true, 'the sheet is protected');
    assert.equal(ws.getCell('B2').protection?.locked, undefined, 'the identity cells keep the default: locked');
    const rows = rowsByCode(ws);
    assert.deepEqual([...rows.keys()], catalog.indicators.map((i) => i.code), 'one row per indicator, in catalog order');
    for (const ind of catalog.indicators) {
      const r = rows.get(ind.code);
      assert.equal(ws.getCell(`B${r}`).value, ind.labelVi);
      const dv = ws.getCell(`E${r}`).dataValidation;
      const want = { INDICATOR_TYPE_COUNT: 'whole', INDICATOR_TYPE_DECIMAL: 'decimal', INDICATOR_TYPE_BOOLEAN: 'list' }[ind.type];
      assert.equal(dv?.type, want, `${ind.code}: validation ${JSON.stringify(dv)}`);
      if (want === 'list') assert.equal(dv.formulae[0], '"Có,Không"');
      else assert.equal(Number(dv.formulae[0]), 0);
      assert.equal(ws.getCell(`E${r}`).protection?.locked, false, 'value cells are open');
    }
    assert.ok(wb.getWorksheet('ThuyetMinh'), 'the narrative sheet');

    // Filled offline: counts (one typed as text), yes/no in the ways people
    // write it, the narrative and two recommendations.
    const expected = new Map();
    const answers = [['Có', true], ['Không', false], ['yes', true], ['0', false], [true, true], [1, true], ['no', false]];
    let booleans = 0;
    catalog.indicators.forEach((ind, i) => {
      const cell = ws.getCell(`E${rows.get(ind.code)}`);
      if (ind.type === 'INDICATOR_TYPE_BOOLEAN') {
        const [written, meant] = answers[booleans++ % answers.length];
        cell.value = written;
        expected.set(ind.code, { flag: meant });
      } else if (ind.code === 'workshops') {
        cell.value = ' 12 ';
        expected.set(ind.code, { count: '12' });
      } else if (ind.type === 'INDICATOR_TYPE_DECIMAL') {
        cell.value = 2.5;
        expected.set(ind.code, { decimal: 2.5 });
      } else {
        const n = { members: 5200, intellectuals: 1300, contest_entries: 40, contest_prizes: 12 }[ind.code] ?? (i + 1);
        cell.value = n;
        expected.set(ind.code, { count: String(n) });
      }
    });
    // The contest rule: organised by the union only when a contest was held.
    ws.getCell(`E${rows.get('tech_contest_held')}`).value = 'Có';
    expected.set('tech_contest_held', { flag: true });
    const ns = wb.getWorksheet('ThuyetMinh');
    ns.getCell('B2').value = 'Tổ chức 6 hội thảo về chuyển đổi số.';
    ns.getCell('B3').value = 'Thiếu kinh phí.';
    ns.getCell('B4').value = 'Tổ chức Hội thi STKT lần thứ 12.';
    ns.getCell('B6').value = 'Đề nghị hỗ trợ kinh phí hội thi.';
    ns.getCell('B7').value = 'Đề nghị tập huấn phần mềm báo cáo.';
    filled = path.join(work, 'filled.xlsx');
    await wb.xlsx.writeFile(filled);

    const result = await upload(filled);
    console.log(`upload-to-validated: ${result.ms} ms in the test, ${result.pageMs} ms in the page, for ${catalog.indicators.length} indicators`);
    assert.equal(result.state, 'ok', `${result.text}\n${JSON.stringify(await problems())}`);
    assert.match(result.text, /^Không có lỗi: \d+ chỉ tiêu/);
    assert.deepEqual((await problems()).filter((p) => p.kind !== 'warning'), []);
    assert.equal(await draft(), null, 'checked, not saved');
    await shot(page, 'excel-upload-ok');

    await page.getByTestId('excel-save').click();
    await page.locator('[data-testid="excel-status"][data-state="saved"]').waitFor();
    await shot(page, 'excel-saved');
    const saved = await draft();
    assert.ok(saved.draftVersion >= 1, JSON.stringify(saved));
    const got = new Map(saved.values.map(({ code, ...v }) => [code, v]));
    assert.deepEqual(got, expected);
    assert.equal(saved.narrative.achievements, 'Tổ chức 6 hội thảo về chuyển đổi số.');
    assert.deepEqual(saved.narrative.recommendations.map((r) => [r.number, r.text]),
      [[1, 'Đề nghị hỗ trợ kinh phí hội thi.'], [2, 'Đề nghị tập huấn phần mềm báo cáo.']]);

    // A second template now carries the saved draft's values.
    const again = await readXlsx((await download(page, 'excel-template', 'again.xlsx')).file);
    const againRows = rowsByCode(again.getWorksheet('BaoCao'));
    assert.equal(again.getWorksheet('BaoCao').getCell(`E${againRows.get('members')}`).value, 5200);
    assert.equal(again.getWorksheet('ThuyetMinh').getCell('B7').value, 'Đề nghị tập huấn phần mềm báo cáo.');
  });

  test('bad sheets are refused at their cell and nothing is saved', async () => {
    assert.ok(filled, 'needs the filled template of the round trip');
    const before = await draft();
    const rows = rowsByCode((await readXlsx(filled)).getWorksheet('BaoCao'));
    const at = (code) => `BaoCao!E${rows.get(code)}`;
    const cases = [
      {
        name: 'formula',
        file: await variant('formula.xlsx', (ws) => { ws.getCell(at('workshops').slice(7)).value = { formula: 'SUM(2,3)', result: 5 }; }),
        cell: at('workshops'), message: new RegExp(`Ô ${at('workshops')} chứa công thức`),
      },
      {
        name: 'negative',
        file: await variant('negative.xlsx', (ws) => { ws.getCell(at('workshops').slice(7)).value = -4; }),
        cell: at('workshops'), message: /Không được là số âm/,
      },
      {
        name: 'not-a-number',
        file: await variant('nan.xlsx', (ws) => { ws.getCell(at('training_courses').slice(7)).value = 'mười hai'; }),
        cell: at('training_courses'), message: /“mười hai” không phải là số/,
      },
      {
        name: 'not-whole',
        file: await variant('fraction.xlsx', (ws) => { ws.getCell(at('staff').slice(7)).value = 2.5; }),
        cell: at('staff'), message: /không phải là số nguyên/,
      },
      {
        name: 'intellectuals-above-members',
        file: await variant('intellectuals.xlsx', (ws) => { ws.getCell(at('intellectuals').slice(7)).value = 9999; }),
        cell: at('intellectuals'), message: /intellectuals lớn hơn members/,
      },
      {
        name: 'not-boolean',
        file: await variant('flag.xlsx', (ws) => { ws.getCell(at('has_website').slice(7)).value = 'có lẽ'; }),
        cell: at('has_website'), message: /không phải là Có\/Không/,
      },
      {
        name: 'unknown-code',
        file: await variant('unknown.xlsx', (ws) => { ws.addRow(['so_hoi_vien_moi', 'Chỉ tiêu lạ', '', '', 7]); }),
        cell: `BaoCao!A${Math.max(...rows.values()) + 1}`, message: /“so_hoi_vien_moi” không có trong danh mục/,
      },
      {
        name: 'other-province',
        file: await variant('other-province.xlsx', (ws) => { ws.getCell('B2').value = '38'; }),
        cell: 'BaoCao!B2', message: /mẫu của tổ chức “38”, không phải của 14/, refused: true,
      },
      {
        name: 'other-period',
        file: await variant('other-period.xlsx', (ws) => { ws.getCell('B3').value = '2025H2'; }),
        cell: 'BaoCao!B3', message: /mẫu của kỳ “2025H2”, không phải kỳ 2026H1/, refused: true,
      },
    ];
    // Macros: a VBA project inside an .xlsx, and an .xlsm.
    const zip = await JSZip.loadAsync(fs.readFileSync(filled));
    zip.file('xl/vbaProject.bin', Buffer.from('not really VBA'));
    const macro = path.join(work, 'macro.xlsx');
    fs.writeFileSync(macro, await zip.generateAsync({ type: 'nodebuffer' }));
    const xlsm = path.join(work, 'report.xlsm');
    fs.copyFileSync(filled, xlsm);
    cases.push({ name: 'macros', file: macro, cell: '', message: /chứa macro/, refused: true });
    cases.push({ name: 'xlsm', file: xlsm, cell: '', message: /macro \(\.xlsm\)/, refused: true });
    // Small packed, huge unpacked: refused before exceljs unpacks it.
    const bomb = await JSZip.loadAsync(fs.readFileSync(filled));
    bomb.file('xl/media/padding.bin', Buffer.alloc(60 * 1024 * 1024));
    const bombFile = path.join(work, 'bomb.xlsx');
    fs.writeFileSync(bombFile, await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    assert.ok(fs.statSync(bombFile).size < 5 * 1024 * 1024);
    cases.push({ name: 'unpacks-huge', file: bombFile, cell: '', message: /giải nén ra quá lớn/, refused: true });
    // 50 MB: refused from its size alone.
    const big = path.join(work, 'big.xlsx');
    fs.writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 7));
    cases.push({ name: '50MB', file: big, cell: '', message: /quá lớn \(50 MB\); chỉ nhận tệp \.xlsx tối đa 5 MB/, refused: true });

    for (const c of cases) {
      const result = await upload(c.file);
      console.log(`${c.name}: ${result.state} in ${result.ms} ms`);
      assert.equal(result.state, c.refused ? 'refused' : 'errors', `${c.name}: ${result.text}`);
      const shown = await problems();
      const here = shown.find((p) => p.cell === c.cell && p.kind === 'error' && c.message.test(p.text));
      assert.ok(here, `${c.name}: expected ${c.message} at "${c.cell}", got ${JSON.stringify(shown)}`);
      if (c.cell) assert.ok(here.text.startsWith(c.cell), `${c.name}: the row names its cell`);
      assert.equal(await page.getByTestId('excel-save').count(), 0, `${c.name}: no way to save`);
      await shot(page, `excel-refused-${c.name}`);
      const now = await draft();
      assert.equal(now.draftVersion, before.draftVersion, `${c.name}: nothing saved`);
      assert.deepEqual(now.values, before.values, `${c.name}: values unchanged`);
    }
  });

  test('a province cannot read or write another province through the call route', async () => {
    const other = await callAs(page, 'reporting', 'GetDraft', { organizationCode: '38', period: PERIOD });
    assert.equal(other.status, 403, JSON.stringify(other.body));
    const write = await callAs(page, 'reporting', 'ValidateReport', { report: { organizationCode: '38', period: PERIOD } });
    assert.equal(write.status, 403);
  });

  test('a save made after the upload was checked is not overwritten', async () => {
    assert.equal((await upload(filled)).state, 'ok');
    // Someone else saves the draft meanwhile (same values, a new version).
    const current = await draft();
    const { organizationCode, period, values, narrative, catalogVersion, draftVersion } = current;
    const other = await callAs(page, 'reporting', 'SaveDraft', { report: { organizationCode, period, values, narrative, catalogVersion, draftVersion } });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    assert.equal(other.body.draftVersion, draftVersion + 1);
    await page.getByTestId('excel-save').click();
    const status = page.locator('[data-testid="excel-status"][data-state="failed"]');
    await status.waitFor();
    assert.match(await status.innerText(), /không ghi đè/);
    assert.equal(await page.getByTestId('excel-save').count(), 0, 'only a new upload can be saved');
    assert.equal((await draft()).draftVersion, other.body.draftVersion, 'the upload did not overwrite it');
    await shot(page, 'excel-save-conflict');
  });

  test('the saved draft is submitted', async () => {
    const { status, body } = await callAs(page, 'reporting', 'SubmitReport', { organizationCode: ORG, period: PERIOD });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.state, 'REPORT_STATE_SUBMITTED');
    assert.equal(body.revision, 1);
    assert.ok(body.values.some((v) => v.code === 'members' && v.count === '5200'));
    // The forwarder carries it to the national office: the board shows it.
    const started = Date.now();
    let state = '';
    while (Date.now() - started < 60000) {
      state = (stack.completeness(PERIOD).reporters ?? []).find((r) => r.organization_code === ORG)?.state ?? '';
      if (state === 'REPORT_STATE_SUBMITTED') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(state, 'REPORT_STATE_SUBMITTED', 'the national board has the report made from Excel');
    console.log(`submitted → on the national board in ${Date.now() - started} ms`);
    // Once submitted, an upload may still be checked but saving is refused by the service.
    const result = await upload(filled);
    assert.equal(result.state, 'ok', result.text);
    await page.getByTestId('excel-save').click();
    await page.locator('[data-testid="excel-status"][data-state="failed"]').waitFor();
    await shot(page, 'excel-save-after-submit');
  });

  test('the national office downloads the board, totals, coverage and the period\'s data as .xlsx', async () => {
    const period = '2025H2';
    const national = await loggedInPage(stack.token('viewer', 'VUSTA', 'excel-viewer'));
    // The board's first paint does not fetch exceljs; the first download does.
    const exceljs = [];
    national.on('request', (r) => { if (/exceljs/.test(r.url())) exceljs.push(r.url()); });
    await national.goto(`${stack.baseUrl}/?period=${period}#/`);
    await national.getByTestId('xlsx-data').waitFor();
    await national.getByTestId('cells').waitFor();
    assert.deepEqual(exceljs, [], 'exceljs is not loaded with the board');
    await shot(national, 'board-xlsx-links');
    const board = await (await national.request.get(`${stack.baseUrl}/api/board?period=${period}`)).json();
    const totals = await (await national.request.get(`${stack.baseUrl}/api/totals?period=${period}`)).json();
    const coverage = await (await national.request.get(`${stack.baseUrl}/api/coverage?period=${period}`)).json();

    const started = Date.now();
    const boardWb = await readXlsx((await download(national, 'xlsx-board')).file);
    assert.equal(exceljs.length, 1, 'loaded once, for the first download');
    const boardWs = boardWb.worksheets[0];
    assert.equal(boardWs.rowCount - 1, board.completeness.reporters.length);
    const accepted = [];
    boardWs.eachRow((row, n) => { if (n > 1 && row.getCell(5).value === 'Đã duyệt') accepted.push(String(row.getCell(2).value)); });
    assert.equal(accepted.length, board.completeness.accepted);

    const totalsWs = (await readXlsx((await download(national, 'xlsx-totals')).file)).worksheets[0];
    const totalOf = new Map();
    totalsWs.eachRow((row, n) => { if (n > 1) totalOf.set(String(row.getCell(2).value), Number(row.getCell(5).value)); });
    const members = totals.totals.find((t) => t.indicatorCode === 'members');
    assert.ok(members.value > 0);
    assert.equal(totalOf.get('members'), members.value, 'the xlsx total is the board\'s');

    const coverageWs = (await readXlsx((await download(national, 'xlsx-coverage')).file)).worksheets[0];
    assert.equal(coverageWs.rowCount - 1, coverage.items.length);
    assert.equal(Number(coverageWs.getRow(2).getCell(3).value), coverage.items[0].coverage.matching);

    const dataWs = (await readXlsx((await download(national, 'xlsx-data')).file)).getWorksheet('SoLieu');
    console.log(`four xlsx downloads: ${Date.now() - started} ms`);
    const header = dataWs.getRow(1).values.slice(1);
    assert.deepEqual(header.slice(3), catalog.indicators.map((i) => i.code), 'one column per indicator');
    assert.equal(dataWs.rowCount - 1, board.completeness.reporters.length, 'one row per expected reporter');
    const column = 4 + header.slice(3).indexOf('members');
    let sum = 0;
    let reporting = 0;
    dataWs.eachRow((row, n) => {
      const v = row.getCell(column).value;
      if (n > 1 && typeof v === 'number') { sum += v; reporting++; }
    });
    assert.equal(sum, members.value, 'the data set adds up to the national total');
    assert.equal(reporting, members.reportingOrganizations);
    await national.close();
  });
});
