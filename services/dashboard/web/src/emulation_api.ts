// The emulation service's messages (protos/federation/v1/emulation.proto and
// ballot.proto) in protobuf's JSON mapping, as POST /api/call/emulation/<Method>
// answers them, and what the emulation screens share: the year's key in the
// address, numbers, files (upload as base64, download from GetFile) and
// the service's refusals put at the fields they name.
import { call, HttpError } from './api';
import { el } from './dom';
import { ew, fmtDay, fmtNumber, t } from './i18n';
import { describe } from './page';

// Doubles arrive as numbers, or as "NaN" / "Infinity" strings.
export type Num = number | string;

export interface YearKey { organiserCode: string; year: number; clusterNumber: number }
export interface FileRef { name: string; mediaType: string; sha256: string; sizeBytes: string }
export interface Evidence { url: string; file?: FileRef; description: string }
export interface Target { code: string; value: number; note: string }
export interface Registration { organizationCode: string; targets: Target[]; aims: string[]; recordedAt?: string; recordedBy: string }
export interface Covenant {
  rules: string; planNumber: string; headCode: string; deputyCode: string; signedOn: string;
  signedDocument?: FileRef; registrations: Registration[]; recordedAt?: string; recordedBy: string;
}
export interface CriterionSelfScore { criterionCode: string; points: Num; explanation: string; evidence: Evidence[] }
export interface SelfAssessmentSheet {
  organizationCode: string; scores: CriterionSelfScore[]; revision: number; late: boolean; submittedAt?: string; submittedBy: string;
}
export interface CriterionCheck { criterionCode: string; verifiedPoints: Num; reason: string }
export interface CrossCheck {
  organizationCode: string; checks: CriterionCheck[]; checkedByCode: string; revision: number; recordedAt?: string; recordedBy: string;
}
export interface CheckAnswer { organizationCode: string; criterionCode: string; text: string; recordedAt?: string; recordedBy: string }
export interface CandidateVotes { organizationCode: string; votes: number }
export interface BallotTally {
  kind: string; heldOn: string; entitled: number; present: number; writtenOpinions: number;
  ballotsIssued: number; valid: number; invalid: number; votes: CandidateVotes[];
}
export interface BallotRule {
  kind: string; quorum: Num; threshold: Num; thresholdOf: string; moreThan: boolean; countWrittenOpinions: boolean; seats: number; basis: string;
}
export interface Ballot {
  tally: BallotTally; round: number; rule?: BallotRule; seats: number; electedCodes: string[]; tiedCodes: string[];
  outcome: string; explanation: string; recordedAt?: string; recordedBy: string;
}
export interface Conference { heldOn: string; place: string; chair: string; secretary: string }
export interface Proposal { organizationCode: string; kind: string }
export interface Document { kind: string; title: string; text: string; sha256: string }
export interface Dossier {
  revision: number; letterNumber: string; letterDate: string; signedMinutes?: FileRef; attachments: FileRef[];
  proposals: Proposal[]; documents: Document[]; submittedAt?: string; submittedBy: string; note: string;
}
export interface CouncilVote { members: number; present: number; inFavour: number; against: number; abstaining: number }
export interface CouncilReview {
  dossierRevision: number; heldOn: string; vote?: CouncilVote; approved: boolean; returnReason: string;
  explanation: string; recordedAt?: string; recordedBy: string;
}
export interface Award {
  organizationCode: string; kind: string; state: string; decisionNumber: string; decidedOn: string; signer: string;
  presentedOn: string; occasion: string; year?: YearKey;
}
export interface Decision {
  number: string; decidedOn: string; signer: string; grants: Proposal[]; forwardGovernmentFlag: boolean; recordedAt?: string; recordedBy: string;
}
export interface YearTransition { from: string; to: string; at?: string; by: string; note: string }
export interface YearMember { organizationCode: string; organizationName: string; takesPart: boolean; endedOn: string; successorCode: string }
export interface EmulationYear {
  key: YearKey; name: string; startDate: string; endDate: string; schemeYear: number; schemeVersion: number;
  rankingPeriod: string; selfAssessmentDue: string; selfAssessmentCloses: string; state: string;
  members: YearMember[]; ballotRules: BallotRule[]; registrations: Registration[]; covenant?: Covenant;
  selfAssessments: SelfAssessmentSheet[]; crossChecks: CrossCheck[]; answers: CheckAnswer[]; ballots: Ballot[];
  conference?: Conference; nextHeadCode: string; nextDeputyCode: string; dossier?: Dossier; reviews: CouncilReview[];
  decision?: Decision; awards: Award[]; revokedReason: string; transitions: YearTransition[]; revision: number; updatedAt?: string;
}
export interface AssessedCriterion {
  criterionCode: string; criterionName: string; maxPoints: Num; computedPoints: Num; hasSelf: boolean; selfPoints: Num;
  hasVerified: boolean; verifiedPoints: Num; reason: string; evidenceCount: number;
}
export interface AssessedMember {
  organizationCode: string; organizationName: string; rank: number; computedTotal: Num; selfTotal: Num; verifiedTotal: Num;
  selfAssessed: boolean; late: boolean; crossChecked: boolean; takesPart: boolean; criteria: AssessedCriterion[]; adjustments: Num;
}
export interface Assessment { key: YearKey; members: AssessedMember[]; computedAvailable: boolean }
export interface AwardsList { awards: Award[]; emulationFlags: number; meritCertificates: number }

