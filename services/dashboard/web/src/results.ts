// A contest's results for its jury and organiser (#/contest/<id>/results):
// per entry the official score by the contest's rule (in words), median,
// spread, 95% interval, disagreement, the advisory calibrated score when it
// could be fitted, prize boundaries the data cannot draw; per judge their
// offset; per panel the agreement. Exports (CSV, .xlsx) carry the same
// columns; the page prints as the jury's minutes.
import type { Workbook } from 'exceljs';
import { append, clear, el } from './dom';
import { competition, Contest, fill, fmt, num, Result, Results, w } from './contest_api';
import { PageContext, renderProblem } from './page';

function official(r: Results): string {
  return r.contest.scoreRule === 'SCORE_RULE_CALIBRATED' ? w('calibratedOfficial') : w('official');
}

// Columns shared by the table, the CSV and the workbook.
function columns(res: Results): { head: string; cell: (r: Result) => string | number }[] {
  const cols: { head: string; cell: (r: Result) => string | number }[] = [
    { head: w('rank'), cell: (r) => r.rank || '' },
    { head: '#', cell: (r) => r.entry.id },
    { head: w('entry'), cell: (r) => r.entry.title },
    { head: w('field'), cell: (r) => r.entry.field },
    { head: w('source'), cell: (r) => r.entry.sourceOrganizationCode },
    { head: w('sheets'), cell: (r) => r.sheets },
    { head: official(res), cell: (r) => (r.sheets ? num(r.finalScore) : '') },
    { head: w('rule'), cell: (r) => r.rule },
    { head: w('mean'), cell: (r) => (r.sheets ? num(r.mean) : '') },
    { head: w('median'), cell: (r) => (r.sheets ? num(r.median) : '') },
    { head: w('sd'), cell: (r) => (r.sheets > 1 ? num(r.sd) : '') },
    { head: `${w('range')} (min)`, cell: (r) => (r.sheets ? num(r.minTotal) : '') },
    { head: `${w('range')} (max)`, cell: (r) => (r.sheets ? num(r.maxTotal) : '') },
    { head: `${w('interval')} (low)`, cell: (r) => (r.sheets ? num(r.intervalLow) : '') },
    { head: `${w('interval')} (high)`, cell: (r) => (r.sheets ? num(r.intervalHigh) : '') },
    { head: w('disagreement'), cell: (r) => (r.disagreement ? w('yes') : '') },
  ];
  if (res.calibrationAvailable) {
    cols.push({ head: w('calibrated'), cell: (r) => (isFinite(num(r.calibratedScore)) && r.sheets ? num(r.calibratedScore) : '') });
    cols.push({ head: `${w('calibrated')} SE`, cell: (r) => (isFinite(num(r.calibratedSe)) && r.sheets ? num(r.calibratedSe) : '') });
  }
  cols.push({ head: w('boundary'), cell: (r) => (r.boundaryUncertain ? w('yes') : '') });
  cols.push({ head: w('prize'), cell: (r) => w(r.prize) });
  return cols;
}

