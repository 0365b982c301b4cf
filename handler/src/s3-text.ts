// Reads one S3 object as text at cold start; a failure names the object and what it is for.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorMessage } from './log';

/**
 * The object's text. `what` says what it is for in the error, e.g. `the LibreChat config` plus
 * the settings that name it, so a failed cold start points at the setting to check.
 */
export async function fetchS3Text(
  s3: S3Client,
  bucket: string,
  key: string,
  what: string,
): Promise<string> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!res.Body) throw new Error('empty response body');
    return await res.Body.transformToString('utf-8');
  } catch (err) {
    const name = err instanceof Error && err.name !== 'Error' ? `${err.name}: ` : '';
    throw new Error(`could not fetch ${what}: ${name}${errorMessage(err)}`, { cause: err });
  }
}
