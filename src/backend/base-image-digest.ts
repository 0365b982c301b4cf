import { spawnSync } from 'node:child_process';

/** `repo[:tag]@sha256:<64 hex>` -> the digest; undefined for a reference without one. */
export function pinnedDigest(reference: string): string | undefined {
  return /@(sha256:[0-9a-f]{64})$/.exec(reference)?.[1];
}

export type DigestResolution =
  | { readonly digest: string; readonly problem?: undefined }
  | { readonly digest?: undefined; readonly problem: string };

/**
 * The digest a registry currently serves for an image reference, asked with
 * `docker buildx imagetools inspect` (reads the registry's manifest, pulls no layers). Run by the
 * app before the stacks are built, i.e. on every `cdktf deploy`, so an upstream re-tag changes
 * the image hash and rebuilds the image. A reference pinned by digest is returned as is.
 */
export function resolveImageDigest(
  reference: string,
  options: { docker?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): DigestResolution {
  const pinned = pinnedDigest(reference);
  if (pinned) return { digest: pinned };
  const result = spawnSync(
    options.docker ?? 'docker',
    ['buildx', 'imagetools', 'inspect', reference, '--format', '{{json .Manifest}}'],
    { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, env: options.env ?? process.env },
  );
  if (result.error) {
    return {
      problem: `could not run docker (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`,
    };
  }
  if (result.status !== 0) {
    return {
      problem: `docker buildx imagetools inspect failed (exit ${result.status}): ${result.stderr.trim().split('\n').pop() ?? ''}`,
    };
  }
  try {
    const digest = JSON.parse(result.stdout).digest;
    if (typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest)) return { digest };
  } catch {
    // Reported below.
  }
  return {
    problem: `unexpected answer from docker buildx imagetools inspect: ${result.stdout.slice(0, 200)}`,
  };
}