export const STATE_ORDER = [
  'YEAR_STATE_SCHEME_ISSUED', 'YEAR_STATE_COVENANT_SIGNED', 'YEAR_STATE_IN_PROGRESS', 'YEAR_STATE_SELF_ASSESSED',
  'YEAR_STATE_CROSS_CHECKED', 'YEAR_STATE_VOTED', 'YEAR_STATE_DOSSIER_SUBMITTED', 'YEAR_STATE_COUNCIL_REVIEWED',
  'YEAR_STATE_DECIDED', 'YEAR_STATE_AWARDED',
];

// Whether the year has reached `state` (a returned dossier stands where a
// submitted one does; a revoked year passed every step).
export function reached(year: EmulationYear, state: string): boolean {
  const at = year.state === 'YEAR_STATE_DOSSIER_RETURNED' ? STATE_ORDER.indexOf('YEAR_STATE_DOSSIER_SUBMITTED')
    : year.state === 'YEAR_STATE_REVOKED' ? STATE_ORDER.length : STATE_ORDER.indexOf(year.state);
  return at >= STATE_ORDER.indexOf(state);
}

export function emu<T>(method: string, request: unknown): Promise<T> {
  return call<T>('emulation', method, request);
}

// "#/emulation/VUSTA/2025/1" <-> the key.
export function keyHash(k: YearKey): string {
  return `#/emulation/${encodeURIComponent(k.organiserCode)}/${k.year}/${k.clusterNumber}`;
}
export const YEAR_ROUTE = /^#\/emulation\/([A-Za-z0-9_.-]+)\/(\d{4})\/(\d{1,2})$/;

export function num(v: Num | undefined): number {
  if (typeof v === 'number') return v;
  return v === undefined ? NaN : Number(v);
}
export function pts(v: Num | undefined): string {
  const n = num(v);
  return isFinite(n) ? fmtNumber(n) : '—';
}

export function memberName(year: EmulationYear, code: string): string {
  const m = year.members.find((x) => x.organizationCode === code);
  return m ? `${m.organizationName} (${code})` : code;
}

export function stateBadge(state: string): HTMLElement {
  return el('span', { class: `badge emu-state emu-${state.replace('YEAR_STATE_', '').toLowerCase()}`, 'data-testid': 'year-state', 'data-state': state }, ew(state));
}

// ---------------------------------------------------------------------------
// Refusals at their fields
// ---------------------------------------------------------------------------

// The service's common complaints in the page's language; others as it
// wrote them.
export function say(text: string): string {
  let m = /^points need evidence/.exec(text);
  if (m) return ew('msgNeedEvidence');
  m = /^the member scored ([-\d.e+]+): say why it is changed$/.exec(text);
  if (m) return ew('msgNeedReason').replace('{n}', fmtNumber(Number(m[1])));
  if (/^the member gave no score here/.test(text)) return ew('msgNoSelfScore');
  m = /^must be 0\.\.([-\d.e+]+)$/.exec(text);
  if (m) return ew('msgRange').replace('{max}', fmtNumber(Number(m[1])));
  m = /^(\S+) \((.*)\) has not registered its targets$/.exec(text);
  if (m) return ew('msgNotRegistered').replace('{org}', `${m[2]} (${m[1]})`);
  if (text === 'must not be the head') return ew('msgNotHead');
  if (/^is required: upload the signed document first/.test(text)) return ew('msgUploadFirst');
  if (text === "is after the year's end") return ew('msgAfterEnd');
  m = /^(\d{4}-\d{2}-\d{2}) is in the future$/.exec(text);
  if (m) return ew('msgFuture').replace('{d}', fmtDay(m[1]));
  if (/^is required/.test(text)) return `${ew('msgRequired')} (${text})`;
  return describe(text, (code) => code, t);
}

// A field's slot: <span class="field-error" data-field="scores[1].evidence">.
export function errorSlot(key: string): HTMLElement {
  return el('span', { class: 'field-error', 'data-testid': 'field-error', 'data-field': key, role: 'alert' });
}

