// INHERITED_ENVIRONMENT: where the ECS task's environment object is (read by settings.ts; the
// object itself is handled in inherited-environment.ts).

import { ENV } from './contract';

export const INHERITED_ENVIRONMENT = ENV.INHERITED_ENVIRONMENT;

/** Where the object is, and the SHA-256 (hex) of the content the function was deployed with. */
export interface InheritedEnvironmentSource {
  bucket: string;
  key: string;
  sha256: string;
}

/** Parses INHERITED_ENVIRONMENT (`{"bucket","key","sha256"}`); undefined when unset. */
export function parseInheritedEnvironmentSource(
  raw: Record<string, string> | undefined,
): InheritedEnvironmentSource | undefined {
  if (raw === undefined || Object.keys(raw).length === 0) return undefined;
  const { bucket, key, sha256 } = raw;
  if (!bucket || !key || !sha256) {
    throw new Error(`${INHERITED_ENVIRONMENT} must name bucket, key and sha256`);
  }
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new Error(`${INHERITED_ENVIRONMENT}: sha256 must be 64 lowercase hex digits`);
  }
  return { bucket, key, sha256 };
}
