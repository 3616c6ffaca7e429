// Excel in and out: a province's report template (.xlsx) and its upload,
// and the national office's board, totals, coverage and data set as .xlsx.
// exceljs is big, so it is imported only when a workbook is made or read;
// main.ts imports this module itself with import() too.
import type { Workbook, Worksheet, Cell, CellValue } from 'exceljs';
import { Board, call, CoverageItem, FieldViolation, get, HttpError, Indicator, Me, Report, Totals } from './api';
import { append, clear, el } from './dom';
import { getLang } from './i18n';

// An upload over this is refused before it is read.
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
// Unpacked, an .xlsx may not hold more than this (a small zip can unpack huge).
const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;

const DATA_SHEET = 'BaoCao';
const NARRATIVE_SHEET = 'ThuyetMinh';
const HEADER_ROW = 6;
const FIRST_ROW = 7;
const RECOMMENDATION_ROW = 6; // the narrative sheet's first recommendation
const YES = 'Có';
const NO = 'Không';

// ---------------------------------------------------------------------------
// Words (kept here: this module's own, Vietnamese first like the page)
// ---------------------------------------------------------------------------

const vi = {
  excel: 'Báo cáo bằng Excel',
  excelHelp: 'Tải mẫu, nhập số liệu vào cột Giá trị (không dùng công thức), rồi tải tệp lên: mọi lỗi được chỉ ra theo từng ô trước khi lưu.',
  template: 'Tải mẫu Excel',
  upload: 'Tải lên Excel',
  saveDraft: 'Lưu thành bản nháp',
  working: 'Đang xử lý…',
  cell: 'Ô',
  indicator: 'Chỉ tiêu',
  problem: 'Vấn đề',
  ok: 'Không có lỗi: {n} chỉ tiêu đã đọc và kiểm tra. Chưa lưu gì; bấm “Lưu thành bản nháp” để lưu.',
  okMissing: ' Còn {m} chỉ tiêu chưa có giá trị (cần điền trước khi nộp).',
  errors: 'Có {n} lỗi trong tệp; chưa lưu gì. Sửa các ô dưới đây rồi tải tệp lên lại.',
  refused: 'Tệp bị từ chối; chưa lưu gì.',
  saved: 'Đã lưu bản nháp (lần lưu thứ {n}).',
  saveFailed: 'Không lưu được',
  conflict: 'Bản nháp đã được lưu lại sau khi tệp được kiểm tra; không ghi đè. Tải mẫu mới hoặc tải tệp lên lại.',
  tooBig: 'Tệp quá lớn ({size}); chỉ nhận tệp .xlsx tối đa 5 MB.',
  notXlsx: 'Chỉ nhận tệp Excel .xlsx (tệp này là “{name}”).',
  macroName: 'Tệp có macro (.xlsm) không được nhận; hãy lưu lại dưới dạng .xlsx không có macro.',
  macros: 'Tệp chứa macro (VBA/ActiveX) nên không được nhận; hãy lưu lại dưới dạng .xlsx không có macro.',
  notZip: 'Tệp không phải là tệp .xlsx hợp lệ.',
  unpackedTooBig: 'Tệp giải nén ra quá lớn (trên 50 MB); không đọc.',
  unreadable: 'Không đọc được tệp Excel',
  downloadFailed: 'Không tải được',
  noSheet: 'Không có trang “{sheet}” của mẫu báo cáo; hãy dùng mẫu tải từ trang này.',
  formula: 'Ô {cell} chứa công thức; hãy nhập giá trị (số), không dùng công thức.',
  otherOrg: 'Tệp này là mẫu của tổ chức “{got}”, không phải của {want}; không đọc tiếp.',
  otherPeriod: 'Tệp này là mẫu của kỳ “{got}”, không phải kỳ {want}; không đọc tiếp.',
  badCatalog: 'Phiên bản danh mục “{got}” không có (mới nhất là {latest}).',
  unknownCode: 'Mã chỉ tiêu “{code}” không có trong danh mục.',
  repeatedCode: 'Chỉ tiêu {code} xuất hiện hai lần (lần đầu ở ô {first}).',
  valueWithoutCode: 'Có giá trị nhưng dòng này không có mã chỉ tiêu.',
  notNumber: '“{v}” không phải là số.',
  notWhole: '{v} không phải là số nguyên; chỉ tiêu này là số đếm.',
  notBoolean: '“{v}” không phải là Có/Không.',
  negative: 'Không được là số âm.',
  exceeds: 'Giá trị {a} lớn hơn {b}.',
  missingValue: 'Chưa có giá trị (cần điền trước khi nộp; ghi 0 hoặc Không nếu không có).',
  structure: 'Trang “{sheet}” đã bị đổi cấu trúc (ô {cell} phải là “{label}”).',
  warning: 'Lưu ý',
  xlsxBoard: 'Tải bảng (Excel)',
  xlsxTotals: 'Tải số liệu tổng hợp (Excel)',
  xlsxCoverage: 'Tải độ bao phủ (Excel)',
  xlsxData: 'Tải toàn bộ số liệu kỳ (Excel)',
};
const en: Partial<Record<keyof typeof vi, string>> = {
  excel: 'Report with Excel',
  excelHelp: 'Download the template, fill the Value column (no formulas), then upload it: every problem is shown by cell before anything is saved.',
  template: 'Download Excel template',
  upload: 'Upload Excel',
  saveDraft: 'Save as draft',
  working: 'Working…',
  cell: 'Cell',
  indicator: 'Indicator',
  problem: 'Problem',
  ok: 'No problems: {n} indicators read and checked. Nothing saved yet; press “Save as draft” to save.',
  okMissing: ' {m} indicators have no value yet (needed before submitting).',
  errors: '{n} problems in the file; nothing was saved. Fix the cells below and upload again.',
  refused: 'File refused; nothing was saved.',
  saved: 'Draft saved (save number {n}).',
  saveFailed: 'Could not save',
  conflict: 'The draft was saved again after this file was checked; nothing was overwritten. Download a new template or upload again.',
  tooBig: 'The file is too big ({size}); at most 5 MB of .xlsx is accepted.',
  notXlsx: 'Only Excel .xlsx files are accepted (this one is “{name}”).',
  macroName: 'Macro-enabled files (.xlsm) are refused; save it again as .xlsx without macros.',
  macros: 'The file holds macros (VBA/ActiveX) and is refused; save it again as .xlsx without macros.',
  notZip: 'This is not a valid .xlsx file.',
  unpackedTooBig: 'The file unpacks to more than 50 MB; not read.',
  unreadable: 'Could not read the Excel file',
  downloadFailed: 'Download failed',
  noSheet: 'No “{sheet}” sheet of the report template; use a template downloaded from this page.',
  formula: 'Cell {cell} holds a formula; type the value instead.',
  otherOrg: 'This template is organisation “{got}”’s, not {want}’s; not read further.',
  otherPeriod: 'This template is for period “{got}”, not {want}; not read further.',
  badCatalog: 'Catalog version “{got}” does not exist (the newest is {latest}).',
  unknownCode: 'Indicator code “{code}” is not in the catalog.',
  repeatedCode: 'Indicator {code} appears twice (first at {first}).',
  valueWithoutCode: 'A value on a row without an indicator code.',
  notNumber: '“{v}” is not a number.',
  notWhole: '{v} is not a whole number; this indicator is a count.',
  notBoolean: '“{v}” is not Yes/No (Có/Không).',
  negative: 'Must not be negative.',
  exceeds: 'The value of {a} exceeds {b}.',
  missingValue: 'No value yet (needed before submitting; write 0 or Không when there was none).',
  structure: 'Sheet “{sheet}” was restructured (cell {cell} must read “{label}”).',
  warning: 'Note',
  xlsxBoard: 'Download board (Excel)',
  xlsxTotals: 'Download totals (Excel)',
  xlsxCoverage: 'Download coverage (Excel)',
  xlsxData: 'Download the period’s data (Excel)',
};

