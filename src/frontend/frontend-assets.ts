import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Annotations, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { portableRelativePath } from '../core/names';
import { IMMUTABLE, type FrontendAssetFile, type FrontendAssetManifest } from './asset-manifest';

export interface FrontendAssetsProps {
  /** The bucket's id from its module, so the objects wait for the bucket. */
  readonly bucket: string;
  /** The bucket's name, for the synth messages. */
  readonly bucketName: string;
  /**
   * What to publish (`prepareFrontendAssets`). Undefined when the environment names no client:
   * synth then warns that nothing will be published.
   */
  readonly manifest?: FrontendAssetManifest;
  /**
   * Absolute directory Terraform runs in (cdktf.out/stacks/<env>): sources are written relative
   * to it, so a plan does not change (and re-upload everything) when the checkout moves.
   * @default sources stay absolute
   */
  readonly workingDirectory?: string;
  readonly provider?: TerraformProvider;
}

/**
 * The built web client as S3 objects, one per file, each with its Content-Type and Cache-Control.
 * A changed file is uploaded again (`source_hash`); a file gone from the dist loses its resource
 * and so its object. Entry files (index.html and other unhashed names) wait for the hashed
 * assets, so a new index.html never points at assets that are not there yet; as they are
 * revalidated on every request and hashed files get new names, no invalidation is needed.
 */
export class FrontendAssets extends Construct {
  readonly objects: S3Object[];

  constructor(scope: Construct, id: string, props: FrontendAssetsProps) {
    super(scope, id);
    const manifest = props.manifest;
    if (!manifest) {
      Annotations.of(this).addWarning(
        `frontend: neither frontend.distDir nor frontend.build is configured, so no frontend assets will be published to ${props.bucketName} (the site answers 403 until they are)`,
      );
      this.objects = [];
      return;
    }
    Annotations.of(this).addInfo(
      `frontend: publishing ${manifest.files.length} files from ${manifest.distDir} (${manifest.origin}) to ${props.bucketName}`,
    );
    const object = (file: FrontendAssetFile, dependsOn?: S3Object[]) =>
      new S3Object(this, objectId(file.key), {
        provider: props.provider,
        dependsOn,
        bucket: props.bucket,
        key: file.key,
        // A transformed file (index.html with the stop relay script) is published as content.
        ...(file.content !== undefined
          ? { content: file.content }
          : {
              source: props.workingDirectory
                ? portableRelativePath(props.workingDirectory, file.source)
                : file.source,
              sourceHash: file.sourceHash,
            }),
        contentType: file.contentType,
        cacheControl: file.cacheControl,
      });
    const hashed = manifest.files.filter((f) => f.cacheControl === IMMUTABLE).map((f) => object(f));
    const entries = manifest.files
      .filter((f) => f.cacheControl !== IMMUTABLE)
      .map((f) => object(f, hashed.length > 0 ? hashed : undefined));
    this.objects = [...hashed, ...entries];
  }
}

// Stable per key (adding or removing a file leaves the others' addresses alone), readable, and
// unique even where two keys differ only in characters a construct id cannot hold.
function objectId(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9_-]/g, '_').slice(-60);
  return `${readable}_${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}
