import { loadSettings, SettingsError } from '../../handler/src/settings';

/**
 * Runs the handler's own settings parser (handler/src/settings.ts, the code that reads the
 * function's environment at cold start) over the plain variables of an environment file, so a
 * value the handler would refuse stops synth instead of every cold start. Returns the problem as
 * `{ name, message }` with the variable named and its value left out (the field may hold secrets).
 */
export function handlerSettingsProblem(
  environment: Record<string, string>,
): { name?: string; message: string } | undefined {
  try {
    loadSettings({ ...environment });
    return undefined;
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    const names = Object.keys(environment).sort((a, b) => b.length - a.length);
    const name = names.find((n) => e.message.includes(n));
    // The handler's messages end in ", got <value>" or quote a parse error: keep the rule only.
    const rule = e.message.replace(/(,| but)? (got|it is not valid JSON)\b[\s\S]*$/, '');
    return { name, message: `the handler would reject this at cold start: ${rule}` };
  }
}