function w(key: keyof typeof vi, vars: Record<string, string | number> = {}): string {
  let text = (getLang() === 'en' ? en[key] : undefined) ?? vi[key];
  for (const [k, v] of Object.entries(vars)) text = text.split(`{${k}}`).join(String(v));
  return text;
}

const SECTIONS: Record<string, string> = {
  organisation: 'Tổ chức',
  consultancy: 'Tư vấn, phản biện và giám định xã hội',
  science: 'Hoạt động khoa học và công nghệ',
  contests: 'Hội thi sáng tạo',
  communication: 'Thông tin, truyền thông',
  honouring: 'Tôn vinh trí thức',
  cooperation: 'Hợp tác, trao đổi',
  commendation: 'Khen thưởng',
};
const TYPES: Record<string, string> = {
  INDICATOR_TYPE_COUNT: 'Số nguyên ≥ 0',
  INDICATOR_TYPE_DECIMAL: 'Số thập phân ≥ 0',
  INDICATOR_TYPE_BOOLEAN: 'Có / Không',
};
const NARRATIVE_LABELS = {
  achievements: 'Kết quả nổi bật',
  difficulties: 'Khó khăn, hạn chế',
  nextPeriodTasks: 'Nhiệm vụ kỳ tới',
  recommendations: 'Kiến nghị (đánh số 1, 2, 3...)',
};
const NARRATIVE_ROWS: Record<'achievements' | 'difficulties' | 'nextPeriodTasks', number> = {
  achievements: 2,
  difficulties: 3,
  nextPeriodTasks: 4,
};

// ---------------------------------------------------------------------------
// The session; the services are called as the logged-in person (api.ts call())
// ---------------------------------------------------------------------------

// The catalog this page writes against (GET /api/me, once).
let session: Promise<Me> | null = null;
function me(): Promise<Me> {
  session ??= get<Me>('/api/me');
  return session;
}

interface ValidationResult {
  valid: boolean;
  violations: FieldViolation[];
  warnings: FieldViolation[];
}
type Value = Report['values'][number];
type Narrative = NonNullable<Report['narrative']>;
type Draft = Report & { draftVersion?: number; catalogVersion?: number };

