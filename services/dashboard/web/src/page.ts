// What main.ts hands the clerk's and the reviewer's screens, so that they
// share its header, session and period without importing main.ts.
import { HttpError, Me } from './api';
import { append, clear, el } from './dom';
import { t } from './i18n';

export interface PageContext {
  app: HTMLElement;
  me: Me;
  // The period chosen in the header (the review queue follows it).
  period: string;
  // withPeriod = false on screens whose period is in the address.
  header: (withPeriod: boolean) => HTMLElement;
  goLogin: () => void;
}

export function isReviewer(me: Me): boolean {
  return me.role === 'ROLE_NATIONAL_REVIEWER' || me.role === 'ROLE_NATIONAL_ADMIN';
}

// "2026H1" -> "2025H2", "2026" -> "2025", "2026Q1" -> "2025Q4".
export function previousPeriod(period: string): string {
  let m = /^(\d{4})H([12])$/.exec(period);
  if (m) return m[2] === '2' ? `${m[1]}H1` : `${Number(m[1]) - 1}H2`;
  m = /^(\d{4})Q([1-4])$/.exec(period);
  if (m) return m[2] === '1' ? `${Number(m[1]) - 1}Q4` : `${m[1]}Q${Number(m[2]) - 1}`;
  m = /^(\d{4})$/.exec(period);
  return m ? String(Number(m[1]) - 1) : '';
}

export const PERIOD_RE = '(\\d{4}(?:H[12]|Q[1-4])?)';

// A refusal (403) or any other failure, in place of the screen.
export function renderProblem(ctx: PageContext, e: unknown, withPeriod = false): void {
  if (e instanceof HttpError && e.status === 401) return ctx.goLogin();
  clear(ctx.app);
  const refused = e instanceof HttpError && e.status === 403;
  append(ctx.app, ctx.header(withPeriod), el('main', {},
    el('section', { class: 'card' },
      el('p', { class: 'error', role: 'alert', 'data-testid': refused ? 'refused' : 'problem' },
        refused ? t('forbidden') : `${t('error')}: ${String((e as Error).message ?? e)}`),
      el('a', { href: '#/' }, t('home')))));
}

export function stateKeyOf(state: string | undefined): 'missing' | 'draft' | 'submitted' | 'returned' | 'accepted' {
  switch (state) {
    case 'REPORT_STATE_DRAFT': return 'draft';
    case 'REPORT_STATE_SUBMITTED': return 'submitted';
    case 'REPORT_STATE_RETURNED': return 'returned';
    case 'REPORT_STATE_ACCEPTED': return 'accepted';
    default: return 'missing';
  }
}

// The services' messages are English; the common ones are said in the
// page's language, others shown as the service wrote them.
export function describe(text: string, label: (code: string) => string, tr: (key: string) => string): string {
  let m = /^(\w+) must not be negative$/.exec(text);
  if (m) return tr('msgNegative');
  m = /^(\w+) must be a non-negative number$/.exec(text);
  if (m) return tr('msgNegative');
  m = /^(\w+) \(([-\d.e+]+)\) must not exceed (\w+) \(([-\d.e+]+)\)$/.exec(text);
  if (m) return tr('msgExceeds').replace('{other}', label(m[3])).replace('{value}', m[4]);
  m = /^(\w+) has no value/.exec(text);
  if (m) return tr('msgNoValue');
  m = /^(\w+) is ([-\d.e+]+) against ([-\d.e+]+) in (\S+); please check$/.exec(text);
  if (m) return tr('msgJump').replace('{now}', m[2]).replace('{then}', m[3]).replace('{period}', m[4]);
  if (/^tech_contest_by_union is true but tech_contest_held is not$/.test(text)) return tr('msgByUnion').replace('{held}', label('tech_contest_held'));
  if (text === 'is required' || text === 'must not be blank') return tr('msgEmpty');
  return text;
}
