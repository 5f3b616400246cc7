// Generated blocks inside hand-written files: the lines between a BEGIN and an END marker comment
// are rendered by `npm run generate`, everything around them stays hand-written. Used where a file
// (a Dockerfile, a kustomization, a promtool test) holds one entry per service among lines that are
// not derived from anything, so only the list is taken from mesh/src/topology.ts.
// The markers are `#` comments, which every file type that uses them accepts (YAML, Dockerfile, bash).

const BEGIN = (id) => `# BEGIN generated block "${id}"`;
const END = (id) => `# END generated block "${id}"`;
const ANY_BLOCK = /^[ \t]*# BEGIN generated block "([^"]+)".*\n[\s\S]*?^[ \t]*# END generated block "\1".*(\n|$)/gm;

/**
 * `text` with the block `id` replaced by `lines`, each indented like the BEGIN marker. The BEGIN
 * line is rewritten too, so it always names the generator and the source. Throws, naming `file`, when
 * the markers are missing: a generated list must not silently stop being generated.
 */
export function replaceBlock(text, { file, id, generator, source, lines }) {
  const all = text.split('\n');
  const begin = all.findIndex((l) => l.trimStart().startsWith(BEGIN(id)));
  const end = all.findIndex((l, i) => i > begin && l.trimStart().startsWith(END(id)));
  if (begin < 0 || end < 0) throw new Error(`${generator}: ${file} has no "${BEGIN(id)}" … "${END(id)}" markers`);
  const indent = /^[ \t]*/.exec(all[begin])[0];
  const head = `${indent}${BEGIN(id)}: \`npm run generate\` (${generator}) renders it from ${source}; do not edit`;
  return [...all.slice(0, begin), head, ...lines.map((l) => (l ? indent + l : l)), `${indent}${END(id)}`, ...all.slice(end + 1)].join('\n');
}

/** `text` without any generated block (markers and content): what is left is hand-written. */
export function withoutGeneratedBlocks(text) {
  return text.replace(ANY_BLOCK, '');
}

/** `text` with the marker lines of its generated blocks removed and their content kept. */
export function withoutBlockMarkers(text) {
  return text
    .split('\n')
    .filter((l) => !/^[ \t]*# (BEGIN|END) generated block "/.test(l))
    .join('\n');
}
