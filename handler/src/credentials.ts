// LibreChat builds S3 credentials from AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY when both are set
// and then drops AWS_SESSION_TOKEN, which breaks Lambda's temporary role credentials. So the child
// gets no bare key pair; instead the same credentials, token included, go into a shared
// credentials file that the SDK's default provider chain (which LibreChat uses otherwise) reads.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AwsCredentials } from './settings';

export const CREDENTIALS_PROFILE = 'default';

export function credentialsFileText(c: AwsCredentials): string {
  const lines = [
    `[${CREDENTIALS_PROFILE}]`,
    `aws_access_key_id = ${c.accessKeyId}`,
    `aws_secret_access_key = ${c.secretAccessKey}`,
  ];
  if (c.sessionToken) lines.push(`aws_session_token = ${c.sessionToken}`);
  return lines.join('\n') + '\n';
}

/** Writes the file (owner-only) and returns the env entries that point the child at it. */
export async function writeChildCredentials(
  c: AwsCredentials | undefined,
  dir: string,
): Promise<Record<string, string>> {
  if (!c) return {};
  const file = path.join(dir, 'credentials');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(file, credentialsFileText(c), { mode: 0o600 });
  return { AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: CREDENTIALS_PROFILE };
}