async function getDraft(code: string, period: string): Promise<Draft | null> {
  try {
    return await call<Draft>('reporting', 'GetDraft', { organizationCode: code, period });
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return null;
    throw e;
  }
}

async function excel(): Promise<typeof import('exceljs')> {
  const mod = (await import('exceljs')) as typeof import('exceljs') & { default?: typeof import('exceljs') };
  // The browser build is a CommonJS bundle: its exports may come as the default.
  return mod.Workbook ? mod : mod.default!;
}

// Offers a workbook as a file download.
async function download(wb: Workbook, name: string): Promise<void> {
  const data = await wb.xlsx.writeBuffer();
  const url = URL.createObjectURL(new Blob([data], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function styleHeader(ws: Worksheet, row: number): void {
  ws.getRow(row).font = { bold: true };
  ws.getRow(row).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
}

// ---------------------------------------------------------------------------
// The template
// ---------------------------------------------------------------------------

function templateValue(ind: Indicator, v: Value | undefined): CellValue {
  if (!v) return null;
  if (ind.type === 'INDICATOR_TYPE_BOOLEAN') return v.flag === undefined ? null : v.flag ? YES : NO;
  if (ind.type === 'INDICATOR_TYPE_DECIMAL') return v.decimal ?? null;
  return v.count === undefined ? null : Number(v.count);
}

export async function buildTemplate(code: string, period: string): Promise<Workbook> {
  const [ExcelJS, session, draft] = await Promise.all([excel(), me(), getDraft(code, period)]);
  const catalog = session.catalog;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'federation dashboard';
  wb.created = new Date();
  const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });
  ws.columns = [{ width: 28 }, { width: 44 }, { width: 40 }, { width: 16 }, { width: 14 }];
  ws.getCell('A1').value = `Báo cáo số liệu kỳ ${period} — mã tổ chức ${code}`;
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.mergeCells('A1:E1');
  // The identity of the template: an upload for another organisation or
  // period is recognised by these cells and refused.
  const facts: [string, string | number][] = [
    ['Mã tổ chức / Organisation', code],
    ['Kỳ báo cáo / Period', period],
    ['Phiên bản danh mục / Catalog version', catalog.version],
  ];
  facts.forEach(([name, value], i) => {
    ws.getCell(`A${2 + i}`).value = name;
    ws.getCell(`A${2 + i}`).font = { bold: true };
    ws.getCell(`B${2 + i}`).value = value;
    ws.getCell(`B${2 + i}`).alignment = { horizontal: 'left' };
  });
  ws.getCell('A5').value = 'Chỉ nhập vào cột E (Giá trị); không dùng công thức. Ô có dấu Có/Không: chọn trong danh sách.';
  ws.getCell('A5').font = { italic: true };
  ws.getRow(HEADER_ROW).values = ['Mã chỉ tiêu', 'Chỉ tiêu', 'Indicator', 'Kiểu', 'Giá trị'];
  styleHeader(ws, HEADER_ROW);

  const given = new Map((draft?.values ?? []).map((v) => [v.code, v]));
  let row = FIRST_ROW;
  let section = '';
  for (const ind of catalog.indicators) {
    if (ind.section !== section) {
      section = ind.section;
      const r = ws.getRow(row++);
      r.getCell(2).value = SECTIONS[section] ?? section;
      r.font = { bold: true };
      r.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3F3F3' } };
    }
    const r = ws.getRow(row++);
    r.values = [ind.code, ind.labelVi, ind.labelEn, TYPES[ind.type] ?? ind.type, templateValue(ind, given.get(ind.code))];
    const cell = r.getCell(5);
    cell.protection = { locked: false };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFDE7' } };
    if (ind.type === 'INDICATOR_TYPE_BOOLEAN') {
      cell.dataValidation = {
        type: 'list', allowBlank: true, formulae: [`"${YES},${NO}"`],
        showErrorMessage: true, errorTitle: 'Có / Không', error: 'Chọn Có hoặc Không.',
      };
    } else {
      const decimal = ind.type === 'INDICATOR_TYPE_DECIMAL';
      cell.numFmt = decimal ? '0.##' : '0';
      cell.dataValidation = {
        type: decimal ? 'decimal' : 'whole', operator: 'greaterThanOrEqual', allowBlank: true, formulae: [0],
        showErrorMessage: true, errorTitle: ind.labelVi,
        error: decimal ? 'Nhập một số ≥ 0.' : 'Nhập một số nguyên ≥ 0.',
      };
    }
  }

  const ns = wb.addWorksheet(NARRATIVE_SHEET);
  ns.columns = [{ width: 34 }, { width: 100 }];
  ns.getRow(1).values = ['Mục', 'Nội dung'];
  styleHeader(ns, 1);
  const narrative = draft?.narrative;
  for (const [key, r] of Object.entries(NARRATIVE_ROWS) as [keyof typeof NARRATIVE_ROWS, number][]) {
    ns.getCell(`A${r}`).value = NARRATIVE_LABELS[key];
    ns.getCell(`A${r}`).font = { bold: true };
    const cell = ns.getCell(`B${r}`);
    cell.value = narrative?.[key] || null;
    cell.protection = { locked: false };
    cell.alignment = { wrapText: true, vertical: 'top' };
    ns.getRow(r).height = 60;
  }
  ns.getCell(`A${RECOMMENDATION_ROW - 1}`).value = NARRATIVE_LABELS.recommendations;
  styleHeader(ns, RECOMMENDATION_ROW - 1);
  const recommendations = narrative?.recommendations ?? [];
  const slots = Math.max(10, recommendations.length + 5);
  for (let i = 0; i < slots; i++) {
    ns.getCell(`A${RECOMMENDATION_ROW + i}`).value = i + 1;
    ns.getCell(`A${RECOMMENDATION_ROW + i}`).alignment = { horizontal: 'left' };
    const cell = ns.getCell(`B${RECOMMENDATION_ROW + i}`);
    cell.value = recommendations[i]?.text || null;
    cell.protection = { locked: false };
    cell.alignment = { wrapText: true, vertical: 'top' };
  }
  // Locked: the codes, labels and the identity cells; only values and text are open.
  const options = { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true };
  await ws.protect('', options);
  await ns.protect('', options);
  return wb;
}

// ---------------------------------------------------------------------------
// Reading an upload
// ---------------------------------------------------------------------------

export interface Problem {
  cell: string; // "BaoCao!E12", or '' for the file as a whole
  indicator: string;
  message: string;
  kind: 'error' | 'missing' | 'warning';
}

export interface Reading {
  problems: Problem[];
  report: Draft | null; // what would be saved, when the file was readable as this organisation's
  indicators: number;
}

// The names and unpacked sizes of a zip's entries, from its central directory.
function zipEntries(bytes: Uint8Array): { name: string; size: number }[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22 || view.getUint32(0, true) !== 0x04034b50) return null;
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) return null;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const entries: { name: string; size: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    entries.push({ name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)), size: size === 0xffffffff ? Infinity : size });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

