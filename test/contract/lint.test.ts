// Two maintained OpenAPI linters judge the merged public API (openapi/agora.json), each with its
// configuration beside the document: Redocly CLI's recommended rules (openapi/redocly.yaml, accepted
// findings in openapi/.redocly.lint-ignore.yaml) and Spectral's `spectral:oas`
// (openapi/.spectral.yaml). Every finding fails the test, warnings included: a finding is either
// fixed or exempted in the configuration with its reason. The failure message names the operation
// of each finding (`GET /api/v1/users/{id}: operation-summary: ...`), so a new operation without a
// `@summary` is found at once.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const CONTRACT = 'openapi/agora.json';

interface Finding {
  linter: string;
  rule: string;
  severity: string;
  message: string;
  /** JSON path segments into the document. */
  at: string[];
}

/** `GET /api/v1/users/{id}: ` for a finding inside an operation, else the JSON path. */
export function where(at: string[]): string {
  const verbs = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  if (at[0] === 'paths' && at[1]) {
    if (at[2] && verbs.includes(at[2])) return `${at[2].toUpperCase()} ${at[1]}`;
    return `path ${at[1]}`;
  }
  return at.join('.') || '(document)';
}

function fromPointer(pointer: string): string[] {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describeAll(findings: Finding[]): string {
  return findings.map((f) => `${f.linter} ${f.severity} ${where(f.at)}: ${f.rule}: ${f.message}`).join('\n');
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'agora-lint-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Runs a linter that exits non-zero when it finds something; the findings are in its output file. */
async function lint(bin: string, args: string[]): Promise<void> {
  try {
    await run(path.join(BIN, bin), args, { cwd: ROOT, maxBuffer: 32 * 1024 * 1024, timeout: 120_000 });
  } catch (err) {
    // A finding makes both exit 1; the report still has to be there and is judged below.
    if ((err as { code?: number }).code !== 1) throw err;
  }
}

describe(`${CONTRACT} passes two OpenAPI linters`, () => {
  it('Redocly CLI (recommended rules): no error, no warning', async () => {
    // Redocly prints its JSON report on stdout (it has no output-file option for lint).
    let stdout: string;
    try {
      ({ stdout } = await run(path.join(BIN, 'redocly'), ['lint', CONTRACT, '--config', 'openapi/redocly.yaml', '--format', 'json'], {
        cwd: ROOT,
        maxBuffer: 32 * 1024 * 1024,
        timeout: 120_000,
      }));
    } catch (err) {
      const e = err as { code?: number; stdout?: string };
      if (e.code !== 1 || !e.stdout) throw err;
      stdout = e.stdout;
    }
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number; ignored: number };
      problems: Array<{ ruleId: string; severity: string; message: string; ignored?: boolean; location?: Array<{ pointer?: string }> }>;
    };
    const findings: Finding[] = report.problems
      .filter((p) => !p.ignored)
      .map((p) => ({ linter: 'redocly', rule: p.ruleId, severity: p.severity, message: p.message, at: fromPointer(p.location?.[0]?.pointer ?? '') }));
    expect(
      findings,
      `Redocly findings (fix them, e.g. add a one-line \`@summary\` JSDoc tag, or exempt them in openapi/redocly.yaml with a reason):\n${describeAll(findings)}`,
    ).toEqual([]);
    expect(report.totals.errors + report.totals.warnings).toBe(0);
    // The accepted findings are the ambiguous paths listed, with their reason, in the ignore file.
    const ignoreFile = await readFile(path.join(ROOT, 'openapi/.redocly.lint-ignore.yaml'), 'utf8');
    expect(report.totals.ignored).toBe(ignoreFile.split('\n').filter((l) => /^\s+- '#\//.test(l)).length);
  }, 180_000);

  it('Spectral (spectral:oas): no finding of any severity', async () => {
    const out = path.join(tmp, 'spectral.json');
    await lint('spectral', ['lint', CONTRACT, '--ruleset', 'openapi/.spectral.yaml', '--format', 'json', '--output', out, '--fail-severity', 'hint']);
    const results = JSON.parse(await readFile(out, 'utf8')) as Array<{ code: string; severity: number; message: string; path: string[] }>;
    const severities = ['error', 'warn', 'info', 'hint'];
    const findings: Finding[] = results.map((r) => ({
      linter: 'spectral',
      rule: String(r.code),
      severity: severities[r.severity] ?? String(r.severity),
      message: r.message,
      at: r.path.map(String),
    }));
    expect(findings, `Spectral findings (fix them, or exempt the rule in openapi/.spectral.yaml with a reason):\n${describeAll(findings)}`).toEqual(
      [],
    );
  }, 180_000);

  it('names the operation of a finding', () => {
    expect(where(['paths', '/api/v1/users/{id}', 'get', 'summary'])).toBe('GET /api/v1/users/{id}');
    expect(where(fromPointer('#/paths/~1api~1v1~1posts~1{id}~1like/post/responses'))).toBe('POST /api/v1/posts/{id}/like');
    expect(where(['components', 'schemas', 'X'])).toBe('components.schemas.X');
  });
});
