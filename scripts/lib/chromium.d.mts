// Types for scripts/lib/chromium.mjs, which the TypeScript browser tests import.
import type { Browser } from 'playwright-core';

export declare const CHROMIUM: string;
export declare function ensureChromium(): { ok: true } | { ok: false; why: string };
export declare function launch(): Promise<Browser>;
