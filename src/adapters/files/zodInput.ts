/**
 * JSON documents checked with zod schemas, under the field-name rule of fieldNames.ts: keys of
 * known fields may be snake_case, `x_` keys are the user's own and dropped, every other key is an
 * UNKNOWN_FIELD issue with its full path as written and a suggestion. Strict object schemas
 * (`z.strictObject`) are what make unknown keys errors; this module makes the errors say where.
 *
 *   decodeDocument(Schema, doc, 'case.json')  → value | issues like
 *   "case.json, field settings.lotSelecton: unknown field (did you mean "lotSelection"?); ..."
 *
 * Paths are reported as the user wrote them: `settings.lot_selection`, not the canonical name.
 */
import type { z } from 'zod';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { camelField, isExtraField, unknownFieldIssue } from './fieldNames.js';

type Schema = z.ZodType;
type Def = { readonly type: string; readonly [k: string]: unknown };
type Path = readonly PropertyKey[];

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas a value at one position is checked against, wrappers (optional, default, pipes, unions) removed. */
function variants(s: Schema, out: Schema[] = [], depth = 0): Schema[] {
  if (depth > 32) return out;
  const d = defOf(s);
  switch (d.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return variants(d['innerType'] as Schema, out, depth + 1);
    case 'pipe':
      return variants(d['in'] as Schema, out, depth + 1);
    case 'lazy':
      return variants((d['getter'] as () => Schema)(), out, depth + 1);
    case 'union':
      for (const o of d['options'] as Schema[]) variants(o, out, depth + 1);
      return out;
    case 'intersection':
      variants(d['left'] as Schema, out, depth + 1);
      return variants(d['right'] as Schema, out, depth + 1);
    default:
      out.push(s);
      return out;
  }
}

function shapesOf(schemas: readonly Schema[]): Record<string, Schema>[] {
  const out: Record<string, Schema>[] = [];
  for (const s of schemas) for (const v of variants(s)) if (defOf(v).type === 'object') out.push(defOf(v)['shape'] as Record<string, Schema>);
  return out;
}

function childSchemas(schemas: readonly Schema[], key: PropertyKey): Schema[] {
  const out: Schema[] = [];
  for (const s of schemas) {
    for (const v of variants(s)) {
      const d = defOf(v);
      if (d.type === 'object') {
        const c = (d['shape'] as Record<string, Schema>)[String(key)];
        if (c !== undefined) out.push(c);
      } else if (d.type === 'record') out.push(d['valueType'] as Schema);
      else if (d.type === 'array') out.push(d['element'] as Schema);
      else if (d.type === 'tuple') {
        const item = (d['items'] as Schema[])[Number(key)];
        if (item !== undefined) out.push(item);
      }
    }
  }
  return out;
}

/** The keys the object schemas at `path` know (for suggestions). */
function knownKeysAt(root: Schema, path: Path): string[] {
  let at: Schema[] = [root];
  for (const p of path) at = childSchemas(at, p);
  return [...new Set(shapesOf(at).flatMap((s) => Object.keys(s)))];
}

/** What a key was written as, per normalized object. */
type Spellings = WeakMap<object, Map<string, string>>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The document with snake_case keys of known fields renamed, `x_` keys dropped (where the schema
 * has an object, never inside records, whose keys are data such as account ids), and every
 * field given twice (`lotMethod` and `lot_method`) reported.
 */
function normalize(value: unknown, schemas: readonly Schema[], spellings: Spellings, path: Path, issues: Issue[], file: string): unknown {
  if (schemas.length === 0) return value;
  if (Array.isArray(value)) return value.map((v, i) => normalize(v, childSchemas(schemas, i), spellings, [...path, i], issues, file));
  if (!isPlainObject(value)) return value;
  const shapes = shapesOf(schemas);
  if (shapes.length === 0) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v, childSchemas(schemas, k), spellings, [...path, k], issues, file);
    return out;
  }
  const known = new Set(shapes.flatMap((s) => Object.keys(s)));
  const out: Record<string, unknown> = {};
  const written = new Map<string, string>();
  for (const [k, v] of Object.entries(value)) {
    if (!known.has(k) && isExtraField(k)) continue;
    const camel = known.has(k) ? k : camelField(k);
    const name = known.has(camel) ? camel : k;
    const first = written.get(name);
    if (first !== undefined) {
      issues.push(issue('BAD_VALUE', `given twice, as "${first}" and "${k}"`, { file, field: pathText([...path, k]) }));
      continue;
    }
    written.set(name, k);
    out[name] = normalize(v, childSchemas(schemas, name), spellings, [...path, k], issues, file);
  }
  spellings.set(out, written);
  return out;
}

