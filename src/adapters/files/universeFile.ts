/**
 * The universe file (data/universe.json, or a user's replacement): JSON validated with zod and
 * turned into the core Universe. Unknown keys are errors, so a misspelt field is reported rather
 * than silently ignored. Every problem names the file and the JSON path, e.g.
 * "data/universe.json, field classes[0].securities[1].expenseRatioBps: Invalid input: expected
 * number, received string [BAD_VALUE]".
 *
 * readUniverse decodes only (the `universe` command shows a universe even when checkUniverse
 * objects); loadUniverse also runs checkUniverse, for callers that will trade on it.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import type { Issue, Result } from '../../core/kernel/errors.js';
import { symbol } from '../../core/ledger/household.js';
import { checkUniverse, type AssetClass, type Universe, type UniverseSecurity } from '../../core/securities/universe.js';
import { isoDay as date } from './fieldSchemas.js';
import { readJsonFile } from './inputText.js';
import { decodeDocument } from './zodInput.js';

export const DEFAULT_UNIVERSE_FILE = fileURLToPath(new URL('../../../data/universe.json', import.meta.url));

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'not a month in YYYY-MM form');
const sourced = z.strictObject({ value: z.number().finite(), source: z.string().min(1) });

const SecuritySchema = z.strictObject({
  symbol: z.string().regex(/^[A-Z0-9.-]+$/, 'upper-case ticker'),
  name: z.string().min(1),
  issuer: z.string().min(1),
  index: z.string().min(1),
  formerIndexes: z.array(z.strictObject({ index: z.string().min(1), until: date })).default([]),
  expenseRatioBps: z.number().min(0).max(500),
  expenseRatioSource: z.string().min(1),
  halfSpreadBps: z.number().min(0).max(500),
  priceData: z.boolean(),
  note: z.string().optional(),
});

const ClassSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case id of letters, digits and _'),
  name: z.string().min(1),
  kind: z.enum(['stocks', 'bonds']),
  expectedReturn: sourced,
  volatility: sourced.refine((v) => v.value > 0, { message: 'volatility must be positive', path: ['value'] }),
  securities: z.array(SecuritySchema).min(1),
  correlations: z
    .array(z.strictObject({ a: z.string(), b: z.string(), value: z.number().min(-1).max(1), months: z.number().int().positive(), from: month, to: month }))
    .default([]),
});

const UniverseSchema = z.strictObject({
  version: z.literal(1),
  description: z.string().optional(),
  statisticsThrough: date,
  statisticsMethod: z.string().optional(),
  spreadMethod: z.string().optional(),
  classes: z.array(ClassSchema).min(1),
  riskScores: z.strictObject({
    source: z.string().min(1),
    points: z.array(z.strictObject({ riskScore: z.number().finite(), weights: z.record(z.string(), z.number()) })).min(2),
  }),
});

type SecurityDoc = z.infer<typeof SecuritySchema>;
type ClassDoc = z.infer<typeof ClassSchema>;

function toSecurity(s: SecurityDoc): UniverseSecurity {
  return {
    symbol: symbol(s.symbol),
    name: s.name,
    issuer: s.issuer,
    index: s.index,
    formerIndexes: s.formerIndexes.map((f) => ({ index: f.index, until: parseDay(f.until) as Day })),
    expenseRatioBps: s.expenseRatioBps,
    expenseRatioSource: s.expenseRatioSource,
    halfSpreadBps: s.halfSpreadBps,
    priceData: s.priceData,
    ...(s.note !== undefined ? { note: s.note } : {}),
  };
}

function toClass(c: ClassDoc): AssetClass {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    expectedReturn: c.expectedReturn,
    volatility: c.volatility,
    securities: c.securities.map(toSecurity),
    correlations: c.correlations.map((p) => ({ ...p, a: symbol(p.a), b: symbol(p.b) })),
  };
}

/** Decodes a parsed universe document; structural problems only (see checkUniverse for the rules). */
export function decodeUniverse(doc: unknown, file: string): Result<Universe> {
  const parsed = decodeDocument(UniverseSchema, doc, file, 'a universe: a JSON object {"version": 1, "statisticsThrough": ..., "classes": [...], "riskScores": {...}} (docs/universe.md)');
  if (!parsed.ok) return parsed;
  const u = parsed.value;
  return {
    ok: true,
    value: {
      classes: u.classes.map(toClass),
      riskScores: u.riskScores.points.map((p) => ({ riskScore: p.riskScore, weights: new Map(Object.entries(p.weights)) })),
      statisticsThrough: parseDay(u.statisticsThrough) as Day,
    },
  };
}

export function readUniverse(path: string = DEFAULT_UNIVERSE_FILE): Result<Universe> {
  const doc = readJsonFile(path);
  return doc.ok ? decodeUniverse(doc.value, path) : doc;
}

/** checkUniverse's issues pointed at the file and at the JSON path the risk points have there. */
export function universeIssuesIn(file: string, issues: readonly Issue[]): Issue[] {
  return issues.map((i) => ({ ...i, at: { ...i.at, file, ...(i.at.field ? { field: i.at.field.replace(/^riskScores\[/, 'riskScores.points[') } : {}) } }));
}

/** Reads and checks a universe; any checkUniverse issue makes it unusable. */
export function loadUniverse(path: string = DEFAULT_UNIVERSE_FILE): Result<Universe> {
  const read = readUniverse(path);
  if (!read.ok) return read;
  const issues = universeIssuesIn(path, checkUniverse(read.value));
  return issues.length > 0 ? { ok: false, issues } : read;
}
