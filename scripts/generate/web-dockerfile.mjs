// Step 10: web/Dockerfile's base image and first stages (manifests, deps, mesh), copied from the
// root Dockerfile as step 9 renders it. They must be the same instructions for the classic builder's cache to serve the
// web image's dependency install and mesh build from the service images' build; a separate file is
// kept because the classic builder builds every stage before the target, so one file holding both
// would make every service image build the web app too. Only the block between the markers in
// web/Dockerfile is rendered; render() writes nothing, `npm run generate` writes, `--check` compares.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceBlock, withoutBlockMarkers } from '../lib/generated-block.mjs';
import { render as renderServiceLists } from './service-lists.mjs';

export const GENERATOR = 'scripts/generate/web-dockerfile.mjs';
export const WEB_DOCKERFILE = 'web/Dockerfile';
/** The root Dockerfile's stages the web image shares, in order; the first stage after them is not shared. */
export const SHARED_STAGES = ['manifests', 'deps', 'mesh'];

export async function render(root) {
  const dockerfile = (await renderServiceLists(root)).Dockerfile;
  const web = await readFile(path.join(root, WEB_DOCKERFILE), 'utf8');
  const block = { file: WEB_DOCKERFILE, generator: GENERATOR, source: 'the root Dockerfile' };
  const withBase = replaceBlock(web, { ...block, id: 'base-image', lines: baseImage(dockerfile) });
  return { [WEB_DOCKERFILE]: replaceBlock(withBase, { ...block, id: 'shared-stages', lines: sharedStages(dockerfile) }) };
}

/** The root Dockerfile's pinned base image argument, which the shared stages build FROM. */
export function baseImage(dockerfile) {
  const line = dockerfile.split('\n').find((l) => l.startsWith('ARG NODE_IMAGE='));
  if (!line) throw new Error(`${GENERATOR}: the Dockerfile has no ARG NODE_IMAGE= line`);
  return [line];
}

/**
 * The root Dockerfile's lines from the comment that introduces its first shared stage up to (not
 * including) the comment that introduces the first stage after them, its own generated-block markers
 * dropped (their content stays).
 */
export function sharedStages(dockerfile) {
  const lines = withoutBlockMarkers(dockerfile).split('\n');
  const fromLine = (i) => /^FROM\s+\S+\s+AS\s+(\S+)\s*$/i.exec(lines[i])?.[1];
  const stageStarts = lines.map((_, i) => i).filter((i) => fromLine(i));
  const names = stageStarts.map(fromLine);
  if (names.slice(0, SHARED_STAGES.length).join() !== SHARED_STAGES.join())
    throw new Error(`${GENERATOR}: the Dockerfile's first stages are ${names.join(', ')}, not ${SHARED_STAGES.join(', ')} first`);
  const withComments = (i) => {
    while (i > 0 && lines[i - 1].startsWith('#')) i -= 1;
    return i;
  };
  const start = withComments(stageStarts[0]);
  const end = withComments(stageStarts[SHARED_STAGES.length]);
  const shared = lines.slice(start, end);
  while (shared.at(-1) === '') shared.pop();
  return shared;
}
