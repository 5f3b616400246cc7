import * as z from 'zod';

/** One window of an action's budget: at most `points` actions per `seconds`. */
export interface Budget {
  readonly points: number;
  readonly seconds: number;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const WINDOW = /^(\d{1,7})\/(\d{0,4})(s|m|h|d)$/;

/**
 * Parses a budget setting: comma-separated windows `<points>/<length><s|m|h|d>`, e.g. `30/1h,5/1m`
 * (30 an hour, and at most 5 in any minute's window). Each window is counted on its own; an action
 * is allowed only while every window has room.
 */
export function parseBudgets(setting: string): Budget[] | string {
  const windows = setting.split(',').map((w) => w.trim());
  const budgets: Budget[] = [];
  for (const w of windows) {
    const m = WINDOW.exec(w);
    if (!m) return `"${w}" is not <points>/<length><s|m|h|d> (e.g. 30/1h)`;
    const points = Number(m[1]);
    const seconds = Number(m[2] || '1') * UNIT_SECONDS[m[3] as keyof typeof UNIT_SECONDS];
    if (points < 1 || seconds < 1) return `"${w}" needs at least 1 point in a window of at least 1 s`;
    if (budgets.some((b) => b.seconds === seconds)) return `two windows of ${seconds} s`;
    budgets.push({ points, seconds });
  }
  return budgets;
}

/** A zod setting for one action's budget, defaulting to `fallback` (same syntax). */
export function budgetSetting(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((setting, ctx) => {
      const parsed = parseBudgets(setting);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    });
}
