// Fetches librechat.yaml from S3, fills in placeholders and writes it where LibreChat reads it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { errorMessage, log } from './log';
import { fetchS3Text } from './s3-text';
import type { ConfigSource } from './settings';
import { applyUploadCeiling } from './upload-ceiling';

/**
 * Replaces every occurrence of every key by its value in one pass, so a value that happens to
 * contain another key is not replaced again. Longer keys win where keys overlap.
 */
export function applyReplacements(text: string, replace: Record<string, string>): string {
  const keys = Object.keys(replace).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return text;
  const pattern = new RegExp(
    keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    'g',
  );
  return text.replace(pattern, (m) => replace[m]);
}

export async function fetchConfig(
  s3: S3Client,
  source: ConfigSource,
  replace: Record<string, string>,
  targetPath: string,
  uploadLimitMb: number,
): Promise<void> {
  const where = `s3://${source.bucket}/${source.key}`;
  const text = await fetchS3Text(
    s3,
    source.bucket,
    source.key,
    `the LibreChat config ${where} (CONFIG_S3_BUCKET=${source.bucket}, CONFIG_S3_KEY=${source.key})`,
  );
  try {
    await mkdir(path.dirname(targetPath), { recursive: true });
    const ceiling = applyUploadCeiling(applyReplacements(text, replace), uploadLimitMb);
    if (ceiling.skipped) {
      log('warn', 'upload ceiling not applied to librechat.yaml', { reason: ceiling.skipped });
    } else if (ceiling.capped.length > 0) {
      log('info', 'upload ceiling applied to librechat.yaml', {
        limitMb: uploadLimitMb,
        capped: ceiling.capped,
      });
    }
    await writeFile(targetPath, ceiling.text, { mode: 0o600 });
  } catch (err) {
    throw new Error(
      `could not write the LibreChat config from ${where} to CONFIG_PATH=${targetPath}: ${errorMessage(err)}`,
      { cause: err },
    );
  }
}
