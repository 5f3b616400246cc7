// Step 1: tsoa turns each service's controllers into its Koa routes (services/<name>/src/generated/routes.ts)
// and its OpenAPI 3 document (openapi/<name>.json). Rendered into temporary files next to the real
// ones (same relative imports), read back, and removed, so --check never touches the committed copies.
import { readFile, rm, mkdtemp, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSpecAndRoutes } from '@tsoa/cli';

// Files matching tsoa's controller globs such as src/controllers/(any depth)/NAME-controller.ts: the part
// before the first wildcard is the folder, the part after the last one the file name suffix.
async function controllerFiles(dir, globs) {
  const files = new Set();
  for (const glob of globs) {
    const base = path.join(dir, glob.slice(0, glob.indexOf('*')));
    const suffix = glob.slice(glob.lastIndexOf('*') + 1);
    for (const entry of await readdir(base, { recursive: true })) {
      if (entry.endsWith(suffix)) files.add(path.join(base, entry));
    }
  }
  return [...files].sort();
}

export async function render(root) {
  const out = {};
  const servicesDir = path.join(root, 'services');
  // `npm run generate -- --only users` renders one service (handy while its controllers are half-written).
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
  const names = (await readdir(servicesDir))
    .filter((n) => existsSync(path.join(servicesDir, n, 'tsoa.json')))
    .filter((n) => !only || n === only)
    .sort();
  const cwd = process.cwd();
  for (const name of names) {
    const dir = path.join(servicesDir, name);
    const config = JSON.parse(await readFile(path.join(dir, 'tsoa.json'), 'utf8'));
    const specDir = await mkdtemp(path.join(os.tmpdir(), `tsoa-${name}-`));
    const routesFileName = `.routes.${process.pid}.tmp.ts`;
    const routesDir = path.join(dir, config.routes.routesDir);
    try {
      process.chdir(dir);
      await generateSpecAndRoutes({
        configuration: {
          ...config,
          // Absolute paths: tsoa caches resolved modules across runs in one process, so relative
          // globs would let the second service pick up the first one's files.
          entryFile: path.join(dir, config.entryFile),
          // The controllers as an explicit, sorted file list: tsoa's glob order follows the file
          // system, which would make the generated routes differ between machines.
          controllerPathGlobs: await controllerFiles(dir, config.controllerPathGlobs),
          spec: { ...config.spec, outputDirectory: specDir },
          routes: { ...config.routes, routesFileName },
        },
      });
      const specName = `${config.spec.specFileBaseName}.json`;
      const specTarget = path.relative(root, path.resolve(dir, config.spec.outputDirectory, specName));
      out[specTarget] = `${JSON.stringify(JSON.parse(await readFile(path.join(specDir, specName), 'utf8')), null, 2)}\n`;
      out[path.relative(root, path.join(routesDir, 'routes.ts'))] = await readFile(path.join(routesDir, routesFileName), 'utf8');
    } finally {
      process.chdir(cwd);
      await rm(specDir, { recursive: true, force: true });
      await rm(path.join(routesDir, routesFileName), { force: true });
    }
  }
  return out;
}
