/** The `KeyStore` port on the book's database: api_keys rows, hashes only. */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { KeyStore, Scope, StoredKey } from '../../app/apiKeys.js';
import type { TenantId } from '../../app/ports.js';
import type { Database } from './database.js';
import * as t from './schema.js';

type KeyRow = typeof t.apiKeys.$inferSelect;

const keyOf = (r: KeyRow): StoredKey => ({
  tenant: r.tenantId as TenantId,
  id: r.id,
  name: r.name,
  scopes: r.scopes as Scope[],
  salt: r.salt,
  hash: r.hash,
  createdAt: r.createdAt,
  revokedAt: r.revokedAt ?? undefined,
});

export function keyStore(database: Database): KeyStore {
  const db = database.db;
  return {
    async insert(k) {
      await db.insert(t.apiKeys).values({ tenantId: k.tenant, id: k.id, name: k.name, scopes: [...k.scopes], salt: k.salt, hash: k.hash });
    },
    async byId(id) {
      const rows = await db.select().from(t.apiKeys).where(eq(t.apiKeys.id, id)).limit(1);
      return rows[0] === undefined ? undefined : keyOf(rows[0]);
    },
    async list(tenant) {
      const rows = await db.select().from(t.apiKeys).where(eq(t.apiKeys.tenantId, tenant)).orderBy(asc(t.apiKeys.createdAt), asc(t.apiKeys.id));
      return rows.map(keyOf);
    },
    async revoke(tenant, id) {
      const rows = await db
        .update(t.apiKeys)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(t.apiKeys.tenantId, tenant), eq(t.apiKeys.id, id), isNull(t.apiKeys.revokedAt)))
        .returning({ id: t.apiKeys.id });
      return rows.length > 0;
    },
  };
}
