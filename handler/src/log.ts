// Structured JSON logs, one line each, written straight to stdout (the runtime client patches
// console.* into its own text format). Every line is scrubbed of registered secret values, so a
// secret that slips into an error message still never reaches CloudWatch.

const secrets = new Set<string>();

/** Registers values that must never appear in a log line. */
export function registerSecret(value: string): void {
  if (value !== '') secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('[REDACTED]');
  }
  return out;
}

export type LogLevel = 'info' | 'warn' | 'error';

export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  process.stdout.write(redact(line) + '\n');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
