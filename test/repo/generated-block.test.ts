// The generated blocks inside hand-written files (scripts/lib/generated-block.mjs) and web/Dockerfile's
// copy of the root Dockerfile's shared stages (scripts/generate/web-dockerfile.mjs). That the committed
// copies are current is test/generated-files.test.ts's job; this checks the rendering itself.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { replaceBlock, withoutBlockMarkers, withoutGeneratedBlocks } from '../../scripts/lib/generated-block.mjs';
// @ts-expect-error plain ESM script without types
import { baseImage, sharedStages } from '../../scripts/generate/web-dockerfile.mjs';

const FILE = ['kind: X', 'items:', '  # BEGIN generated block "names"', '  - stale', '  # END generated block "names"', '  - by-hand', ''].join('\n');
const args = { file: 'x.yaml', id: 'names', generator: 'gen.mjs', source: 'topology.ts', lines: ['- a', '- b'] };

describe('generated blocks', () => {
  it('replaces only the lines between the markers, indented like the BEGIN marker, and says who renders them', () => {
    const out: string = replaceBlock(FILE, args);
    expect(out.split('\n')).toEqual([
      'kind: X',
      'items:',
      '  # BEGIN generated block "names": `npm run generate` (gen.mjs) renders it from topology.ts; do not edit',
      '  - a',
      '  - b',
      '  # END generated block "names"',
      '  - by-hand',
      '',
    ]);
    expect(replaceBlock(out, args)).toBe(out);
  });

  it('fails, naming the file and the block, when the markers are gone', () => {
    expect(() => replaceBlock('kind: X\n', args)).toThrow(/x\.yaml has no "# BEGIN generated block "names""/);
    expect(() => replaceBlock(FILE, { ...args, id: 'other' })).toThrow(/x\.yaml/);
  });

  it('tells the hand-written rest from the blocks', () => {
    expect(withoutGeneratedBlocks(FILE)).toBe('kind: X\nitems:\n  - by-hand\n');
    expect(withoutBlockMarkers(FILE)).toBe('kind: X\nitems:\n  - stale\n  - by-hand\n');
  });
});

describe("web/Dockerfile's shared stages", () => {
  /** Stages that reach web/Dockerfile line for line. */
  const depsAndMesh = ['', 'FROM manifests AS deps', 'RUN npm ci', '', 'FROM deps AS mesh', 'RUN tsc -b mesh'];
  const root = [
    'ARG NODE_IMAGE=node',
    '',
    '# ---- manifests: why',
    'FROM ${NODE_IMAGE} AS manifests',
    '# BEGIN generated block "service-manifests"',
    'COPY services/a/package.json services/a/',
    '# END generated block "service-manifests"',
    ...depsAndMesh,
    '',
    '# ---- build: not shared',
    'FROM mesh AS build',
  ].join('\n');

  it("are the root Dockerfile's manifests, deps and mesh stages with their comments, without its block markers", () => {
    expect(sharedStages(root)).toEqual([
      '# ---- manifests: why',
      'FROM ${NODE_IMAGE} AS manifests',
      'COPY services/a/package.json services/a/',
      ...depsAndMesh,
    ]);
  });

  it("and the root Dockerfile's pinned base image, which a root Dockerfile must have", () => {
    expect(baseImage(root)).toEqual(['ARG NODE_IMAGE=node']);
    expect(() => baseImage(root.replace('ARG NODE_IMAGE=node', 'ARG BASE=node'))).toThrow(/no ARG NODE_IMAGE= line/);
  });

  it('refuse a root Dockerfile whose first stages are not those three', () => {
    expect(() => sharedStages(root.replace('AS deps', 'AS install'))).toThrow(/not manifests, deps, mesh first/);
  });
});
