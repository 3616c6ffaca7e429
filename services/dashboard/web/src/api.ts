// The dashboard_server JSON API: each body is a message of
// protos/federation/v1/dashboard.proto in protobuf's JSON mapping:
// lowerCamelCase fields, enums by name, int64 as strings, zero values and
// empty lists printed, a message field with nothing to show left out (never
// null).
export type ReportState =
  | 'REPORT_STATE_UNSPECIFIED'
  | 'REPORT_STATE_DRAFT'
  | 'REPORT_STATE_SUBMITTED'
  | 'REPORT_STATE_ACCEPTED'
  | 'REPORT_STATE_RETURNED';

export interface Indicator {
  code: string;
  labelVi: string;
  labelEn: string;
  type: string;
  section: string;
  spaceAggregation: string;
}
export interface Me {
  subject: string;
  organizationCode: string;
  role: string;
  national: boolean;
  // Today in Vietnam by the server's clock (YYYY-MM-DD), which deadlines are counted from.
  today: string;
  periods: string[];
  // Each period's reporting deadline (YYYY-MM-DD).
  dueDates: Record<string, string>;
  // The ended half-year whose deadline is nearest to today, past or coming.
  defaultPeriod: string;
  features: { rankings: boolean; contests: boolean; emulation?: boolean };
  catalog: { version: number; indicators: Indicator[] };
  // This session's anti-forgery token: sent back with every POST (setCsrfToken).
  csrfToken: string;
}
export interface ReporterStatus {
  organizationCode: string;
  organizationName: string;
  state: ReportState;
  latestRevision: number;
  firstSubmittedAt?: string;
  late: boolean;
}
export interface Cluster {
  year: number;
  number: number;
  name: string;
  memberCodes: string[];
  headCode: string;
  deputyCode: string;
}
export interface Board {
  period: string;
  sequence: string;
  completeness: {
    period: string;
    dueDate: string;
    expected: number;
    submitted: number;
    accepted: number;
    returned: number;
    timely: number;
    late: number;
    reporters: ReporterStatus[];
  };
  clusters: { clusters: Cluster[] };
}
export interface Totals {
  period: string;
  totals: { indicatorCode: string; value: number; reportingOrganizations: number }[];
  derived: boolean;
}
export interface CoverageItem {
  condition: string;
  coverage: { matching: number; of: number; matchingCodes: string[] };
}
export interface Recommendation {
  number: number;
  text: string;
  answer: string;
}
export interface IndicatorValue { code: string; count?: string; flag?: boolean; decimal?: number }
export interface Narrative {
  achievements: string;
  difficulties: string;
  recommendations: Recommendation[];
  nextPeriodTasks: string;
}
export interface Report {
  organizationCode: string;
  period: string;
  revision: number;
  state: ReportState;
  values: IndicatorValue[];
  narrative?: Narrative;
  submittedAt?: string;
  submittedBy: string;
  catalogVersion?: number;
  reviewComment: string;
  decidedAt?: string;
  decidedBy: string;
  dueDate: string;
  timely: boolean;
  receivedAt?: string;
  // How many times the draft was saved; SaveDraft answers ABORTED when it
  // moved on since it was loaded (0 = no check).
  draftVersion?: number;
}
export interface CommitteeMember {
  fullName: string;
  committee: string;
  position: string;
}
export interface Profile {
  organization: {
    code: string;
    name: string;
    shortName: string;
    activeFrom: string;
    foundedOn: string;
    status: string;
    memberCount: string;
    intellectualCount: string;
  };
  currentTerm?: {
    termNumber: number;
    startYear: number;
    endYear: number;
    extendedToYear: number;
    heldOn: string;
    state: string;
    decisionNumber: string;
    members: CommitteeMember[];
  };
  cluster?: { cluster: Cluster; role: string };
  children: { code: string; name: string }[];
}
export interface ProvincePage {
  profile: Profile;
  reports: { period: string; revisions: { revisions: Report[] } }[];
}
export interface SeriesPoint {
  period: string;
  value: number;
  present: boolean;
}
export interface ProvinceSeries {
  own: { points: SeriesPoint[] };
  // Absent when the province is in no cluster in the range's last year.
  cluster?: Cluster;
  clusterAverage: { period: string; value: number; members: number }[];
  clusterBest: { period: string; value: number }[];
}
export interface ReportChange {
  sequence: string;
  organizationCode: string;
  period: string;
  revision: number;
  state: ReportState;
  event: string;
}

export type ContestKind =
  | 'CONTEST_KIND_UNSPECIFIED'
  | 'CONTEST_KIND_PROVINCIAL_TECH'
  | 'CONTEST_KIND_YOUTH'
  | 'CONTEST_KIND_NATIONAL'
  | 'CONTEST_KIND_VIFOTEC';
