// The competition service's messages (protos/federation/v1/competition.proto)
// in protobuf's JSON mapping, as POST /api/call/competition/<Method> answers
// them, and the words of the contest screens (kept here, Vietnamese first
// like the page, so that the contest screens live in their own files).
import { call, FieldViolation, HttpError } from './api';
import { getLang } from './i18n';

export type ContestState =
  | 'CONTEST_STATE_UNSPECIFIED'
  | 'CONTEST_STATE_DRAFT'
  | 'CONTEST_STATE_OPEN'
  | 'CONTEST_STATE_JUDGING'
  | 'CONTEST_STATE_CLOSED'
  | 'CONTEST_STATE_AWARDED';
export const STATES: ContestState[] = [
  'CONTEST_STATE_DRAFT', 'CONTEST_STATE_OPEN', 'CONTEST_STATE_JUDGING', 'CONTEST_STATE_CLOSED', 'CONTEST_STATE_AWARDED',
];
export type Prize = 'PRIZE_UNSPECIFIED' | 'PRIZE_NONE' | 'PRIZE_FIRST' | 'PRIZE_SECOND' | 'PRIZE_THIRD' | 'PRIZE_CONSOLATION';

// Doubles arrive as numbers, or as "NaN" / "Infinity" strings.
export type Num = number | string;

export interface Criterion { code: string; name: string; weight: number; maxPoints: number }
export interface PrizeStructure { first: number; second: number; third: number; consolation: number; minScore: number }
export interface Contest {
  id: string;
  kind: string;
  organizerCode: string;
  level: string;
  edition: number;
  year: number;
  title: string;
  fields: string[];
  registrationOpens: string;
  registrationCloses: string;
  judgingOpens: string;
  judgingCloses: string;
  prizes?: PrizeStructure;
  criteria: Criterion[];
  minJudgesPerEntry: number;
  state: ContestState;
  entryCount: number;
  updatedAt?: string;
  updatedBy: string;
  scoreRule: string;
}
export interface Author { name: string; role: string; age: number; school: string }
export interface Entry {
  id: string;
  contestId: string;
  title: string;
  authors: Author[];
  sourceOrganizationCode: string;
  sourceProvinceCode: string;
  field: string;
  summary: string;
  submittedAt?: string;
  withdrawn: boolean;
  withdrawalReason: string;
  nominatedFromEntryId: string;
  judgeSubjects: string[];
}
export interface Judge { contestId: string; subject: string; name: string; organizationCode: string; fields: string[]; assigned: number }
export interface CriterionScore { criterionCode: string; points: number }
export interface ScoreSheet {
  entryId: string;
  judgeSubject: string;
  scores: CriterionScore[];
  comment: string;
  total: number;
  revision: number;
  updatedAt?: string;
}
export interface Assignment { entry: Entry; sheet?: ScoreSheet }
export interface Assignments { assignments: Assignment[]; criteria: Criterion[] }
export interface Result {
  entry: Entry;
  sheets: number;
  finalScore: Num;
  rank: number;
  tiedWith: string[];
  prize: Prize;
  rule: string;
  mean: Num;
  median: Num;
  sd: Num;
  minTotal: Num;
  maxTotal: Num;
  intervalLow: Num;
  intervalHigh: Num;
  disagreement: boolean;
  calibratedScore: Num;
  calibratedSe: Num;
  boundaryUncertain: boolean;
}
export interface JudgeStatistics {
  judgeSubject: string;
  sheets: number;
  mean: Num;
  offset: Num;
  offsetLow: Num;
  offsetHigh: Num;
  toughnessShare: Num;
}
export interface PanelAgreement { field: string; entries: number; krippendorffAlpha: Num; icc: Num; iccForm: string }
export interface Results {
  contest: Contest;
  results: Result[];
  tieNotes: string[];
  calibrationAvailable: boolean;
  calibrationNote: string;
  judges: JudgeStatistics[];
  agreement: PanelAgreement[];
  residualSd: Num;
  boundaryNotes: string[];
}
export interface StateChange { from: ContestState; to: ContestState; at?: string; actor: string; note: string }