// Puts each violation at the nearest slot its path names: the path itself,
// then its parents ("scores[1].evidence[0].url" -> "scores[1].evidence[0]"
// -> "scores[1].evidence"), so that a problem deep in an item still lands
// beside the item. The message with no slot comes back as a sentence for
// the form's status line, with the service's message when nothing was a
// field violation (e.g. a refusal of who may do it).
export function placeRefusal(form: HTMLElement, e: unknown, prefix: string): string {
  for (const m of form.querySelectorAll<HTMLElement>('.field-error')) m.textContent = '';
  const vs = e instanceof HttpError ? e.violations : [];
  if (!vs.length) return `${ew('refused')}: ${(e as Error).message}`;
  const unplaced: string[] = [];
  for (const v of vs) {
    const key = v.field.startsWith(prefix) ? v.field.slice(prefix.length) : v.field;
    const text = say(v.description);
    let path = key;
    let slot: HTMLElement | null = null;
    while (path) {
      slot = form.querySelector<HTMLElement>(`.field-error[data-field="${CSS.escape(path)}"]`);
      if (slot) break;
      const parent = path.replace(/(\.[A-Za-z0-9_]+|\[\d+\])$/, '');
      path = parent === path ? '' : parent;
    }
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
      slot.closest('[data-field-box]')?.classList.add('has-error');
    } else {
      unplaced.push(`${key || v.field}: ${text}`);
    }
  }
  return [ew('fixMarked'), ...unplaced].join(' ');
}

// A field's complaint goes once it is edited.
export function clearOnInput(form: HTMLElement): void {
  form.addEventListener('input', (ev) => {
    const box = (ev.target as HTMLElement).closest('[data-field-box]');
    for (const msg of box?.querySelectorAll<HTMLElement>(':scope > .field-error') ?? []) msg.textContent = '';
  });
}

export function field(label: string, input: HTMLElement, key: string): HTMLElement {
  return el('div', { class: 'form-field', 'data-field-box': key },
    el('label', {}, label, ' ', input), errorSlot(key));
}

export function input(type: string, name: string, value: string | number = ''): HTMLInputElement {
  const i = el('input', { type, name, 'data-testid': `in-${name}` });
  i.value = String(value);
  if (type === 'number') i.step = 'any';
  return i;
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

export const MAX_FILE_BYTES = 3 * 1024 * 1024;

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the file'));
    reader.readAsDataURL(file);
  });
}

// Keeps a file with the year (the service names it by its SHA-256). Files
// over 3 MiB are refused here before they travel.
export async function upload(key: YearKey, file: File): Promise<FileRef> {
  if (file.size > MAX_FILE_BYTES) throw new Error(ew('fileTooBig').replace('{name}', file.name));
  if (file.size === 0) throw new Error(ew('fileEmpty').replace('{name}', file.name));
  const content = await base64Of(file);
  return emu<FileRef>('UploadFile', { key, name: file.name, mediaType: file.type || 'application/octet-stream', content });
}

// GetFile's content (base64) saved as the file it was uploaded as.
export async function download(key: YearKey, ref: FileRef): Promise<void> {
  const got = await emu<{ file: FileRef; content: string }>('GetFile', { key, sha256: ref.sha256 });
  const bytes = Uint8Array.from(atob(got.content), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: got.file.mediaType || 'application/octet-stream' }));
  const a = el('a', { href: url, download: got.file.name || ref.name || ref.sha256, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// A kept file as a button that downloads it, or a link as a link.
export function fileButton(key: YearKey, ref: FileRef, status?: HTMLElement): HTMLElement {
  const b = el('button', { type: 'button', class: 'linkish', 'data-testid': 'file-download', 'data-sha': ref.sha256 },
    ref.name || `${ref.sha256.slice(0, 12)}…`);
  b.addEventListener('click', () => {
    download(key, ref).catch((e: unknown) => {
      if (status) status.textContent = `${ew('refused')}: ${(e as Error).message}`;
    });
  });
  return b;
}

// "https://host/a/b/c.pdf" -> "host/…/c.pdf": long links would stretch the tables.
function shortUrl(url: string): string {
  const m = /^https?:\/\/([^/]+)(\/.*)?$/.exec(url);
  if (!m || !m[2] || m[2].length < 24) return url.replace(/^https?:\/\//, '');
  const last = m[2].split('/').filter(Boolean).pop() ?? '';
  return `${m[1]}/…/${last}`;
}

export function evidenceNode(key: YearKey, e: Evidence, status?: HTMLElement): HTMLElement {
  const what = e.file?.sha256 ? fileButton(key, e.file, status)
    : el('a', { href: /^https?:\/\//.test(e.url) ? e.url : '#', target: '_blank', rel: 'noopener noreferrer', title: e.url, 'data-testid': 'evidence-link' }, shortUrl(e.url));
  return el('span', { class: 'evidence' }, what, e.description ? ` — ${e.description}` : '');
}