// competition.proto StatisticsRow (zero values are printed).
export interface ContestRow {
  organizationCode: string;
  year: number;
  kind: ContestKind;
  field: string;
  contests: number;
  entries: number;
  prizes: number;
  nationalAwards: number;
}
// /api/contests: the year's statistics (rows per organisation, kind and
// field; totals per organisation) and, per kind, totals per organisation.
export interface ContestStats {
  year: number;
  organizationCode: string;
  statistics: { rows: ContestRow[]; totals: ContestRow[] };
  byKind: { kind: ContestKind; totals: { totals: ContestRow[] } }[];
}

// ranking.proto: one organisation's points for one criterion.
export interface CriterionPoints {
  criterionCode: string;
  rawValue: number;
  present: boolean;
  normalised: number;
  points: number;
  hasSelfPoints: boolean;
  selfPoints: number;
}
export interface RuleApplication { ruleCode: string; count: number; points: number }
export interface RankedEntry {
  organizationCode: string;
  organizationName: string;
  rank: number;
  total: number;
  breakdown: CriterionPoints[];
  adjustments: RuleApplication[];
  flagProposal: boolean;
  clusterRole: string; // "head", "deputy" or ""
  reported: boolean;
  hasSelfAssessment: boolean;
  selfTotal: number;
  // Present when the member owed no report for the period (merged before its
  // end, or formed after it): listed, not ranked.
  notExpected?: NotExpected;
}
export interface NotExpected {
  endedOn: string; // "2025-07-01"
  successorCode: string;
  successorName: string;
  startsOn: string;
  note: string;
}
export interface ClusterRanking {
  year: number;
  clusterNumber: number;
  clusterName: string;
  period: string;
  schemeVersion: number;
  rolledUp: boolean;
  entries: RankedEntry[];
  computedAt?: string;
  sourceSequence: string;
}
export interface ScoringScheme {
  year: number;
  version: number;
  name: string;
  totalPoints: number;
  criteria: { code: string; name: string; indicatorCode: string; maxPoints: number; weight: number }[];
  rules: { code: string; name: string; kind: string; points: number }[];
}
// /api/rankings: the clusters' rankings the viewer may see, and the scheme used.
export interface Rankings {
  period: string;
  rankings: { rankings: ClusterRanking[] };
  // Absent when there is no ranking or its scheme could not be read.
  scheme?: ScoringScheme;
}
export interface IndicatorComparison {
  indicatorCode: string;
  value: number;
  present: boolean;
  clusterAverage: number;
  clusterMedian: number;
  clusterBest: number;
  bestCode: string;
  rank: number;
  of: number;
}
// /api/province-ranking: CompareProvince, the province's cluster ranking, the scheme.
export interface ProvinceRanking {
  comparison: {
    organizationCode: string;
    period: string;
    year: number;
    clusterNumber: number;
    clusterName: string;
    indicators: IndicatorComparison[];
    scored: boolean;
    total: number;
    rank: number;
    of: number;
    schemeVersion: number;
  };
  // Absent when the ranking service has none for the province's cluster.
  ranking?: ClusterRanking;
  scheme: ScoringScheme;
}

// A problem the service found at one field of what was sent ("values[3]").
export interface FieldViolation {
  field: string;
  description: string;
}

export interface ValidationResult {
  valid: boolean;
  violations: FieldViolation[];
  warnings: FieldViolation[];
}
export interface OutboxStatus { pending: number; delivered: number; lastError: string; failed: number }
export interface CountedValuesResponse {
  indicatorCodes: string[];
  // A value the report did not give comes as "NaN" (protobuf JSON).
  organizations: { organizationCode: string; present: boolean; values: (number | string)[] }[];
}

export class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
    // The status code's name ("INVALID_ARGUMENT", "ABORTED", ...).
    public code = '',
    public violations: FieldViolation[] = [],
  ) {
    super(message);
  }
}

// The session's anti-forgery token (GET /api/me), sent with every POST.
let csrfToken = '';
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

async function failure(res: Response): Promise<HttpError> {
  try {
    const body = await res.json();
    return new HttpError(res.status, body.error ?? res.statusText, body.code ?? '', body.violations ?? []);
  } catch {
    return new HttpError(res.status, res.statusText);
  }
}

export async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export async function post(path: string, body: unknown): Promise<void> {
  await postJson<unknown>(path, body);
}

async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

// One gRPC method of the reporting service, the aggregator or the
// competition service, called as the
// signed-in person (POST /api/call/<service>/<Method>): `request` and the
// answer are the messages of protos/federation/v1 in protobuf's JSON mapping.
// The service's refusal arrives as an HttpError with its code and, for
// INVALID_ARGUMENT, every field violation.
export function call<T>(service: 'reporting' | 'aggregator' | 'competition' | 'emulation', method: string, request: unknown): Promise<T> {
  return postJson<T>(`/api/call/${service}/${method}`, request);
}

export function q(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
}
