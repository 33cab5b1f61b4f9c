/**
 * API keys: each belongs to one tenant and grants scopes. A key is `lsk_<id>_<secret>`; only a
 * scrypt hash of the secret is stored (with its own salt), so the key is shown once, when created,
 * and a copy of the database does not give access. Checking a key costs one scrypt (tens of
 * milliseconds by design): callers keep verified keys for a short while (`KeyCache`) instead of
 * paying it on every request.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { issue, type Result } from '../core/kernel/errors.js';
import type { TenantId } from './ports.js';

export const SCOPES = ['read', 'trade', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** What a scope grants beyond itself: trade includes read. */
export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes(needed) || (needed === 'read' && held.includes('trade'));
}

export interface StoredKey {
  readonly tenant: TenantId;
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly salt: string;
  readonly hash: string;
  readonly createdAt: string;
  readonly revokedAt: string | undefined;
}

export interface KeyStore {
  insert(key: Omit<StoredKey, 'createdAt' | 'revokedAt'>): Promise<void>;
  /** Any tenant's key by its public id: the key names its tenant. */
  byId(id: string): Promise<StoredKey | undefined>;
  list(tenant: TenantId): Promise<readonly StoredKey[]>;
  /** False when the tenant has no such (unrevoked) key. */
  revoke(tenant: TenantId, id: string): Promise<boolean>;
}

export interface Principal {
  readonly tenant: TenantId;
  readonly keyId: string;
  readonly scopes: readonly Scope[];
}

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_PATTERN = /^lsk_([0-9a-f]{16})_([0-9a-f]{48})$/;

async function hashSecret(secret: string, salt: Buffer): Promise<Buffer> {
  return scrypt(secret, salt, 32, SCRYPT);
}

export async function createApiKey(keys: KeyStore, req: { readonly tenant: TenantId; readonly name: string; readonly scopes: readonly Scope[] }): Promise<Result<{ readonly id: string; readonly key: string; readonly scopes: readonly Scope[] }>> {
  const scopes = [...new Set(req.scopes)];
  if (scopes.length === 0) return { ok: false, issues: [issue('MISSING_FIELD', `name at least one scope (${SCOPES.join(', ')})`, { field: 'scopes' })] };
  const bad = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad !== undefined) return { ok: false, issues: [issue('BAD_VALUE', `"${bad}" is not a scope (${SCOPES.join(', ')})`, { field: 'scopes' })] };
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(24).toString('hex');
  const salt = randomBytes(16);
  const hash = await hashSecret(secret, salt);
  await keys.insert({ tenant: req.tenant, id, name: req.name, scopes, salt: salt.toString('hex'), hash: hash.toString('hex') });
  return { ok: true, value: { id, key: `lsk_${id}_${secret}`, scopes } };
}

/** The tenant and scopes of a key, or undefined for a malformed, unknown, wrong or revoked key. */
export async function authenticate(keys: KeyStore, key: string): Promise<Principal | undefined> {
  const m = KEY_PATTERN.exec(key);
  if (m === null) return undefined;
  const stored = await keys.byId(m[1] as string);
  if (stored === undefined || stored.revokedAt !== undefined) return undefined;
  const expected = Buffer.from(stored.hash, 'hex');
  const actual = await hashSecret(m[2] as string, Buffer.from(stored.salt, 'hex'));
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  return { tenant: stored.tenant, keyId: stored.id, scopes: stored.scopes };
}

/**
 * Verified keys kept for `ttlMs`, so a client's requests do not each pay a scrypt. A key revoked
 * through this process is dropped at once; one revoked by another process stops working within the TTL.
 */
export class KeyCache {
  private readonly entries = new Map<string, { readonly principal: Principal; readonly until: number }>();

  constructor(
    private readonly keys: KeyStore,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly max = 10_000,
  ) {}

  async check(key: string): Promise<Principal | undefined> {
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.until > this.now()) return hit.principal;
    this.entries.delete(key);
    const principal = await authenticate(this.keys, key);
    if (principal !== undefined) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(key, { principal, until: this.now() + this.ttlMs });
    }
    return principal;
  }

  forget(keyId: string): void {
    for (const [k, v] of this.entries) if (v.principal.keyId === keyId) this.entries.delete(k);
  }
}
