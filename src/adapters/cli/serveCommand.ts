/**
 * `lotsmith serve` (the HTTP API and the dashboard over the book), `lotsmith start` (the same on a
 * demo book seeded on first start: what `npm start` runs) and `lotsmith keys create|list|revoke`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createApiKey, SCOPES, type Scope } from '../../app/apiKeys.js';
import { formatDay } from '../../core/kernel/calendar.js';
import { resolvePriceDir, PACKAGE_ROOT, SAMPLE_PRICES, PRICE_HELP } from '../files/priceDirectory.js';
import { buildApp } from '../http/app.js';
import { DEMO_TENANT, demoKey, seedDemo } from '../http/demoSeed.js';
import { openService } from '../http/service.js';
import { openDatabase, StoreUnavailable, storeTarget, describeTarget } from '../store/database.js';
import { keyStore } from '../store/keyStore.js';
import { UsageError, type CliIo } from './io.js';
import { addStoreOptions, withDatabase, type StoreFlags } from './storeOptions.js';

export const DEFAULT_WEB_DIR = join(PACKAGE_ROOT, 'web', 'dist');

interface ServeFlags {
  readonly data?: string;
  readonly db?: string;
  readonly port: string;
  readonly host: string;
  readonly web?: string;
}

const portOf = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port: "${text}" is not a port number`);
  return n;
};

function scopesOf(text: string): Scope[] {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = list.find((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad !== undefined || list.length === 0) throw new UsageError(`--scope: "${bad ?? text}" is not ${SCOPES.join(', ')} (or a comma-separated list of them)`);
  return list as Scope[];
}

/** Serves until SIGINT/SIGTERM; `prepare` runs once the service is up and before it listens (the demo seed). */
async function serve(io: CliIo, o: ServeFlags & { prices?: string }, prepare?: (service: Awaited<ReturnType<typeof openService>>, dataDir: string | undefined) => Promise<string[]>): Promise<number> {
  const port = portOf(o.port);
  const target = storeTarget({ db: o.db, data: o.data, env: io.env, cwd: io.cwd });
  let database;
  try {
    database = await openDatabase(target, { poolSize: 10 });
  } catch (err) {
    if (err instanceof StoreUnavailable) {
      io.err(`lotsmith: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const found = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
  if (!found.ok && o.prices !== undefined) throw new UsageError(found.message);
  const pricesDir = found.ok ? found.dir : existsSync(SAMPLE_PRICES) ? SAMPLE_PRICES : undefined;
  const service = await openService(database, { pricesDir, onJobError: (err) => io.err(`lotsmith: a run batch failed: ${String(err)}\n`) });
  const stop = async (): Promise<void> => {
    await service.stop();
    await database.close();
  };
  try {
    const lines = prepare === undefined ? [] : await prepare(service, target.kind === 'pglite' ? target.dir : undefined);
    const app = await buildApp(service.deps, { webDir: o.web ?? DEFAULT_WEB_DIR });
    const address = await app.listen({ port, host: o.host });
    io.err(`lotsmith: serving ${describeTarget(target)} at ${address}\n`);
    io.out([`Dashboard: ${address}/`, `API:       ${address}/api/v1   (docs: ${address}/docs, OpenAPI: ${address}/openapi.json)`, ...lines, 'Stop with Ctrl-C.', ''].join('\n'));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.err('lotsmith: stopping\n');
    await app.close();
    return 0;
  } finally {
    await stop();
  }
}

export function registerServeCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const serveOptions = (cmd: Command): Command =>
    cmd
      .option('--data <dir>', 'embedded book (PGlite) directory (default: $LOTSMITH_DATA or ./.lotsmith)')
      .option('--db <url>', 'PostgreSQL connection string (default: $DATABASE_URL when set)')
      .option('--port <port>', 'port to listen on', '8080')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--web <dir>', `the dashboard's built files (default: ${DEFAULT_WEB_DIR})`)
      .option('--prices <dir>', 'price directory for backtest jobs (and the demo book) (default: $LOTSMITH_PRICES, ../shared/data/prices, else the compact sample in the clone)');

  serveOptions(program.command('serve').description('serve the HTTP API (/api/v1, /docs, /openapi.json) and the dashboard over the book until stopped')).action(async (o: ServeFlags & { prices?: string }) => {
    setExit(await serve(io, o));
  });

  serveOptions(
    program
      .command('start')
      .description('serve a demo book: seeded on first start (example and generated households on real prices, the daily harvest run), its key printed')
      .option('--clients <n>', 'generated client households on first start', '40'),
  ).action(async (o: ServeFlags & { prices?: string; clients: string }) => {
    const clients = Number(o.clients);
    if (!Number.isInteger(clients) || clients < 0) throw new UsageError(`--clients: "${o.clients}" is not a whole number`);
    const found = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
    if (!found.ok && o.prices !== undefined) throw new UsageError(found.message);
    const pricesDir = found.ok ? found.dir : existsSync(SAMPLE_PRICES) ? SAMPLE_PRICES : undefined;
    setExit(
      await serve(io, o, async (service, dataDir) => {
        const seeded = await seedDemo(service, { pricesDir, clients, progress: (l) => io.err(`lotsmith: ${l}\n`) });
        if (seeded.seeded) io.err(`lotsmith: demo book seeded from ${pricesDir ?? 'no price data'}\n`);
        for (const p of seeded.problems) io.err(`lotsmith: note: ${p}\n`);
        const key = await demoKey(service, dataDir);
        const lines = [`Demo key:  ${key}   (tenant ${DEMO_TENANT}; read, trade, admin)`];
        const latest = await service.deps.prices.latestDate();
        if (latest === undefined) {
          lines.push(`No price data: the book has no closes, so lots are not valued and no harvest runs.\nAdd prices with \`lotsmith start --prices DIR\` on a fresh data directory, or \`lotsmith prices import FILE --date D\`.\n${PRICE_HELP}`);
        } else {
          lines.push(`Latest close in the book: ${formatDay(latest)}${seeded.runId !== undefined ? ` (daily harvest run ${seeded.runId})` : ''}`);
        }
        return lines;
      }),
    );
  });

  const keys = program.command('keys').description("API keys of a tenant (stored hashed; a key is shown once)");
  addStoreOptions(
    keys
      .command('create')
      .description('create an API key and print it (the only time it is shown)')
      .requiredOption('--scope <scopes>', `comma-separated: ${SCOPES.join(', ')}`)
      .option('--name <name>', 'what the key is for', 'key'),
  ).action(async (o: StoreFlags & { scope: string; name: string }) => {
    const scopes = scopesOf(o.scope);
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        const created = await createApiKey(keyStore(database), { tenant, name: o.name, scopes });
        if (!created.ok) throw new UsageError(created.issues.map((i) => i.message).join('; '));
        io.err(`lotsmith: key ${created.value.id} for tenant ${tenant} (${scopes.join(', ')}); keep it now, it is not shown again\n`);
        io.out(`${created.value.key}\n`);
        return 0;
      }),
    );
  });
  addStoreOptions(keys.command('list').description("the tenant's keys (ids, names, scopes; never secrets)")).action(async (o: StoreFlags) => {
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        for (const k of await keyStore(database).list(tenant)) io.out(`${k.id}  ${k.name}  ${k.scopes.join(',')}  created ${k.createdAt}${k.revokedAt !== undefined ? `  revoked ${k.revokedAt}` : ''}\n`);
        return 0;
      }),
    );
  });
  addStoreOptions(keys.command('revoke').description('revoke a key by its id').argument('<id>', 'the key id (lsk_<id>_…)')).action(async (id: string, o: StoreFlags) => {
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        if (!(await keyStore(database).revoke(tenant, id))) {
          io.err(`lotsmith: tenant ${tenant} has no active key ${id}\n`);
          return 1;
        }
        io.out(`key ${id} revoked\n`);
        return 0;
      }),
    );
  });
}
