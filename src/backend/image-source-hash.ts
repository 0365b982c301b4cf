import dockerignore from '@balena/dockerignore';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { directoryFiles, directoryHash, type DirectoryWalkOptions } from '../core/directory-hash';
import { portableRelativePath } from '../core/names';
import { pinnedDigest } from './base-image-digest';
import { dockerPlatform, type ImageBuildSource, type LambdaArchitecture } from './function-image';

/** Never image inputs, whatever .dockerignore says (installed dependencies, VCS metadata). */
export const IGNORED_DIRECTORIES: readonly string[] = ['node_modules', '.git'];

/**
 * What `docker build` sends for a context: everything but what its `.dockerignore` excludes
 * (Docker's own matching rules, via @balena/dockerignore) and the ignored directories.
 */
function buildContext(contextDir: string): DirectoryWalkOptions {
  const skip = (path: string, isDirectory: boolean) =>
    isDirectory && IGNORED_DIRECTORIES.includes(path.slice(path.lastIndexOf('/') + 1));
  const ignoreFile = join(contextDir, '.dockerignore');
  if (!existsSync(ignoreFile)) return { skip };
  const ignore = dockerignore({ ignorecase: false }).add(
    readFileSync(ignoreFile, 'utf8').split(/\r?\n/),
  );
  return { skip, filter: (paths) => ignore.filter(paths) };
}

/**
 * The files `docker build` sends for a context. Test output or a README edit that never reaches
 * the image therefore does not trigger a rebuild.
 */
export function buildContextFiles(contextDir: string): string[] {
  return directoryFiles(contextDir, buildContext(contextDir)).sort();
}

/**
 * A content hash of everything that makes the Lambda image: every file of the build context that
 * Docker would send (path and bytes) and the named inputs (base image, platform). It is
 * the image tag and the trigger of the build, so an unchanged handler is not rebuilt and any
 * change is a visible diff in the plan. Read here, outside the constructs, by the app.
 */
export function imageSourceHash(contextDir: string, inputs: Record<string, string> = {}): string {
  if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) {
    throw new Error(`image build context ${contextDir} is not a directory`);
  }
  return directoryHash(contextDir, { ...buildContext(contextDir), inputs });
}

export interface HandlerImageBuildOptions {
  /** The handler package (build context with its Dockerfile), absolute. */
  readonly handlerDir: string;
  /** Where Terraform runs for the stack (cdktf.out/stacks/<env>), absolute: paths are relative to it. */
  readonly stackDir: string;
  /** The committed push script, absolute. */
  readonly pushScript: string;
  /** `librechat.image.baseImage`, passed as the LIBRECHAT_IMAGE build arg. */
  readonly baseImage: string;
  /** `lambda.architecture`; part of the hash (an arm64 image is another image). */
  readonly architecture: LambdaArchitecture;
  /**
   * The digest the registry serves for `baseImage` (resolved by the app on deploy, see
   * `resolveImageDigest`): the build uses exactly it and it is part of the hash, so a re-tagged
   * upstream image rebuilds. Not needed when `baseImage` is pinned with `@sha256:`.
   */
  readonly baseImageDigest?: string;
  /** sha256 of the RDS CA bundle the Dockerfile downloads (`ADD --checksum`). */
  readonly rdsCaBundleSha256?: string;
}

/**
 * The build sources of the handler image for one stack: the content hash of handler/ (with the
 * base image and platform) and the paths the push script needs, relative to the stack's
 * Terraform directory so the synthesized JSON does not depend on where the repository lives.
 */
export function handlerImageBuild(options: HandlerImageBuildOptions): ImageBuildSource {
  const dockerfile = 'Dockerfile';
  if (!existsSync(join(options.handlerDir, dockerfile))) {
    throw new Error(
      `${options.handlerDir}/${dockerfile} not found: the Lambda image is built from the handler package. ` +
        'Restore handler/ (or point HANDLER_DIR at it), or set librechat.image.prebuiltImageUri to deploy an image built elsewhere.',
    );
  }
  const pinned = pinnedDigest(options.baseImage);
  if (pinned && options.baseImageDigest && options.baseImageDigest !== pinned) {
    throw new Error(
      `baseImage ${options.baseImage} is pinned to ${pinned}, but ${options.baseImageDigest} was resolved for it`,
    );
  }
  const digest = pinned ?? options.baseImageDigest;
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new Error(`baseImageDigest must be sha256:<64 hex>, got ${digest}`);
  }
  // `name:tag@digest`: docker pulls by the digest; the tag stays for the reader.
  const baseImage = pinned || !digest ? options.baseImage : `${options.baseImage}@${digest}`;
  const checksum = options.rdsCaBundleSha256;
  return {
    sourceHash: imageSourceHash(options.handlerDir, {
      baseImage,
      platform: dockerPlatform(options.architecture),
      dockerfile,
      ...(checksum ? { rdsCaBundleSha256: checksum } : {}),
    }),
    contextDir: portableRelativePath(options.stackDir, options.handlerDir),
    dockerfile,
    pushScript: portableRelativePath(options.stackDir, options.pushScript),
    buildArgs: {
      LIBRECHAT_IMAGE: baseImage,
      ...(checksum ? { RDS_CA_BUNDLE_SHA256: checksum } : {}),
    },
  };
}
