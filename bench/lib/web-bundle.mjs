// The web app's JavaScript per route, from the Vite manifest of the built app (web/dist/.vite/manifest.json,
// written by `npm run build`): what a browser fetches to show a route on a fresh page load is the
// entry chunk, the route's screen chunk (React.lazy, web/src/app/App.tsx) and every chunk either of
// them imports statically, each once. Sizes are gzip at level 9 of the files as built; the servers
// send them uncompressed today, so this is what compression would put on the wire.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The address of each screen, for the printout (web/src/app/App.tsx's routes). */
const ROUTE_OF_SCREEN = {
  Feed: '/',
  SignIn: '/signin',
  SignUp: '/signup',
  PostPage: '/posts/:id',
  Profile: '/@username',
  Settings: '/settings',
  Admin: '/admin',
};

/** Every JS file `key` needs before it runs: itself and its static imports, transitively. */
function staticClosure(manifest, key, into = new Set()) {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`web bundle: ${key} is not in the Vite manifest`);
  if (into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const imported of chunk.imports ?? []) staticClosure(manifest, imported, into);
  return into;
}

/**
 * [{ screen, route, files, gzipBytes, rawBytes }] for every lazily loaded screen, plus `entry` (the
 * code every route loads). Throws when the app is not built or has no lazy screens.
 */
export async function webBundleByRoute(distDir) {
  const manifestPath = path.join(distDir, '.vite', 'manifest.json');
  const manifest = JSON.parse(
    await readFile(manifestPath, 'utf8').catch(() => {
      throw new Error(`${manifestPath} is missing: run npm run build (web's vite.config.ts writes it)`);
    }),
  );
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entryKey) throw new Error('web bundle: no entry chunk in the Vite manifest');
  const screens = Object.keys(manifest).filter((k) => manifest[k].isDynamicEntry && /(^|\/)src\/screens\//.test(k));
  if (!screens.length) throw new Error('web bundle: no lazily loaded screen (React.lazy in web/src/app/App.tsx)');

  const sizes = new Map();
  const sizeOf = async (file) => {
    if (!sizes.has(file)) {
      const bytes = await readFile(path.join(distDir, file));
      sizes.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
    }
    return sizes.get(file);
  };
  const measure = async (files) => {
    let gzipBytes = 0;
    let rawBytes = 0;
    for (const f of files) {
      const s = await sizeOf(f);
      gzipBytes += s.gzip;
      rawBytes += s.raw;
    }
    return { files: [...files].sort(), gzipBytes, rawBytes };
  };

  const entryFiles = staticClosure(manifest, entryKey);
  const routes = [];
  for (const key of screens) {
    const screen = manifest[key].name ?? path.basename(key, path.extname(key));
    const files = staticClosure(manifest, key, new Set(entryFiles));
    routes.push({ screen, route: ROUTE_OF_SCREEN[screen] ?? `(${screen})`, ...(await measure(files)) });
  }
  routes.sort((a, b) => a.route.localeCompare(b.route));
  return { entry: await measure(entryFiles), routes };
}