function pathText(path: Path): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** The path as the user wrote it, following the normalized document. */
function writtenPath(root: unknown, path: Path, spellings: Spellings): Path {
  const out: PropertyKey[] = [];
  let node: unknown = root;
  for (const p of path) {
    const spelt = typeof node === 'object' && node !== null ? spellings.get(node)?.get(String(p)) : undefined;
    out.push(typeof p === 'number' ? p : (spelt ?? p));
    node = typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[p] : undefined;
  }
  return out;
}

interface RawIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
  readonly errors?: readonly (readonly RawIssue[])[];
}

/** A union's failure as the failure of its closest branch (fewest problems, a wrong type at the top last). */
function flatten(i: RawIssue, base: Path): RawIssue[] {
  const path = [...base, ...i.path];
  if (i.code !== 'invalid_union' || i.errors === undefined || i.errors.length === 0) return [{ ...i, path }];
  const score = (branch: readonly RawIssue[]): number =>
    branch.length + (branch.some((b) => b.path.length === 0 && b.code === 'invalid_type') ? 1000 : 0);
  const best = [...i.errors].sort((a, b) => score(a) - score(b))[0] as readonly RawIssue[];
  if (score(best) >= 1000) return [{ ...i, path }];
  return best.flatMap((b) => flatten(b, path));
}

export interface DocumentContext {
  /** The schema that produced the error: unknown keys get suggestions from it. */
  readonly schema?: Schema;
  /** The input as validated, with the spellings it was normalized from. */
  readonly input?: unknown;
  readonly spellings?: Spellings;
  /** Where the document sits in its file, e.g. ["harvest"] for a case file's harvest section. */
  readonly base?: Path;
}

/**
 * zod's issues as Lotsmith issues naming the file and field path; one UNKNOWN_FIELD issue per
 * unknown key. Without a schema, unknown keys get no suggestion.
 */
export function zodIssues(error: z.ZodError, file: string, context: DocumentContext = {}): Issue[] {
  const base = context.base ?? [];
  const spellings = context.spellings ?? new WeakMap();
  const out: Issue[] = [];
  for (const raw of error.issues as unknown as RawIssue[]) {
    for (const i of flatten(raw, [])) {
      const spelt = [...base, ...writtenPath(context.input, i.path, spellings)];
      const field = pathText(spelt);
      const at = field === '' ? { file } : { file, field };
      if (i.code === 'unrecognized_keys') {
        const known = context.schema === undefined ? [] : knownKeysAt(context.schema, i.path);
        for (const key of i.keys ?? []) out.push(unknownFieldIssue(key, known, { file, field: pathText([...spelt, key]) }));
        continue;
      }
      const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
      out.push(issue(missing ? 'MISSING_FIELD' : 'BAD_VALUE', missing ? 'is required' : i.message, at));
    }
  }
  return out;
}

/**
 * Checks a parsed JSON document against a strict schema. `what` says what the whole document must
 * be ("a household case: a JSON object {...}") when it is not even an object.
 */
export function decodeDocument<S extends Schema>(schema: S, doc: unknown, file: string, what: string, base: Path = []): Result<z.output<S>> {
  if (!isPlainObject(doc)) {
    const field = pathText(base);
    return { ok: false, issues: [issue('BAD_VALUE', `must be ${what}, got ${describeJson(doc)}`, field === '' ? { file } : { file, field })] };
  }
  const spellings: Spellings = new WeakMap();
  const issues: Issue[] = [];
  const input = normalize(doc, [schema], spellings, base, issues, file);
  const parsed = schema.safeParse(input);
  if (!parsed.success) issues.push(...zodIssues(parsed.error, file, { schema, input, spellings, base }));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data as z.output<S> };
}

/** "null", "an array", "a number" — what a JSON value is, for messages. */
export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  return `a ${typeof v}`;
}
