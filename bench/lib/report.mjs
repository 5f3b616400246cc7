// The table `npm run bench` prints, and the JSON it writes.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class Report {
  constructor(machine) {
    this.machine = machine;
    this.rows = [];
    this.details = {};
    this.notes = [];
  }

  /**
   * One row: `figure` is what is printed; `met` true/false against `target`, or null when the row
   * is informational (no target in the issue).
   */
  row(section, measure, figure, target, met, data = {}) {
    const row = { section, measure, figure, target, met, ...data };
    this.rows.push(row);
    console.log(`[bench] ${section} ${measure}: ${figure}${target ? ` (target ${target}: ${met === null ? 'info' : met ? 'met' : 'NOT met'})` : ''}`);
    return row;
  }

  failed(section, measure, err) {
    this.rows.push({ section, measure, figure: `failed: ${err.message.split('\n')[0]}`, target: '', met: false, error: err.stack });
    console.error(`[bench] ${section} ${measure} failed:\n${err.stack}`);
  }

  note(text) {
    this.notes.push(text);
  }

  table() {
    const header = ['#', 'measure', 'figure', 'target', 'met'];
    const body = this.rows.map((r) => [
      r.section,
      r.measure,
      r.figure,
      r.target || '—',
      r.met === null || r.met === undefined ? '—' : r.met ? 'yes' : 'NO',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => String(row[i]).length)));
    const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
    const m = this.machine;
    return [
      `Agora bench — ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.postgres}, load average at start ${m.loadAverageStart.join(' ')}`,
      ...(m.argon2ReferenceMs
        ? [
            `machine reference (argon2id m=19 MiB t=2 p=1, ms per hash; the same work in every run, so it moves with the machine only): ` +
              `${m.argon2ReferenceMs.start} at start, ${m.argon2ReferenceMs.end ?? '—'} at the end`,
          ]
        : []),
      '',
      line(header),
      widths.map((w) => '-'.repeat(w)).join('-|-'),
      ...body.map(line),
      ...(this.notes.length ? ['', ...this.notes.map((n) => `note: ${n}`)] : []),
    ].join('\n');
  }

  async write(file) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ machine: this.machine, rows: this.rows, details: this.details, notes: this.notes }, null, 2) + '\n');
  }
}
