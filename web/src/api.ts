/**
 * The dashboard's client of /api/v1 (docs/api.md): the key from sessionStorage on every request,
 * the error shape turned into ApiError, and the response shapes the pages read.
 */
import type { Decimal } from './format.js';

const KEY = 'lotsmith.apiKey';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  signIn: (key: string): void => sessionStorage.setItem(KEY, key.trim()),
  signOut: (): void => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string; readonly path?: string };
}

async function request(method: string, path: string, body?: unknown, key = session.key()): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.ok) return res;
  let detail: ErrorBody = {};
  try {
    detail = (await res.json()) as ErrorBody;
  } catch {
    // a proxy's HTML error page: the status says enough
  }
  const e = detail.error;
  if (res.status === 401) window.dispatchEvent(new CustomEvent('lotsmith:unauthorized'));
  throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.path);
}

export async function get<T>(path: string): Promise<T> {
  return (await (await request('GET', path)).json()) as T;
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  return (await (await request('POST', path, body)).json()) as T;
}

/** A download (CSV, TXF) as text and the file name the server suggests. */
export async function download(path: string): Promise<{ text: string; filename: string | undefined }> {
  const res = await request('GET', path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename="?([^";]+)"?/.exec(disposition);
  return { text: await res.text(), filename: m?.[1] };
}

/** Checks a key before keeping it. */
export async function whoAmI(key: string): Promise<Me> {
  return (await (await request('GET', '/me', undefined, key)).json()) as Me;
}

/** Every page of a list (limit 500 per request). */
export async function all<T>(path: string, cap = 20_000): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page: Page<T> = await get<Page<T>>(`${path}${sep}limit=500${after !== null ? `&after=${encodeURIComponent(after)}` : ''}`);
    items.push(...page.items);
    after = page.next;
  } while (after !== null && items.length < cap);
  return items;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

export interface Me {
  readonly tenant: string;
  readonly keyId: string;
  readonly scopes: readonly string[];
}

export interface HouseholdSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly filingStatus: string | null;
  readonly accounts: number | readonly unknown[];
  readonly eventCount: number;
  readonly lastEventDate: string | null;
}

export interface Account {
  readonly id: string;
  readonly type: string;
  readonly owner?: string | null;
  readonly lotMethod?: string | null;
  readonly custodian?: string | null;
  readonly externalNumber?: string | null;
  readonly title?: string | null;
}

export interface HouseholdDetail {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly accounts: readonly Account[];
  readonly eventCount: number;
  readonly lastEventDate: string | null;
}

export interface OpenLot {
  readonly account: string;
  readonly symbol: string;
  readonly lotId: string;
  readonly shares: Decimal;
  readonly acquiredDate: string;
  readonly adjustedAcquisitionDate: string;
  readonly adjustedBasis: Decimal;
  readonly washAdjustment: Decimal;
  readonly term?: string | null;
  readonly price: Decimal | null;
  readonly marketValue: Decimal | null;
  readonly unrealizedGainLoss: Decimal | null;
}

export interface LotsResponse {
  readonly asOf: string | null;
  readonly tradingDay?: string | null;
  readonly notes?: readonly string[];
  readonly openLots: readonly OpenLot[];
  readonly cash: Readonly<Record<string, Decimal>>;
}

export interface Disposition {
  readonly saleEventId: string;
  readonly account: string;
  readonly symbol: string;
  readonly lotId: string;
  readonly shares: Decimal;
  readonly dateSold: string;
  readonly proceeds: Decimal;
  readonly costBasis: Decimal;
  readonly realizedGainLoss: Decimal;
  readonly disallowedLoss: Decimal;
  readonly reportedGainLoss: Decimal;
  readonly term: string;
}

export interface GainsResponse {
  readonly year: number | null;
  readonly dispositions: readonly Disposition[];
}

export interface WashBlock {
  readonly account: string;
  readonly symbol: string;
  /** What is blocked: buying the security (after a loss sale), or selling it at a loss (after a purchase). */
  readonly blocks?: 'purchase' | 'loss_sale';
  readonly blockedThrough: string;
  readonly reason: string;
  readonly eventId?: string;
  readonly eventDate?: string;
}

export interface WashCalendar {
  /** The day the calendar is for (the latest close, or the book's last event when later). */
  readonly date: string;
  readonly items: readonly WashBlock[];
}

export interface ProposalOrder {
  readonly line: number;
  readonly side: 'buy' | 'sell';
  readonly account: string;
  readonly symbol: string;
  readonly shares: Decimal;
  readonly price: Decimal;
  readonly rule: string;
  readonly lossSale: boolean;
  readonly amount?: Decimal;
  readonly lots?: readonly { readonly lotId: string; readonly shares: Decimal }[];
}

export interface Economics {
  readonly benefit?: Decimal;
  readonly spreadCost?: Decimal;
  readonly commission?: Decimal;
  readonly opportunityCost?: Decimal;
  readonly net?: Decimal;
}

export interface ProposalCandidate {
  readonly account: string;
  readonly symbol: string;
  readonly lotId: string;
  readonly verdict: string;
  readonly loss: Decimal;
  readonly why: string;
  readonly term?: string;
  readonly replacement?: string | null;
  readonly economics?: Economics | null;
}

export type ProposalStatus = 'proposed' | 'approved' | 'rejected' | 'expired' | 'superseded' | 'sent' | 'partially_filled' | 'filled' | 'cancelled';

export interface Proposal {
  readonly id: string;
  readonly household: string;
  readonly runDate: string;
  readonly status: ProposalStatus;
  readonly version: number;
  readonly benefit: Decimal;
  readonly reason: string | null;
  readonly orders: readonly ProposalOrder[];
  readonly notes: readonly string[];
  readonly candidates: readonly ProposalCandidate[];
}

export interface Run {
  readonly id: string;
  readonly runDate: string;
  readonly status: string;
  readonly households: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly totals: { readonly screened: number; readonly decided: number; readonly proposals: number; readonly errors: number };
}

export interface PreviewSale {
  readonly account: string;
  readonly symbol: string;
  readonly lotId: string;
  readonly shares: Decimal;
  readonly price?: Decimal;
  readonly proceeds: Decimal;
  readonly basis: Decimal;
  readonly gain: Decimal;
  readonly disallowed?: Decimal;
  readonly term: string;
  readonly taxable?: boolean;
}

export interface PreviewWash {
  readonly account: string;
  readonly symbol: string;
  readonly lotId: string;
  readonly loss: Decimal;
  readonly disallowed: Decimal;
  readonly permanent: boolean;
  readonly replacement: { readonly account?: string; readonly date: string; readonly eventId?: string; readonly [k: string]: unknown };
  readonly why: string;
}

export interface TaxPreview {
  readonly date: string;
  readonly tradingDay: string;
  readonly sales: readonly PreviewSale[];
  readonly proceeds: Decimal;
  readonly realized: { readonly shortTerm: Decimal; readonly longTerm: Decimal };
  /** Null when the household has no tax profile to compute tax with (the notes say so). */
  readonly tax: { readonly year: number; readonly before: Decimal; readonly after: Decimal; readonly change: Decimal } | null;
  readonly washSales: readonly PreviewWash[];
  /** A purchase of a sold security through this day would wash the sale's losses. */
  readonly washWindowEnd: string | null;
  readonly notes: readonly string[];
}

export interface BacktestJob {
  readonly id: string;
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly progress?: number | { readonly done: number; readonly total: number } | null;
  readonly error?: string | null;
}
