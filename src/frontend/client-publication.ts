import { Annotations, type ITerraformDependable } from 'cdktf';
import { TerraformData } from '../core/terraform-data';
import { Construct } from 'constructs';
import type { PublishOptions } from './asset-manifest';
import { PUBLISH_ENV } from './client-publisher';
import { ValidationError } from '../core/validation-error';

/** The client as the publish step receives it. */
export type ClientPublicationSource =
  /** The LibreChat image's built client, extracted on deploy (docker, for this platform). */
  | { readonly image: string; readonly platform: string }
  /**
   * A client directory on this machine, relative to the Terraform working directory, with the
   * hash of its content (`distContentHash`): the trigger of a new publish.
   */
  | { readonly distDir: string; readonly contentHash: string; readonly origin: string };

export interface ClientPublicationProps {
  /** The bucket's name from its module: the step waits for the bucket. */
  readonly bucketName: string;
  /** Region of the bucket. */
  readonly region: string;
  readonly source: ClientPublicationSource;
  /** The publish command (scripts/publish-client.js), relative to the Terraform working directory. */
  readonly publishScript: string;
  /** Content key of the script the publish step adds (a changed one publishes again). */
  readonly clientScriptKey?: string;
  /** What is published beyond the client's own files (`frontend.publish`). */
  readonly publishOptions?: PublishOptions;
  /** What must exist first (the bucket policy, the distribution). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Publishes the web client on deploy: a `terraform_data` whose local-exec runs the publish
 * command (src/frontend/client-publisher.ts) when its source changes, so an unchanged image or
 * dist publishes nothing. Synth itself stays offline and needs no Docker.
 */
export class ClientPublication extends Construct {
  readonly publish: TerraformData;

  constructor(scope: Construct, id: string, props: ClientPublicationProps) {
    super(scope, id);
    const { source } = props;
    const fromImage = 'image' in source;
    for (const [what, value] of [
      ['publishScript', props.publishScript],
      ['source', fromImage ? source.image : source.distDir],
    ]) {
      // Terraform would read these as templates in the local-exec command or environment.
      if (value.includes('${') || value.includes('%{')) {
        throw new ValidationError(
          this,
          `${what} ${JSON.stringify(value)} contains a Terraform template sequence (\${ or %{): rename the directory`,
        );
      }
    }
    const environment: Record<string, string> = {
      [PUBLISH_ENV.bucket]: props.bucketName,
      [PUBLISH_ENV.region]: props.region,
      ...(fromImage
        ? { [PUBLISH_ENV.image]: source.image, [PUBLISH_ENV.platform]: source.platform }
        : { [PUBLISH_ENV.distDir]: source.distDir }),
      [PUBLISH_ENV.publishOptions]: JSON.stringify(props.publishOptions ?? {}),
    };
    this.publish = new TerraformData(this, 'publish', {
      // A new bucket (renamed, recreated) needs the client again, even unchanged.
      triggersReplace: {
        source: fromImage ? `${source.image} ${source.platform}` : source.contentHash,
        bucket: props.bucketName,
        options: JSON.stringify(props.publishOptions ?? {}),
        ...(props.clientScriptKey ? { client_script: props.clientScriptKey } : {}),
      },
      dependsOn: props.dependsOn,
      provisioners: [
        {
          type: 'local-exec',
          command: `node ${JSON.stringify(props.publishScript)}`,
          environment,
        },
      ],
    });
    Annotations.of(this).addInfo(
      fromImage
        ? `frontend: publishing the web client of ${source.image} on deploy (docker and the AWS CLI needed)`
        : `frontend: publishing ${source.distDir} (${source.origin}) on deploy (the AWS CLI needed)`,
    );
  }
}