function megabytes(bytes: number): string {
  return `${new Intl.NumberFormat(getLang() === 'en' ? 'en-US' : 'vi-VN', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
}

// Checks that need no parsing: refusals of the file as a whole.
export function refuseFile(file: { name: string; size: number }): string | null {
  if (file.size > MAX_UPLOAD_BYTES) return w('tooBig', { size: megabytes(file.size) });
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsm')) return w('macroName');
  if (!name.endsWith('.xlsx')) return w('notXlsx', { name: file.name });
  return null;
}

function refuseZip(bytes: Uint8Array): string | null {
  const entries = zipEntries(bytes);
  if (!entries || !entries.some((e) => e.name === 'xl/workbook.xml')) return w('notZip');
  if (entries.some((e) => /(^|\/)vbaProject\.bin$/i.test(e.name) || /^xl\/activeX\//i.test(e.name))) return w('macros');
  if (entries.reduce((sum, e) => sum + e.size, 0) > MAX_UNPACKED_BYTES) return w('unpackedTooBig');
  return null;
}

function isFormula(value: CellValue): boolean {
  return typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value);
}

function text(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value).trim();
}

// A cell's number: an Excel number, or text holding one (a dot or a comma for decimals).
function number(value: CellValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' && !(typeof value === 'object' && value !== null && 'richText' in value)) return null;
  const s = text(value).replace(/\s/g, '');
  if (!/^[-+]?(\d+([.,]\d+)?|[.,]\d+)$/.test(s)) return null;
  return Number(s.replace(',', '.'));
}

function flag(value: CellValue): boolean | null {
  if (typeof value === 'boolean') return value;
  const s = text(value).toLowerCase();
  if (['có', 'co', 'yes', 'y', '1', 'true', 'x', 'đúng'].includes(s)) return true;
  if (['không', 'khong', 'no', 'n', '0', 'false', 'sai'].includes(s)) return false;
  return null;
}

function convert(ind: Indicator, value: CellValue): { value?: Value; error?: string } {
  const shown = text(value) || String(value);
  if (ind.type === 'INDICATOR_TYPE_BOOLEAN') {
    const f = flag(value);
    return f === null ? { error: w('notBoolean', { v: shown }) } : { value: { code: ind.code, flag: f } };
  }
  const n = number(value);
  if (n === null) return { error: w('notNumber', { v: shown }) };
  if (ind.type === 'INDICATOR_TYPE_DECIMAL') return { value: { code: ind.code, decimal: n } };
  if (!Number.isInteger(n)) return { error: w('notWhole', { v: shown }) };
  // Negatives go to the service, whose rule and message are the reference.
  return { value: { code: ind.code, count: String(n) } };
}

// Reads an uploaded template for organisation `code` and period `period`:
// every problem the file itself has, by cell; the report it holds, if any.
export async function readUpload(file: File, code: string, period: string): Promise<Reading> {
  const fail = (message: string): Reading => ({ problems: [{ cell: '', indicator: '', message, kind: 'error' }], report: null, indicators: 0 });
  const refusal = refuseFile(file);
  if (refusal) return fail(refusal);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const zipRefusal = refuseZip(bytes);
  if (zipRefusal) return fail(zipRefusal);
  const [ExcelJS, session] = await Promise.all([excel(), me()]);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    return fail(`${w('unreadable')}: ${(e as Error).message}`);
  }
  const ws = wb.getWorksheet(DATA_SHEET);
  if (!ws) return fail(w('noSheet', { sheet: DATA_SHEET }));
  const problems: Problem[] = [];
  const at = (sheet: string, address: string) => `${sheet}!${address}`;

  // Formulas anywhere are refused at their cell: what is saved must be what was typed.
  wb.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell: Cell) => {
        if (isFormula(cell.value)) {
          const address = at(sheet.name, cell.address);
          problems.push({ cell: address, indicator: '', message: w('formula', { cell: address }), kind: 'error' });
        }
      });
    });
  });

  // Whose and which period's sheet this is: anything else is not read further.
  const gotCode = text(ws.getCell('B2').value);
  const gotPeriod = text(ws.getCell('B3').value);
  if (gotCode !== code) problems.push({ cell: at(DATA_SHEET, 'B2'), indicator: '', message: w('otherOrg', { got: gotCode, want: code }), kind: 'error' });
  if (gotPeriod !== period) problems.push({ cell: at(DATA_SHEET, 'B3'), indicator: '', message: w('otherPeriod', { got: gotPeriod, want: period }), kind: 'error' });
  if (gotCode !== code || gotPeriod !== period) return { problems, report: null, indicators: 0 };
  const latest = session.catalog.version;
  const versionCell = ws.getCell('B4').value;
  const catalogVersion = typeof versionCell === 'number' ? versionCell : Number(text(versionCell));
  if (!Number.isInteger(catalogVersion) || catalogVersion < 1 || catalogVersion > latest) {
    problems.push({ cell: at(DATA_SHEET, 'B4'), indicator: '', message: w('badCatalog', { got: text(versionCell), latest }), kind: 'error' });
  }

  const byCode = new Map(session.catalog.indicators.map((i) => [i.code, i]));
  const values: Value[] = [];
  const cellOf: string[] = []; // values[i] is at cellOf[i]
  const rowOf = new Map<string, string>(); // code -> its value cell
  for (let r = FIRST_ROW; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const codeCell = row.getCell(1);
    const valueCell = row.getCell(5);
    const indicatorCode = text(codeCell.value);
    const raw = valueCell.value;
    const empty = raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');
    if (!indicatorCode) {
      if (!empty && !isFormula(raw)) problems.push({ cell: at(DATA_SHEET, valueCell.address), indicator: '', message: w('valueWithoutCode'), kind: 'error' });
      continue;
    }
    const ind = byCode.get(indicatorCode);
    if (!ind) {
      problems.push({ cell: at(DATA_SHEET, codeCell.address), indicator: indicatorCode, message: w('unknownCode', { code: indicatorCode }), kind: 'error' });
      continue;
    }
    if (rowOf.has(ind.code)) {
      problems.push({ cell: at(DATA_SHEET, codeCell.address), indicator: ind.code, message: w('repeatedCode', { code: ind.code, first: rowOf.get(ind.code)! }), kind: 'error' });
      continue;
    }
    rowOf.set(ind.code, at(DATA_SHEET, valueCell.address));
    if (empty || isFormula(raw)) continue;
    const converted = convert(ind, raw);
    if (converted.error) {
      problems.push({ cell: at(DATA_SHEET, valueCell.address), indicator: ind.code, message: converted.error, kind: 'error' });
      continue;
    }
    values.push(converted.value!);
    cellOf.push(at(DATA_SHEET, valueCell.address));
  }

  const narrative: Narrative = { achievements: '', difficulties: '', nextPeriodTasks: '', recommendations: [] };
  const recommendationCells: string[] = [];
  const ns = wb.getWorksheet(NARRATIVE_SHEET);
  if (!ns) {
    problems.push({ cell: '', indicator: '', message: w('noSheet', { sheet: NARRATIVE_SHEET }), kind: 'error' });
  } else {
    for (const [key, r] of Object.entries(NARRATIVE_ROWS) as [keyof typeof NARRATIVE_ROWS, number][]) {
      if (text(ns.getCell(`A${r}`).value) !== NARRATIVE_LABELS[key]) {
        problems.push({ cell: at(NARRATIVE_SHEET, `A${r}`), indicator: '', message: w('structure', { sheet: NARRATIVE_SHEET, cell: `A${r}`, label: NARRATIVE_LABELS[key] }), kind: 'error' });
        continue;
      }
      narrative[key] = text(ns.getCell(`B${r}`).value);
    }
    // Recommendations are numbered 1, 2, 3... in the order written; empty rows are skipped.
    for (let r = RECOMMENDATION_ROW; r <= ns.rowCount; r++) {
      const body = text(ns.getCell(`B${r}`).value);
      if (!body) continue;
      narrative.recommendations.push({ number: narrative.recommendations.length + 1, text: body, answer: '' });
      recommendationCells.push(at(NARRATIVE_SHEET, `B${r}`));
    }
  }

  const report: Draft = {
    organizationCode: code, period, catalogVersion: Number.isInteger(catalogVersion) ? catalogVersion : 0, values, narrative,
  } as Draft;
  // The service checks what converted, as it would on submission; its
  // findings come back by field and are put at their cells.
  const result = await call<ValidationResult>('reporting', 'ValidateReport', { report });
  const flagged = new Set(problems.map((p) => p.cell));
  const place = (field: string): { cell: string; indicator: string } => {
    let m = /^values\[(\d+)\]/.exec(field);
    if (m) return { cell: cellOf[Number(m[1])] ?? '', indicator: values[Number(m[1])]?.code ?? '' };
    m = /^narrative\.recommendations\[(\d+)\]/.exec(field);
    if (m) return { cell: recommendationCells[Number(m[1])] ?? '', indicator: '' };
    if (field === 'narrative.achievements') return { cell: at(NARRATIVE_SHEET, 'B2'), indicator: '' };
    if (field === 'narrative.difficulties') return { cell: at(NARRATIVE_SHEET, 'B3'), indicator: '' };
    if (field === 'narrative.next_period_tasks') return { cell: at(NARRATIVE_SHEET, 'B4'), indicator: '' };
    if (field === 'organization_code') return { cell: at(DATA_SHEET, 'B2'), indicator: '' };
    if (field === 'period') return { cell: at(DATA_SHEET, 'B3'), indicator: '' };
    if (field === 'catalog_version') return { cell: at(DATA_SHEET, 'B4'), indicator: '' };
    return { cell: '', indicator: '' };
  };
  for (const v of result.violations ?? []) {
    if (v.field === 'values') {
      // "<code> has no value": not an error in a draft, needed to submit.
      const missing = /^(\S+) has no value/.exec(v.description)?.[1] ?? '';
      const cell = rowOf.get(missing) ?? '';
      if (cell && flagged.has(cell)) continue; // already said why it has none
      problems.push({ cell, indicator: missing, message: w('missingValue'), kind: 'missing' });
      continue;
    }
    const { cell, indicator } = place(v.field);
    problems.push({ cell, indicator, message: serviceMessage(v), kind: 'error' });
  }
  for (const v of result.warnings ?? []) {
    const { cell, indicator } = place(v.field);
    problems.push({ cell, indicator, message: v.description, kind: 'warning' });
  }
  return { problems, report, indicators: values.length };
}

// The service's sentence, with a Vietnamese one first where the rule is known.
function serviceMessage(v: FieldViolation): string {
  if (/must not be negative|must be a non-negative number/.test(v.description)) return `${w('negative')} (${v.description})`;
  const exceeds = /^(\S+) \(.*\) must not exceed (\S+) /.exec(v.description);
  if (exceeds) return `${w('exceeds', { a: exceeds[1], b: exceeds[2] })} (${v.description})`;
  return v.description;
}

// ---------------------------------------------------------------------------
// The province's panel
// ---------------------------------------------------------------------------

function problemTable(problems: Problem[]): HTMLElement {
  const order = { error: 0, missing: 1, warning: 2 };
  const rows = [...problems].sort((a, b) => order[a.kind] - order[b.kind]);
  return el('table', { class: 'table excel-problems', 'data-testid': 'excel-problems' },
    el('thead', {}, el('tr', {}, el('th', {}, w('cell')), el('th', {}, w('indicator')), el('th', {}, w('problem')))),
    el('tbody', {}, ...rows.map((p) => el('tr', {
      'data-testid': 'excel-problem', 'data-cell': p.cell, 'data-kind': p.kind, class: `problem-${p.kind}`,
    },
    el('td', {}, p.cell || '—'),
    el('td', {}, p.indicator),
    el('td', {}, p.kind === 'warning' ? `${w('warning')}: ${p.message}` : p.message)))));
}

// The entry points of the Excel round trip for organisation `code` and
// `period`: template download, upload with every problem by cell, and
// "save as draft" only when there is none. `onSaved` lets a form that
// mounts the panel show the saved draft (the panel also sends a bubbling
// "excel-saved" event carrying it).
export function excelPanel(code: string, period: string, onSaved?: (draft: Report) => void): HTMLElement {
  const status = el('p', { class: 'excel-status', role: 'status', 'data-testid': 'excel-status' });
  const results = el('div', { class: 'excel-results' });
  const templateButton = el('button', { type: 'button', 'data-testid': 'excel-template' }, w('template'));
  const input = el('input', { type: 'file', id: `excel-upload-${code}`, accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'data-testid': 'excel-upload' });
  const setStatus = (state: string, message: string) => {
    status.dataset.state = state;
    status.textContent = message;
  };

  templateButton.addEventListener('click', async () => {
    templateButton.disabled = true;
    try {
      await download(await buildTemplate(code, period), `bao-cao-${code}-${period}.xlsx`);
    } catch (e) {
      setStatus('failed', `${w('downloadFailed')}: ${(e as Error).message}`);
    } finally {
      templateButton.disabled = false;
    }
  });

  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    clear(results);
    setStatus('working', w('working'));
    const started = performance.now();
    let reading: Reading;
    let draft: Draft | null = null;
    try {
      // The draft as it is now: its version guards the save against another one in between.
      [reading, draft] = await Promise.all([readUpload(file, code, period), getDraft(code, period)]);
    } catch (e) {
      setStatus('failed', `${w('unreadable')}: ${(e as Error).message}`);
      return;
    } finally {
      input.value = '';
    }
    status.dataset.ms = String(Math.round(performance.now() - started));
    const errors = reading.problems.filter((p) => p.kind === 'error');
    const missing = reading.problems.filter((p) => p.kind === 'missing');
    if (reading.problems.length) append(results, el('div', { class: 'table-wrap' }, problemTable(reading.problems)));
    if (!reading.report || errors.length) {
      setStatus(reading.report ? 'errors' : 'refused', reading.report ? w('errors', { n: errors.length }) : `${w('refused')} ${errors.map((p) => p.message).join(' ')}`);
      return;
    }
    setStatus('ok', w('ok', { n: reading.indicators }) + (missing.length ? w('okMissing', { m: missing.length }) : ''));
    const save = el('button', { type: 'button', class: 'primary', 'data-testid': 'excel-save' }, w('saveDraft'));
    save.addEventListener('click', async () => {
      save.disabled = true;
      try {
        const base = draft ?? await call<Draft>('reporting', 'CreateDraft', { organizationCode: code, period, prefill: false });
        // There was no draft when the file was checked: one saved since is
        // someone else's work (version 0 would skip the service's check).
        // Creating a draft is its first version; a later one is a save.
        if (!draft && (base.draftVersion ?? 0) > 1) {
          throw new HttpError(409, `${base.organizationCode} ${base.period}: draft version ${base.draftVersion}`, 'ABORTED');
        }
        const saved = await call<Draft>('reporting', 'SaveDraft', {
          report: { ...reading.report, draftVersion: base.draftVersion ?? 0 },
        });
        save.remove();
        setStatus('saved', w('saved', { n: saved.draftVersion ?? 0 }));
        onSaved?.(saved);
        status.dispatchEvent(new CustomEvent('excel-saved', { bubbles: true, detail: saved }));
      } catch (e) {
        save.disabled = false;
        if (e instanceof HttpError && e.violations.length) {
          clear(results);
          append(results, problemTable(e.violations.map((v) => ({ cell: '', indicator: '', message: `${v.field}: ${v.description}`, kind: 'error' as const }))));
        }
        const conflict = e instanceof HttpError && e.code === 'ABORTED' ? ` ${w('conflict')}` : '';
        // Pressing again would fail the same way: only a new upload can be saved.
        if (e instanceof HttpError && (e.code === 'ABORTED' || e.code === 'FAILED_PRECONDITION')) save.remove();
        setStatus('failed', `${w('saveFailed')}: ${(e as Error).message}.${conflict}`);
      }
    });
    results.appendChild(save);
  });

  return el('section', { class: 'card excel', 'data-testid': 'excel-panel', 'data-code': code, 'data-period': period },
    el('h2', {}, `${w('excel')} · ${period}`),
    el('p', { class: 'note' }, w('excelHelp')),
    el('div', { class: 'filters' },
      templateButton,
      el('label', { for: `excel-upload-${code}`, class: 'upload' }, `${w('upload')}: `), input),
    status,
    results);
}

// ---------------------------------------------------------------------------
// The national office's workbooks
// ---------------------------------------------------------------------------

const STATE_VI: Record<string, string> = {
  REPORT_STATE_UNSPECIFIED: 'Chưa nộp',
  REPORT_STATE_DRAFT: 'Nháp',
  REPORT_STATE_SUBMITTED: 'Chờ duyệt',
  REPORT_STATE_ACCEPTED: 'Đã duyệt',
  REPORT_STATE_RETURNED: 'Trả lại',
};

function sheetWith(wb: Workbook, name: string, header: string[], widths: number[]): Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = header.map((h, i) => ({ header: h, width: widths[i] ?? 14 }));
  styleHeader(ws, 1);
  return ws;
}

function clusterNumber(board: Board, code: string): number | null {
  return board.clusters.clusters.find((c) => c.memberCodes.includes(code))?.number ?? null;
}

export async function boardWorkbook(period: string): Promise<Workbook> {
  const [ExcelJS, board] = await Promise.all([excel(), get<Board>(`/api/board?period=${encodeURIComponent(period)}`)]);
  const wb = new ExcelJS.Workbook();
  const ws = sheetWith(wb, 'Bang', ['Kỳ', 'Mã', 'Tên', 'Cụm', 'Trạng thái', 'Lần nộp', 'Nộp lần đầu', 'Muộn'], [10, 8, 40, 8, 14, 10, 22, 8]);
  for (const r of board.completeness.reporters) {
    ws.addRow([period, r.organizationCode, r.organizationName, clusterNumber(board, r.organizationCode), STATE_VI[r.state] ?? r.state,
      r.latestRevision, r.firstSubmittedAt ? new Date(r.firstSubmittedAt) : null, r.late ? YES : NO]);
  }
  ws.getColumn(7).numFmt = 'yyyy-mm-dd hh:mm';
  return wb;
}

export async function totalsWorkbook(period: string, catalog: Indicator[]): Promise<Workbook> {
  const [ExcelJS, totals] = await Promise.all([excel(), get<Totals>(`/api/totals?period=${encodeURIComponent(period)}`)]);
  const wb = new ExcelJS.Workbook();
  const ws = sheetWith(wb, 'TongHop', ['Kỳ', 'Mã chỉ tiêu', 'Chỉ tiêu', 'Indicator', 'Giá trị', 'Số đơn vị báo cáo'], [10, 26, 40, 40, 14, 18]);
  for (const row of totals.totals) {
    const ind = catalog.find((i) => i.code === row.indicatorCode);
    ws.addRow([period, row.indicatorCode, ind?.labelVi ?? '', ind?.labelEn ?? '', row.value, row.reportingOrganizations]);
  }
  return wb;
}

export async function coverageWorkbook(period: string): Promise<Workbook> {
  const [ExcelJS, data] = await Promise.all([excel(), get<{ items: CoverageItem[] }>(`/api/coverage?period=${encodeURIComponent(period)}`)]);
  const wb = new ExcelJS.Workbook();
  const ws = sheetWith(wb, 'BaoPhu', ['Kỳ', 'Điều kiện', 'Số tỉnh đạt', 'Trên tổng số', 'Mã các tỉnh đạt'], [10, 36, 12, 12, 60]);
  for (const item of data.items) {
    ws.addRow([period, item.condition, item.coverage.matching, item.coverage.of, (item.coverage.matchingCodes ?? []).join(', ')]);
  }
  return wb;
}

interface CountedValues {
  indicatorCodes: string[];
  organizations: { organizationCode: string; present: boolean; values: (number | string)[] }[];
}

// Every expected reporter of the board, every indicator of the catalog: one
// row per organisation, one column per indicator (counted reports only).
export async function dataWorkbook(period: string, catalog: Indicator[]): Promise<Workbook> {
  const [ExcelJS, board] = await Promise.all([excel(), get<Board>(`/api/board?period=${encodeURIComponent(period)}`)]);
  const reporters = board.completeness.reporters;
  const counted = reporters.length
    ? await call<CountedValues>('aggregator', 'GetCountedValues', { period, organizationCodes: reporters.map((r) => r.organizationCode) })
    : { indicatorCodes: catalog.map((i) => i.code), organizations: [] };
  const wb = new ExcelJS.Workbook();
  const codes = counted.indicatorCodes;
  const ws = sheetWith(wb, 'SoLieu', ['Mã', 'Tên', 'Có báo cáo được tính', ...codes], [8, 40, 12, ...codes.map(() => 14)]);
  const byCode = new Map(counted.organizations.map((o) => [o.organizationCode, o]));
  for (const r of reporters) {
    const o = byCode.get(r.organizationCode);
    // Booleans are 1 / 0; an indicator the report did not give is left empty (NaN).
    const values = codes.map((_, i) => {
      const v = Number(o?.values?.[i]);
      return o?.present && Number.isFinite(v) ? v : null;
    });
    ws.addRow([r.organizationCode, r.organizationName, o?.present ? YES : NO, ...values]);
  }
  const labels = sheetWith(wb, 'ChiTieu', ['Mã chỉ tiêu', 'Chỉ tiêu', 'Indicator', 'Kiểu', 'Mục'], [26, 40, 40, 16, 30]);
  for (const code of codes) {
    const ind = catalog.find((i) => i.code === code);
    labels.addRow([code, ind?.labelVi ?? '', ind?.labelEn ?? '', ind ? TYPES[ind.type] ?? ind.type : '', ind ? SECTIONS[ind.section] ?? ind.section : '']);
  }
  return wb;
}

// The .xlsx downloads beside the board's CSV links.
export function nationalXlsxLinks(period: string): HTMLElement {
  const box = el('span', { class: 'xlsx-links', 'data-testid': 'xlsx-links' });
  const link = (testid: string, label: string, name: string, build: (catalog: Indicator[]) => Promise<Workbook>) => {
    const button = el('button', { type: 'button', class: 'link', 'data-testid': testid }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await download(await build((await me()).catalog.indicators), name);
        delete button.dataset.failed;
        button.title = '';
      } catch (e) {
        // Said on the button itself: the board around it stays as it was.
        button.title = `${w('downloadFailed')}: ${(e as Error).message}`;
        button.dataset.failed = 'true';
      } finally {
        button.disabled = false;
      }
    });
    return button;
  };
  append(box,
    link('xlsx-board', w('xlsxBoard'), `board-${period}.xlsx`, () => boardWorkbook(period)),
    link('xlsx-totals', w('xlsxTotals'), `totals-${period}.xlsx`, (c) => totalsWorkbook(period, c)),
    link('xlsx-coverage', w('xlsxCoverage'), `coverage-${period}.xlsx`, () => coverageWorkbook(period)),
    link('xlsx-data', w('xlsxData'), `data-${period}.xlsx`, (c) => dataWorkbook(period, c)));
  return box;
}