function csvOf(res: Results): string {
  const cols = columns(res);
  const quote = (v: string | number) => {
    const s = String(v);
    // A leading =, +, - or @ would be a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(s) && typeof v !== 'number' ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [cols.map((c) => quote(c.head)).join(',')];
  for (const r of res.results) lines.push(cols.map((c) => quote(c.cell(r))).join(','));
  lines.push('');
  lines.push([w('judge'), w('sheets'), w('mean'), w('offset'), `${w('offsetInterval')} (low)`, `${w('offsetInterval')} (high)`, w('toughness')].map(quote).join(','));
  for (const j of res.judges) lines.push([j.judgeSubject, j.sheets, num(j.mean), num(j.offset), num(j.offsetLow), num(j.offsetHigh), num(j.toughnessShare)].map(quote).join(','));
  lines.push('');
  lines.push([w('panel'), w('entriesWith2'), w('alpha'), w('icc'), w('iccForm')].map(quote).join(','));
  for (const a of res.agreement) lines.push([a.field || w('wholeContest'), a.entries, String(num(a.krippendorffAlpha)), String(num(a.icc)), a.iccForm].map(quote).join(','));
  return lines.join('\r\n') + '\r\n';
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// exceljs is big: loaded only when a workbook is asked for.
export async function resultsWorkbook(res: Results): Promise<Workbook> {
  const mod = (await import('exceljs')) as typeof import('exceljs') & { default?: typeof import('exceljs') };
  const ExcelJS = mod.default ?? mod;
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('KetQua');
  const cols = columns(res);
  sheet.addRow([res.contest.title]).font = { bold: true };
  sheet.addRow([`${w('rule')}: ${w(res.contest.scoreRule)}`]);
  sheet.addRow([]);
  sheet.addRow(cols.map((c) => c.head)).font = { bold: true };
  for (const r of res.results) sheet.addRow(cols.map((c) => c.cell(r)));
  const judges = wb.addWorksheet('GiamKhao');
  judges.addRow([w('judge'), w('sheets'), w('mean'), w('offset'), `${w('offsetInterval')} (low)`, `${w('offsetInterval')} (high)`, w('toughness')]).font = { bold: true };
  for (const j of res.judges) judges.addRow([j.judgeSubject, j.sheets, num(j.mean), num(j.offset), num(j.offsetLow), num(j.offsetHigh), num(j.toughnessShare)]);
  const agreement = wb.addWorksheet('DongThuan');
  agreement.addRow([w('panel'), w('entriesWith2'), w('alpha'), w('icc'), w('iccForm')]).font = { bold: true };
  // An undefined figure stays an empty cell, never NaN.
  const cell = (v: number) => (isFinite(v) ? v : '');
  for (const a of res.agreement) agreement.addRow([a.field || w('wholeContest'), a.entries, cell(num(a.krippendorffAlpha)), cell(num(a.icc)), a.iccForm]);
  return wb;
}

function numCell(text: string, testid?: string): HTMLElement {
  return el('td', { class: 'num', 'data-testid': testid }, text);
}

function resultsTable(res: Results): HTMLElement {
  const head = [w('rank'), '#', w('entry'), w('field'), w('sheets'), official(res), w('rule'), w('median'), w('sd'), w('range'), w('interval'), w('disagreement')];
  if (res.calibrationAvailable) head.push(w('calibrated'));
  head.push(w('boundary'), w('prize'));
  const rows = res.results.map((r) => {
    const scored = r.sheets > 0;
    const cells: HTMLElement[] = [
      numCell(r.rank ? String(r.rank) : '—'),
      numCell(r.entry.id),
      el('td', {}, r.entry.title),
      el('td', {}, r.entry.field),
      numCell(String(r.sheets), 'sheets'),
      numCell(scored ? fmt(r.finalScore) : '—', 'official'),
      el('td', { class: 'rule', 'data-testid': 'rule' }, r.rule),
      numCell(scored ? fmt(r.median) : '—', 'median'),
      numCell(r.sheets > 1 ? fmt(r.sd) : '—', 'sd'),
      numCell(scored ? `${fmt(r.minTotal)} – ${fmt(r.maxTotal)}` : '—', 'range'),
      numCell(scored ? `[${fmt(r.intervalLow)}; ${fmt(r.intervalHigh)}]` : '—', 'interval'),
      el('td', { 'data-testid': 'disagreement' }, r.disagreement ? el('span', { class: 'flag warn', title: w('disagreement') }, `⚠ ${w('flagDisagree')}`) : ''),
    ];
    if (res.calibrationAvailable) {
      cells.push(numCell(scored && isFinite(num(r.calibratedScore)) ? `${fmt(r.calibratedScore)} ± ${fmt(r.calibratedSe)}` : '—', 'calibrated'));
    }
    cells.push(el('td', { 'data-testid': 'boundary' }, r.boundaryUncertain ? el('span', { class: 'flag warn', title: w('boundary') }, `⚠ ${w('flagBoundary')}`) : ''));
    cells.push(el('td', { 'data-testid': 'prize' }, w(r.prize)));
    return el('tr', { 'data-testid': 'result', 'data-entry': r.entry.id, class: r.boundaryUncertain ? 'uncertain' : undefined }, ...cells);
  });
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data results', 'data-testid': 'results-table' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows)));
}

function judgesTable(res: Results): HTMLElement | null {
  if (res.judges.length === 0) return null;
  return el('section', { class: 'card', 'data-testid': 'judge-stats' },
    el('h2', {}, w('judgesStats')),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, ...[w('judge'), w('sheets'), w('mean'), w('offset'), w('offsetInterval'), w('toughness')].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...res.judges.map((j) => el('tr', { 'data-testid': 'judge-stat', 'data-judge': j.judgeSubject },
        el('td', {}, j.judgeSubject),
        numCell(String(j.sheets)),
        numCell(fmt(j.mean)),
        numCell(`${num(j.offset) > 0 ? '+' : ''}${fmt(j.offset)}`, 'offset'),
        numCell(`[${fmt(j.offsetLow)}; ${fmt(j.offsetHigh)}]`),
        numCell(isFinite(num(j.toughnessShare)) ? `${fmt(num(j.toughnessShare) * 100, 0)} %` : '—', 'toughness')))))));
}

