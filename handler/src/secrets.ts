// Reads the SSM parameters named in SSM_SECRETS (decrypted) and maps them to env names.
import { GetParametersCommand, type Parameter, SSMClient } from '@aws-sdk/client-ssm';
import { errorMessage, registerSecret } from './log';

// GetParameters accepts at most 10 names per call.
const BATCH = 10;

function matches(p: Parameter, requested: string): boolean {
  const selected = p.Selector ? `${p.Name}${p.Selector}` : p.Name;
  return requested === p.Name || requested === p.ARN || requested === selected;
}

export async function fetchSecrets(
  ssm: SSMClient,
  wanted: Record<string, string>,
): Promise<Record<string, string>> {
  const names = [...new Set(Object.values(wanted))];
  const found: Parameter[] = [];
  const invalid: string[] = [];
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += BATCH) batches.push(names.slice(i, i + BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      try {
        const res = await ssm.send(
          new GetParametersCommand({ Names: batch, WithDecryption: true }),
        );
        found.push(...(res.Parameters ?? []));
        invalid.push(...(res.InvalidParameters ?? []));
      } catch (err) {
        throw new Error(
          `could not read SSM parameters ${batch.join(', ')} (from SSM_SECRETS): ${errorMessage(err)}`,
          { cause: err },
        );
      }
    }),
  );
  // Register before anything can log them.
  for (const p of found) if (p.Value) registerSecret(p.Value);

  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const [envName, param] of Object.entries(wanted)) {
    const p = found.find((f) => matches(f, param));
    if (!p || p.Value === undefined || invalid.includes(param))
      missing.push(`${envName} -> ${param}`);
    else out[envName] = p.Value;
  }
  if (missing.length > 0) {
    throw new Error(
      `SSM parameter(s) not found or not readable (from SSM_SECRETS): ${missing.join(', ')}`,
    );
  }
  return out;
}
