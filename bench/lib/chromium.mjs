// Chromium for the bench, launched exactly as the browser tests launch it (scripts/lib/chromium.mjs),
// except that a bench without a browser cannot measure anything, so a missing one throws.
import { ensureChromium, launch } from '../../scripts/lib/chromium.mjs';

/** Chromium, installed first when missing and possible; throws saying why it cannot be had. */
export async function launchChromium() {
  const chromium = ensureChromium();
  if (!chromium.ok) throw new Error(`no Chromium: ${chromium.why}`);
  return launch();
}
