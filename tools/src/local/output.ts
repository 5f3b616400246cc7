import type { Readable } from 'node:stream';

/** Console output of the local runner: every line carries the name of the part it comes from. */
const COLOURS = [36, 35, 33, 32, 34, 91, 96, 95];
const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const width = 9;

export function tag(name: string): string {
  const colour = COLOURS[[...name].reduce((a, c) => a + c.charCodeAt(0), 0) % COLOURS.length];
  const label = `[${name}]`.padEnd(width + 2);
  return useColour ? `\x1b[${colour}m${label}\x1b[0m` : label;
}

export function say(name: string, line: string): void {
  process.stdout.write(`${tag(name)} ${line}\n`);
}

export function warn(name: string, line: string): void {
  process.stderr.write(`${tag(name)} ${line}\n`);
}

/** Copies a child's output line by line, prefixed with its name. JSON log lines pass through intact. */
export function pipeLines(name: string, stream: Readable, to: NodeJS.WriteStream = process.stdout): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line) to.write(`${tag(name)} ${line}\n`);
    }
  });
  stream.on('end', () => {
    if (buffer) to.write(`${tag(name)} ${buffer}\n`);
    buffer = '';
  });
}
