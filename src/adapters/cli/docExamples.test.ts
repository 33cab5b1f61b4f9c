/**
 * The examples in README.md and docs/*.md run as written. A fenced block is marked by an HTML
 * comment on the line(s) before it (invisible on GitHub):
 *
 *   <!-- example: file PATH -->   the block is written to PATH (relative to the document's sandbox)
 *   <!-- example: run -->         each line starting with `lotsmith` (or `$ lotsmith`) is run through
 *                                 the CLI in-process; every command must exit 0
 *   <!-- example: run exit=1 -->  ... must exit 1 (the block's last command)
 *   <!-- example: output -->      the previous run block's last command printed exactly this on stdout
 *   <!-- example: stderr -->      ... on stderr
 *   <!-- example: skip REASON --> a block with lotsmith commands that is not run (a synopsis, a run of
 *                                 minutes on the full data); the reason is required
 *
 * Every document runs in its own sandbox directory (the working directory of its commands) in
 * which examples/, data/, docs/ and test/ of the repository are visible, so `--input
 * examples/households/...` works as in the repository. A block with a lotsmith command and no
 * marker fails the test, so a new example cannot be left unchecked.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from './testIo.test-util.js';
import { runCli } from './program.js';

interface Block {
  readonly marker: string | undefined;
  readonly info: string;
  readonly body: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** The fenced blocks of a markdown text, each with the example marker written before it. */
function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    const fence = open[1] as string;
    let j = i + 1;
    while (j < lines.length && !(lines[j] as string).startsWith(fence)) j++;
    let k = i - 1;
    while (k >= 0 && (lines[k] as string).trim() === '') k--;
    const m = k >= 0 ? /^<!--\s*example:\s*(.*?)\s*-->$/.exec((lines[k] as string).trim()) : null;
    out.push({ marker: m?.[1], info: (open[2] as string).trim(), body: lines.slice(i + 1, j).join('\n'), line: i + 1 });
    i = j;
  }
  return out;
}

const COMMAND = /^\s*(?:\$\s+)?lotsmith(\s|$)/;

/** A command line split into arguments: plain words and "double" or 'single' quoted ones; a trailing # comment dropped. */
function argv(line: string): string[] {
  const text = line.replace(/^\s*(?:\$\s+)?lotsmith\s*/, '');
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? (m[4] as string));
  }
  return out;
}

const DOCS = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
const REPO = process.cwd();
const sandboxRoot = mkdtempSync(join(tmpdir(), 'lotsmith-docs-'));

afterAll(() => process.chdir(REPO));

const trimEnds = (s: string): string => s.split('\n').map((l) => l.trimEnd()).join('\n').trim();

describe('examples in the docs', () => {
  for (const doc of DOCS) {
    const all = blocks(readFileSync(doc, 'utf8'));
    const marked = all.filter((b) => b.marker !== undefined && !b.marker.startsWith('skip'));
    it(`${doc}: every block with a lotsmith command is marked (run or skip with a reason)`, () => {
      const unmarked = all.filter((b) => b.marker === undefined && b.body.split('\n').some((l) => COMMAND.test(l)));
      expect(unmarked.map((b) => `${doc}:${b.line}`), 'add <!-- example: run --> or <!-- example: skip REASON --> before these blocks').toEqual([]);
      for (const b of all.filter((x) => x.marker?.startsWith('skip') === true)) expect(b.marker, `${doc}:${b.line}: a skip needs a reason`).toMatch(/^skip\s+\S/);
    });
    if (marked.length === 0) continue;
    it(`${doc}: its examples run as written`, async () => {
      const sandbox = join(sandboxRoot, doc.replace(/[/.]/g, '_'));
      mkdirSync(sandbox, { recursive: true });
      for (const shared of ['examples', 'data', 'docs', 'test']) symlinkSync(resolve(REPO, shared), join(sandbox, shared));
      process.chdir(sandbox);
      let last: { command: string; out: string; err: string } | undefined;
      try {
        for (const b of marked) {
          const where = `${doc}:${b.line}`;
          const [kind, ...rest] = (b.marker as string).split(/\s+/);
          if (kind === 'file') {
            const path = join(sandbox, rest.join(' '));
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, b.body.endsWith('\n') ? b.body : `${b.body}\n`);
          } else if (kind === 'run') {
            const exit = Number(/exit=(\d+)/.exec(rest.join(' '))?.[1] ?? 0);
            const commands = b.body.split('\n').filter((l) => COMMAND.test(l));
            expect(commands.length, `${where}: a run block needs a lotsmith command`).toBeGreaterThan(0);
            for (const [n, command] of commands.entries()) {
              const io = captureIo();
              const code = await runCli(argv(command), { ...io.io, cwd: sandbox });
              last = { command, out: io.out(), err: io.err() };
              const expected = n === commands.length - 1 ? exit : 0;
              expect(code, `${where}: \`${command}\` exited ${code}\n${last.err}`).toBe(expected);
            }
          } else if (kind === 'output' || kind === 'stderr') {
            expect(last, `${where}: output before any run block`).toBeDefined();
            const got = kind === 'output' ? last?.out : last?.err;
            expect(trimEnds(got ?? ''), `${where}: what \`${last?.command}\` printed`).toBe(trimEnds(b.body));
          } else throw new Error(`${where}: unknown example marker "${b.marker}"`);
        }
      } finally {
        process.chdir(REPO);
      }
    });
  }
});
