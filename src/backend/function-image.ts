import { DataAwsEcrImage } from '@cdktf/provider-aws/lib/data-aws-ecr-image';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';
import { ENV_NAME } from '../../handler/src/contract';
import { TerraformData } from '../core/terraform-data';
import { ValidationError } from '../core/validation-error';

/** How `cdktf deploy` builds and pushes the image (all paths as the push script sees them). */
export interface ImageBuildSource {
  /**
   * Content hash of the image inputs (see `imageSourceHash`): the image tag, and the trigger of a
   * rebuild. Computed by the app, never by a construct.
   */
  readonly sourceHash: string;
  /** Docker build context, relative to the Terraform working directory (or absolute). */
  readonly contextDir: string;
  /** Dockerfile inside the context. @default 'Dockerfile' */
  readonly dockerfile?: string;
  /** The committed build-and-push script (scripts/push-image.sh). */
  readonly pushScript: string;
  /** `--build-arg` values, names in UPPER_SNAKE_CASE (no secrets: they show in the image history). */
  readonly buildArgs?: Record<string, string>;
}

export interface FunctionImageProps {
  /** ECR repository name, unique per environment (e.g. `librechat-lambda-api-dev`). */
  readonly repositoryName: string;
  /** Region of the repository (the push script logs in to this registry). */
  readonly region: string;
  /** Lambda architecture; the image is built for the matching platform. */
  readonly architecture: LambdaArchitecture;
  /** Build the image on deploy from these sources. Exactly one of `build`/`prebuiltImageUri`. */
  readonly build?: ImageBuildSource;
  /** An image built elsewhere, pinned by digest (`<repo>@sha256:...`): nothing is built. */
  readonly prebuiltImageUri?: string;
  /** Images kept in the repository (older ones expire). @default 5 */
  readonly keepImages?: number;
}

/** The architectures Lambda runs; the image is built for the function's. */
export const LAMBDA_ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];
export const DEFAULT_LAMBDA_ARCHITECTURE: LambdaArchitecture = 'x86_64';

const PINNED = /@sha256:[0-9a-f]{64}$/;

/** `linux/amd64` or `linux/arm64`, as docker names the Lambda architectures. */
export function dockerPlatform(architecture: LambdaArchitecture): string {
  return architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}

/**
 * The Lambda's container image: an ECR repository (scan on push, last N images kept) and the
 * image the function runs, always pinned by digest so a deploy is repeatable and a new image is a
 * visible diff. Either built on deploy (a `terraform_data` runs the push script when the source
 * hash changes; the digest is then read back by tag) or given prebuilt. Registry credentials
 * only pass through the push script's process: no ECR authorization token enters the state.
 */
export class FunctionImage extends Construct {
  readonly repository: EcrRepository;
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  readonly repositoryArn: string;
  /** `<repository url>@sha256:<digest>` (or the prebuilt URI). */
  readonly imageUri: string;
  /** The build-and-push step, when the image is built on deploy. */
  readonly push?: TerraformData;

  constructor(scope: Construct, id: string, props: FunctionImageProps) {
    super(scope, id);
    if (!props.build === !props.prebuiltImageUri) {
      throw new ValidationError(
        this,
        `give exactly one of build (sources to build on deploy) or prebuiltImageUri`,
      );
    }
    if (props.prebuiltImageUri && !PINNED.test(props.prebuiltImageUri)) {
      throw new ValidationError(
        this,
        `prebuiltImageUri must be pinned by digest (<repo>@sha256:<64 hex>), got ${props.prebuiltImageUri}`,
      );
    }
    for (const name of Object.keys(props.build?.buildArgs ?? {})) {
      if (!ENV_NAME.test(name)) {
        throw new ValidationError(
          this,
          `build arg ${JSON.stringify(name)} must be UPPER_SNAKE_CASE`,
        );
      }
    }
    if (props.build && !/^[0-9a-f]{64}$/.test(props.build.sourceHash)) {
      throw new ValidationError(
        this,
        `build.sourceHash must be a sha256 hex digest, got ${props.build.sourceHash}`,
      );
    }

    this.repository = new EcrRepository(this, 'repository', {
      name: props.repositoryName,
      forceDelete: true,
      // Tags are content hashes: a tag never moves (the push script skips a tag ECR holds).
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Keep the last ${props.keepImages ?? 5} images`,
            selection: {
              tagStatus: 'any',
              countType: 'imageCountMoreThan',
              countNumber: props.keepImages ?? 5,
            },
            action: { type: 'expire' },
          },
        ],
      }),
    });
    this.repositoryName = this.repository.name;
    this.repositoryUrl = this.repository.repositoryUrl;
    this.repositoryArn = this.repository.arn;

    if (props.prebuiltImageUri) {
      this.imageUri = props.prebuiltImageUri;
      return;
    }

    const build = props.build!;
    const tag = build.sourceHash;
    this.push = new TerraformData(this, 'build-and-push', {
      // A new repository (renamed, recreated) needs the image pushed again, even unchanged.
      triggersReplace: { source_hash: build.sourceHash, repository: this.repository.repositoryUrl },
      provisioners: [
        {
          type: 'local-exec',
          interpreter: ['bash'],
          command: build.pushScript,
          environment: {
            REPOSITORY_URL: this.repository.repositoryUrl,
            REPOSITORY_NAME: this.repository.name,
            REGISTRY_REGION: props.region,
            IMAGE_TAG: tag,
            BUILD_CONTEXT: build.contextDir,
            DOCKERFILE: build.dockerfile ?? 'Dockerfile',
            PLATFORM: dockerPlatform(props.architecture),
            // One variable per build arg: the script turns BUILD_ARG_X into --build-arg X=...
            ...Object.fromEntries(
              Object.entries(build.buildArgs ?? {}).map(([k, v]) => [`BUILD_ARG_${k}`, v]),
            ),
          },
        },
      ],
    });
    // Read after the push (depends_on defers the read to apply when the push is replaced).
    const image = new DataAwsEcrImage(this, 'pushed', {
      repositoryName: this.repository.name,
      imageTag: tag,
      dependsOn: [this.push],
    });
    this.imageUri = `${this.repository.repositoryUrl}@${image.imageDigest}`;
  }
}
