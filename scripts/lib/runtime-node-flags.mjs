// The V8 flags the images' runtime stage starts node with, read from the Dockerfile where they are
// set: ENV NODE_OPTIONS and the flags on CMD before the script.
// The image build makes the code cache under exactly these (scripts/code-cache.mjs --dockerfile).
import { readFileSync } from 'node:fs';

/** @returns {string[]} */
export function runtimeNodeFlags(dockerfilePath) {
  const text = readFileSync(dockerfilePath, 'utf8');
  const start = text.search(/^FROM\s+\S+\s+AS\s+runtime\s*$/im);
  if (start < 0) throw new Error(`${dockerfilePath}: no \`FROM … AS runtime\` stage`);
  const runtime = text.slice(start);
  const nodeOptions = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(runtime);
  const cmd = /^CMD (\[.*\])$/m.exec(runtime);
  if (!cmd) throw new Error(`${dockerfilePath}: the runtime stage has no CMD in exec form`);
  const argv = JSON.parse(cmd[1]);
  if (argv[0] !== 'node') throw new Error(`${dockerfilePath}: the runtime CMD does not start node: ${cmd[1]}`);
  const fromEnv = (nodeOptions?.[1] ?? '').split(/\s+/).filter(Boolean);
  return [...fromEnv, ...argv.slice(1, -1)];
}