export function competition<T>(method: string, request: unknown): Promise<T> {
  return call<T>('competition', method, request);
}

// A protobuf double as a number (NaN for "NaN" and anything unreadable).
export function num(v: Num | undefined): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v === undefined ? NaN : Number(v);
}

// Two decimals at most, in the page's language; "—" for what is undefined.
export function fmt(v: Num | undefined, digits = 2): string {
  const n = num(v);
  if (!isFinite(n)) return '—';
  return new Intl.NumberFormat(getLang() === 'en' ? 'en-US' : 'vi-VN', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

// The violations the service found, by the field path it gave
// ("sheet.scores[1].points", "contest.criteria[0].max_points").
export function violationsOf(e: unknown): FieldViolation[] {
  return e instanceof HttpError ? e.violations : [];
}

export function nextState(s: ContestState): ContestState | null {
  const i = STATES.indexOf(s);
  return i >= 0 && i < STATES.length - 1 ? STATES[i + 1] : null;
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

const vi = {
  contests: 'Hội thi, cuộc thi',
  myAssignments: 'Bài được phân công chấm',
  noAssignments: 'Chưa có bài nào được phân công cho bạn.',
  progress: 'Đã chấm {done}/{n} bài',
  scored: 'Đã chấm (lần {r})',
  notScored: 'Chưa chấm',
  score: 'Chấm bài',
  revise: 'Sửa phiếu',
  view: 'Xem phiếu',
  entry: 'Bài dự thi',
  field: 'Lĩnh vực',
  source: 'Đơn vị',
  summary: 'Tóm tắt',
  authors: 'Tác giả',
  criterion: 'Tiêu chí',
  weight: 'Hệ số',
  maxPoints: 'Điểm tối đa',
  points: 'Điểm',
  comment: 'Nhận xét',
  total: 'Tổng điểm (có hệ số)',
  submitSheet: 'Gửi phiếu chấm',
  submitRevision: 'Gửi phiếu đã sửa',
  sheetSaved: 'Đã gửi phiếu chấm (lần {r}). Có thể sửa cho đến khi kết thúc chấm.',
  sheetRefused: 'Phiếu chưa được nhận; xem các ô được đánh dấu.',
  sheetReadOnly: 'Hội thi đang ở trạng thái “{state}”: phiếu chỉ xem, không sửa được nữa.',
  outOfBounds: 'Phải từ 0 đến {max}.',
  twoDecimals: 'Tối đa hai chữ số thập phân.',
  required: 'Cần nhập điểm.',
  backToAssignments: '← Danh sách bài được phân công',
  backToContest: '← Về hội thi',
  backToContests: '← Danh sách hội thi',
  sending: 'Đang gửi…',
  loading: 'Đang tải…',
  // states
  CONTEST_STATE_DRAFT: 'Đang chuẩn bị',
  CONTEST_STATE_OPEN: 'Đang nhận bài',
  CONTEST_STATE_JUDGING: 'Đang chấm',
  CONTEST_STATE_CLOSED: 'Đã kết thúc chấm',
  CONTEST_STATE_AWARDED: 'Đã trao giải',
  CONTEST_KIND_PROVINCIAL_TECH: 'Hội thi Sáng tạo Kỹ thuật tỉnh',
  CONTEST_KIND_YOUTH: 'Cuộc thi STTTNNĐ',
  CONTEST_KIND_NATIONAL: 'Hội thi Sáng tạo Kỹ thuật toàn quốc',
  CONTEST_KIND_VIFOTEC: 'Giải thưởng VIFOTEC',
  PRIZE_FIRST: 'Giải Nhất',
  PRIZE_SECOND: 'Giải Nhì',
  PRIZE_THIRD: 'Giải Ba',
  PRIZE_CONSOLATION: 'Giải Khuyến khích',
  PRIZE_NONE: 'Không có giải',
  PRIZE_UNSPECIFIED: '',
  SCORE_RULE_TRIMMED_MEAN: 'Trung bình (bỏ điểm cao nhất và thấp nhất khi có từ 5 phiếu)',
  SCORE_RULE_UNSPECIFIED: 'Trung bình (bỏ điểm cao nhất và thấp nhất khi có từ 5 phiếu)',
  SCORE_RULE_CALIBRATED: 'Điểm hiệu chỉnh (loại bỏ độ khắt khe/dễ dãi của từng giám khảo)',
  // results
  results: 'Kết quả chấm',
  minutes: 'Biên bản kết quả chấm',
  rank: 'Hạng',
  sheets: 'Số phiếu',
  official: 'Điểm chính thức',
  rule: 'Cách tính',
  median: 'Trung vị',
  sd: 'Độ lệch chuẩn',
  range: 'Thấp nhất – cao nhất',
  interval: 'Khoảng tin cậy 95%',
  disagreement: 'Giám khảo bất đồng',
  calibrated: 'Điểm hiệu chỉnh (tham khảo)',
  calibratedOfficial: 'Điểm hiệu chỉnh (chính thức)',
  prize: 'Giải',
  boundary: 'Ranh giới giải không rõ',
  flagDisagree: 'bất đồng',
  flagBoundary: 'sát ranh giới',
  CONTEST_STATE_UNSPECIFIED: '(mới tạo)',
  msgOutside: '{v} nằm ngoài khoảng 0 đến {max}.',
  yes: 'Có',
  calibrationUnavailable: 'Không có điểm hiệu chỉnh: {why}',
  judgesStats: 'Giám khảo',
  judge: 'Giám khảo',
  mean: 'Điểm trung bình',
  offset: 'Độ lệch so với chất lượng bài',
  offsetInterval: 'Khoảng 95% của độ lệch',
  toughness: 'Tỷ lệ phiếu thấp hơn chất lượng bài',
  agreement: 'Mức đồng thuận của hội đồng',
  panel: 'Hội đồng',
  wholeContest: 'Toàn hội thi',
  entriesWith2: 'Bài có ≥ 2 phiếu',
  alpha: 'Krippendorff alpha',
  icc: 'ICC',
  iccForm: 'Dạng ICC',
  residualSd: 'Độ phân tán của một phiếu quanh điểm hiệu chỉnh: {sd} điểm.',
  tieNotes: 'Đồng hạng',
  boundaryNotes: 'Ranh giới giải chưa phân định được',
  exportCsv: 'Tải kết quả (CSV)',
  exportXlsx: 'Tải kết quả (Excel)',
  print: 'In biên bản',
  award: 'Trao giải theo kết quả này',
  awarded: 'Đã trao giải.',
  resultsNotYet: 'Kết quả có khi kết thúc chấm.',
  signatures: 'Chủ tịch hội đồng giám khảo          Thư ký          Đại diện ban tổ chức',
  printedAt: 'Lập lúc {time}',
  noResults: 'Chưa có bài nào được chấm.',
  // organiser
  newContest: 'Tạo hội thi mới',
  create: 'Tạo hội thi',
  kind: 'Loại',
  level: 'Cấp',
  edition: 'Lần thứ',
  year: 'Năm',
  title: 'Tên hội thi',
  fieldsHelp: 'Các lĩnh vực (mỗi dòng một lĩnh vực)',
  registrationOpens: 'Nhận bài từ',
  registrationCloses: 'Nhận bài đến',
  judgingOpens: 'Chấm từ',
  judgingCloses: 'Chấm đến',
  criteria: 'Tiêu chí chấm',
  code: 'Mã',
  name: 'Tên',
  addCriterion: 'Thêm tiêu chí',
  remove: 'Bỏ',
  prizes: 'Cơ cấu giải',
  first: 'Nhất',
  second: 'Nhì',
  third: 'Ba',
  consolation: 'Khuyến khích',
  minScore: 'Điểm tối thiểu để có giải',
  minJudges: 'Số giám khảo mỗi bài',
  scoreRule: 'Điểm chính thức',
  formRefused: 'Chưa tạo được: xem các ô được đánh dấu.',
  state: 'Trạng thái',
  entries: 'Bài dự thi',
  noEntries: 'Chưa có bài dự thi.',
  nextStep: 'Bước tiếp theo',
  moveTo: 'Chuyển sang “{state}”',
  stillNeeded: 'Còn thiếu trước khi chuyển:',
  readyFor: 'Đủ điều kiện để chuyển sang “{state}”.',
  force: 'Kết thúc chấm dù còn bài chưa đủ phiếu (các bài đó không được xếp hạng)',
  note: 'Ghi chú (lưu vào lịch sử)',
  finalState: 'Hội thi đã trao giải; không còn bước nào.',
  needEntries: 'Chưa có bài dự thi nào.',
  needJudges: 'Chưa có giám khảo nào.',
  needAssign: '{n} bài chưa đủ {m} giám khảo được phân công.',
  needSheets: '{n} bài chưa đủ {m} phiếu chấm: {list}.',
  needPrizes: 'Cơ cấu giải cần {p} giải nhưng chỉ có {n} bài.',
  needCalibration: 'Điểm chính thức là điểm hiệu chỉnh: các giám khảo cần chấm chung một số bài.',
  draftNeeds: 'Kiểm tra tiêu chí, lĩnh vực, thời hạn; sau khi mở, tiêu chí và lĩnh vực không đổi được nữa.',
  judgesPanels: 'Giám khảo và hội đồng',
  subject: 'Tài khoản đăng nhập',
  organization: 'Đơn vị',
  addJudge: 'Thêm giám khảo',
  assigned: 'Số bài được phân',
  autoAssign: 'Phân công tự động',
  autoAssigned: 'Đã thêm {n} phân công.',
  matrix: 'Bảng phân công (giám khảo × bài)',
  matrixHelp: '✓ đã phân công (bấm để bỏ), + có thể phân công (bấm để thêm), ✕ xung đột lợi ích (cùng đơn vị), · không thuộc hội đồng lĩnh vực.',
  load: 'Số bài',
  conflictsAvoided: 'Xung đột lợi ích đã tránh: {n}.',
  judgesOfEntry: 'Số GK',
  history: 'Lịch sử trạng thái',
  nominate: 'Đề cử lên cấp trên',
  nominateTo: 'Đề cử vào',
  nominated: 'Đã đề cử bài {id} (bài mới số {nid}).',
  noTarget: 'Chưa có hội thi cấp trên nào đang nhận bài.',
  openResults: 'Xem kết quả chấm',
  addEntry: 'Thêm bài dự thi',
  newEntry: 'Đăng ký bài dự thi',
  entryTitle: 'Tên giải pháp',
  sourceOrg: 'Đơn vị gửi bài (mã)',
  receivedOn: 'Ngày nhận (bài nộp giấy)',
  authorName: 'Họ và tên',
  authorRole: 'Vai trò (chủ nhiệm, đồng tác giả)',
  age: 'Tuổi',
  school: 'Trường',
  addAuthor: 'Thêm tác giả',
  youthNote: 'Cuộc thi STTTNNĐ: tuổi (6–35) và trường của từng tác giả là bắt buộc; chỉ ban tổ chức và tỉnh gửi bài được xem.',
  register: 'Đăng ký bài',
  entryRefused: 'Bài chưa được nhận: xem các ô được đánh dấu.',
  entrySaved: 'Đã nhận bài số {id}: “{title}”. Có thể đăng ký bài tiếp theo.',
  notOpen: 'Hội thi đang ở trạng thái “{state}”: chỉ nhận bài khi hội thi đang nhận bài.',
  ownEntriesOnly: 'Tỉnh chỉ đăng ký được bài của các đơn vị trong tỉnh mình.',
  withdraw: 'Rút bài',
  withdrawReason: 'Lý do rút bài',
  confirmWithdraw: 'Xác nhận rút bài',
  cancel: 'Thôi',
  withdrawnMark: 'Đã rút: {reason}',
  edit: 'Sửa thông tin hội thi',
  editContest: 'Sửa: {title}',
  saveContest: 'Lưu thay đổi',
  saveRefused: 'Chưa lưu: xem các ô được đánh dấu.',
  rulesFixed: 'Hội thi đang ở trạng thái “{state}”: lĩnh vực, tiêu chí và cách tính điểm chính thức đã cố định; tên, thời hạn, cơ cấu giải và số giám khảo mỗi bài vẫn sửa được.',
  editAwarded: 'Hội thi đã trao giải; hồ sơ không sửa được nữa.',
  newEntries: 'Hội thi hiện có {n} bài dự thi (có bài mới hoặc trạng thái đã đổi).',
  showNew: 'Xem',
  done: 'Xong.',
  refused: 'Bị từ chối',
};
type Key = keyof typeof vi;
const en: Record<Key, string> = {
  contests: 'Contests',
  myAssignments: 'Entries assigned to me',
  noAssignments: 'No entry is assigned to you yet.',
  progress: 'Scored {done} of {n}',
  scored: 'Scored (revision {r})',
  notScored: 'Not scored',
  score: 'Score',
  revise: 'Revise',
  view: 'View sheet',
  entry: 'Entry',
  field: 'Field',
  source: 'From',
  summary: 'Summary',
  authors: 'Authors',
  criterion: 'Criterion',
  weight: 'Weight',
  maxPoints: 'Maximum',
  points: 'Points',
  comment: 'Comment',
  total: 'Weighted total',
  submitSheet: 'Submit score sheet',
  submitRevision: 'Submit revised sheet',
  sheetSaved: 'Score sheet submitted (revision {r}). You can revise it until judging closes.',
  sheetRefused: 'The sheet was not accepted; see the marked fields.',
  sheetReadOnly: 'The contest is “{state}”: the sheet can be read, no longer revised.',
  outOfBounds: 'Must be between 0 and {max}.',
  twoDecimals: 'At most two decimals.',
  required: 'Points are required.',
  backToAssignments: '← My assignments',
  backToContest: '← Back to the contest',
  backToContests: '← Contests',
  sending: 'Sending…',
  loading: 'Loading…',
  CONTEST_STATE_DRAFT: 'Draft',
  CONTEST_STATE_OPEN: 'Open for entries',
  CONTEST_STATE_JUDGING: 'Judging',
  CONTEST_STATE_CLOSED: 'Judging closed',
  CONTEST_STATE_AWARDED: 'Awarded',
  CONTEST_KIND_PROVINCIAL_TECH: 'Provincial technical innovation contest',
  CONTEST_KIND_YOUTH: 'Youth creativity contest',
  CONTEST_KIND_NATIONAL: 'National technical innovation contest',
  CONTEST_KIND_VIFOTEC: 'VIFOTEC award',
  PRIZE_FIRST: 'First prize',
  PRIZE_SECOND: 'Second prize',
  PRIZE_THIRD: 'Third prize',
  PRIZE_CONSOLATION: 'Consolation prize',
  PRIZE_NONE: 'No prize',
  PRIZE_UNSPECIFIED: '',
  SCORE_RULE_TRIMMED_MEAN: 'Mean (highest and lowest dropped from 5 sheets)',
  SCORE_RULE_UNSPECIFIED: 'Mean (highest and lowest dropped from 5 sheets)',
  SCORE_RULE_CALIBRATED: 'Calibrated score (each judge’s toughness or leniency taken out)',
  results: 'Results',
  minutes: 'Minutes of the jury',
  rank: 'Rank',
  sheets: 'Sheets',
  official: 'Official score',
  rule: 'Rule',
  median: 'Median',
  sd: 'SD',
  range: 'Min – max',
  interval: '95% interval',
  disagreement: 'Judges disagree',
  calibrated: 'Calibrated score (advisory)',
  calibratedOfficial: 'Calibrated score (official)',
  prize: 'Prize',
  boundary: 'Prize boundary uncertain',
  flagDisagree: 'disagree',
  flagBoundary: 'near a boundary',
  CONTEST_STATE_UNSPECIFIED: '(new)',
  msgOutside: '{v} is outside 0 to {max}.',
  yes: 'Yes',
  calibrationUnavailable: 'No calibrated score: {why}',
  judgesStats: 'Judges',
  judge: 'Judge',
  mean: 'Mean',
  offset: 'Offset from quality',
  offsetInterval: '95% interval of the offset',
  toughness: 'Share of sheets below quality',
  agreement: 'Agreement of the panels',
  panel: 'Panel',
  wholeContest: 'Whole contest',
  entriesWith2: 'Entries with ≥ 2 sheets',
  alpha: 'Krippendorff’s alpha',
  icc: 'ICC',
  iccForm: 'ICC form',
  residualSd: 'Spread of a sheet around the calibrated score: {sd} points.',
  tieNotes: 'Ties',
  boundaryNotes: 'Prize boundaries the data cannot draw',
  exportCsv: 'Download results (CSV)',
  exportXlsx: 'Download results (Excel)',
  print: 'Print the minutes',
  award: 'Award prizes by these results',
  awarded: 'Prizes awarded.',
  resultsNotYet: 'Results exist once judging is closed.',
  signatures: 'Chair of the jury          Secretary          For the organiser',
  printedAt: 'Drawn up {time}',
  noResults: 'No entry has been scored.',
  newContest: 'New contest',
  create: 'Create contest',
  kind: 'Kind',
  level: 'Level',
  edition: 'Edition',
  year: 'Year',
  title: 'Title',
  fieldsHelp: 'Fields (one per line)',
  registrationOpens: 'Entries from',
  registrationCloses: 'Entries until',
  judgingOpens: 'Judging from',
  judgingCloses: 'Judging until',
  criteria: 'Scoring criteria',
  code: 'Code',
  name: 'Name',
  addCriterion: 'Add criterion',
  remove: 'Remove',
  prizes: 'Prizes',
  first: 'First',
  second: 'Second',
  third: 'Third',
  consolation: 'Consolation',
  minScore: 'Lowest score for a prize',
  minJudges: 'Judges per entry',
  scoreRule: 'Official score',
  formRefused: 'Not created: see the marked fields.',
  state: 'State',
  entries: 'Entries',
  noEntries: 'No entries yet.',
  nextStep: 'Next step',
  moveTo: 'Move to “{state}”',
  stillNeeded: 'Still needed before moving on:',
  readyFor: 'Ready to move to “{state}”.',
  force: 'Close judging even though some entries lack sheets (they stay unranked)',
  note: 'Note (kept in the history)',
  finalState: 'The contest is awarded; there is no further step.',
  needEntries: 'No entries yet.',
  needJudges: 'No judges yet.',
  needAssign: '{n} entries have fewer than {m} judges assigned.',
  needSheets: '{n} entries have fewer than {m} score sheets: {list}.',
  needPrizes: 'The prize structure asks for {p} prizes but there are only {n} entries.',
  needCalibration: 'The official score is calibrated: judges must have scored entries in common.',
  draftNeeds: 'Check criteria, fields and windows: once open, criteria and fields cannot change.',
  judgesPanels: 'Judges and panels',
  subject: 'Login (subject)',
  organization: 'Organisation',
  addJudge: 'Add judge',
  assigned: 'Assigned',
  autoAssign: 'Assign automatically',
  autoAssigned: '{n} assignments added.',
  matrix: 'Assignments (judges × entries)',
  matrixHelp: '✓ assigned (click to remove), + may be assigned (click to add), ✕ conflict of interest (same organisation), · not on the field’s panel.',
  load: 'Load',
  conflictsAvoided: 'Conflicts of interest avoided: {n}.',
  judgesOfEntry: 'Judges',
  history: 'State history',
  nominate: 'Nominate upward',
  nominateTo: 'Nominate to',
  nominated: 'Entry {id} nominated (new entry {nid}).',
  noTarget: 'No higher-level contest is open for entries.',
  openResults: 'See the results',
  addEntry: 'Add entry',
  newEntry: 'Register an entry',
  entryTitle: 'Title of the entry',
  sourceOrg: 'Source organisation (code)',
  receivedOn: 'Received on (paper entries)',
  authorName: 'Full name',
  authorRole: 'Role (lead, co-author)',
  age: 'Age',
  school: 'School',
  addAuthor: 'Add author',
  youthNote: 'Youth contest: each author’s age (6–35) and school are required; only the organisers and the entry’s province see them.',
  register: 'Register entry',
  entryRefused: 'The entry was not accepted: see the marked fields.',
  entrySaved: 'Entry {id} received: “{title}”. You can register the next one.',
  notOpen: 'The contest is “{state}”: entries are registered only while it is open for entries.',
  ownEntriesOnly: 'A province registers only entries from its own organisations.',
  withdraw: 'Withdraw',
  withdrawReason: 'Reason for withdrawing',
  confirmWithdraw: 'Confirm withdrawal',
  cancel: 'Cancel',
  withdrawnMark: 'Withdrawn: {reason}',
  edit: 'Edit the contest',
  editContest: 'Edit: {title}',
  saveContest: 'Save changes',
  saveRefused: 'Not saved: see the marked fields.',
  rulesFixed: 'The contest is “{state}”: fields, criteria and the official score are fixed; title, windows, prizes and judges per entry can still change.',
  editAwarded: 'The contest is awarded; its record can no longer change.',
  newEntries: 'The contest now has {n} entries (new ones arrived or its state changed).',
  showNew: 'Show',
  done: 'Done.',
  refused: 'Refused',
};

export function w(key: string): string {
  const table = (getLang() === 'en' ? en : vi) as Record<string, string>;
  return table[key] ?? (vi as Record<string, string>)[key] ?? key;
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

export function isOrganiserOf(me: { role: string; organizationCode: string }, c: Contest): boolean {
  return me.role === 'ROLE_NATIONAL_ADMIN' || (me.role === 'ROLE_PROVINCE_REPORTER' && me.organizationCode === c.organizerCode);
}

// Entries come in while a contest is open, registered by its organiser or
// by a province for its own entries (the service checks which).
export function mayRegisterIn(me: { role: string; organizationCode: string }, c: Contest): boolean {
  return c.state === 'CONTEST_STATE_OPEN' && (isOrganiserOf(me, c) || me.role === 'ROLE_PROVINCE_REPORTER');
}

// Withdrawn by the organiser or by the entry's own province, while the
// contest is open or judging.
export function mayWithdraw(me: { role: string; organizationCode: string }, c: Contest, e: Entry): boolean {
  if (e.withdrawn || (c.state !== 'CONTEST_STATE_OPEN' && c.state !== 'CONTEST_STATE_JUDGING')) return false;
  return isOrganiserOf(me, c) || (me.role === 'ROLE_PROVINCE_REPORTER' &&
    (e.sourceProvinceCode === me.organizationCode || e.sourceOrganizationCode === me.organizationCode));
}