function agreementTable(res: Results): HTMLElement {
  return el('section', { class: 'card', 'data-testid': 'agreement' },
    el('h2', {}, w('agreement')),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, ...[w('panel'), w('entriesWith2'), w('alpha'), w('icc'), w('iccForm')].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...res.agreement.map((a) => el('tr', { 'data-testid': 'agreement-row', 'data-field': a.field },
        el('td', {}, a.field || w('wholeContest')),
        numCell(String(a.entries)),
        numCell(fmt(a.krippendorffAlpha, 3), 'alpha'),
        numCell(fmt(a.icc, 3), 'icc'),
        el('td', { 'data-testid': 'icc-form' }, a.iccForm)))))),
    isFinite(num(res.residualSd)) && res.calibrationAvailable ? el('p', { class: 'muted' }, fill(w('residualSd'), { sd: fmt(res.residualSd) })) : null);
}

function notes(title: string, list: string[], testid: string): HTMLElement | null {
  if (list.length === 0) return null;
  return el('section', { class: 'card', 'data-testid': testid }, el('h2', {}, title), el('ul', {}, ...list.map((s) => el('li', {}, s))));
}

export async function renderResults(ctx: PageContext, id: string): Promise<void> {
  const here = location.hash;
  clear(ctx.app);
  append(ctx.app, ctx.header(false), el('p', { class: 'loading' }, w('loading')));
  const started = performance.now();
  let res: Results;
  try {
    res = await competition<Results>('GetResults', { contestId: id });
  } catch (e) {
    return renderProblem(ctx, e);
  }
  if (location.hash !== here) return;
  clear(ctx.app);
  const c: Contest = res.contest;
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'results-status' });
  const tools = el('div', { class: 'actions no-print' });
  const csv = el('button', { type: 'button', 'data-testid': 'export-csv' }, w('exportCsv'));
  csv.addEventListener('click', () => save(new Blob(['\ufeff', csvOf(res)], { type: 'text/csv;charset=utf-8' }), `ket-qua-hoi-thi-${c.id}.csv`));
  const xlsx = el('button', { type: 'button', 'data-testid': 'export-xlsx' }, w('exportXlsx'));
  xlsx.addEventListener('click', async () => {
    xlsx.disabled = true;
    try {
      const wb = await resultsWorkbook(res);
      save(new Blob([await wb.xlsx.writeBuffer()], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), `ket-qua-hoi-thi-${c.id}.xlsx`);
    } catch (e) {
      status.textContent = `${w('refused')}: ${(e as Error).message}`;
    } finally {
      xlsx.disabled = false;
    }
  });
  const print = el('button', { type: 'button', 'data-testid': 'print' }, w('print'));
  print.addEventListener('click', () => window.print());
  append(tools, csv, xlsx, print);
  if (c.state === 'CONTEST_STATE_CLOSED') {
    const award = el('button', { type: 'button', 'data-testid': 'award' }, w('award'));
    award.addEventListener('click', async () => {
      award.disabled = true;
      status.textContent = w('sending');
      try {
        await competition('TransitionContest', { id: c.id, to: 'CONTEST_STATE_AWARDED' });
        status.textContent = w('awarded');
        void renderResults(ctx, id);
      } catch (e) {
        status.textContent = `${w('refused')}: ${(e as Error).message}`;
        award.disabled = false;
      }
    });
    tools.appendChild(award);
  }
  append(ctx.app, ctx.header(false), el('main', { class: 'results-page contest-screen', 'data-testid': 'results-page' },
    el('a', { href: `#/contest/${c.id}`, class: 'no-print' }, w('backToContest')),
    el('section', { class: 'card' },
      el('p', { class: 'print-only' }, w('minutes')),
      el('h1', {}, c.title),
      el('p', { class: 'muted' }, `${w(c.kind)} · ${c.organizerCode} · ${c.year} · ${w(c.state)}`),
      el('p', { 'data-testid': 'score-rule' }, `${w('scoreRule')}: ${w(c.scoreRule)}`),
      res.calibrationAvailable ? null : el('p', { class: 'note', 'data-testid': 'calibration-note' }, fill(w('calibrationUnavailable'), { why: res.calibrationNote })),
      tools, status),
    el('section', { class: 'card' }, el('h2', {}, w('results')),
      res.results.length ? resultsTable(res) : el('p', { class: 'muted' }, w('noResults'))),
    notes(w('boundaryNotes'), res.boundaryNotes, 'boundary-notes'),
    notes(w('tieNotes'), res.tieNotes, 'tie-notes'),
    judgesTable(res),
    agreementTable(res),
    el('section', { class: 'card print-only signatures' },
      el('p', {}, fill(w('printedAt'), { time: new Date().toLocaleString() })),
      el('p', {}, w('signatures')))));
  const ms = Math.round(performance.now() - started);
  ctx.app.querySelector('[data-testid="results-page"]')?.setAttribute('data-load-ms', String(ms));
}
