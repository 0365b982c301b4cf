import { TerraformStack, Testing } from 'cdktf';
import {
  ClientPublication,
  type ClientPublicationProps,
} from '../../src/frontend/client-publication';
import { onlyResource, synthScope } from '../helpers/synth';

const IMAGE = 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1';
const props: ClientPublicationProps = {
  bucketName: '${module.frontend-bucket.s3_bucket_id}',
  region: 'eu-west-1',
  source: { image: IMAGE, platform: 'linux/amd64' },
  publishScript: '../../../scripts/publish-client.js',
};
const synth = (change: Partial<ClientPublicationProps> = {}) =>
  onlyResource(
    synthScope((s) => new ClientPublication(s, 'client', { ...props, ...change })),
    'terraform_data',
  );

describe('ClientPublication', () => {
  it('runs the publish command on deploy with the image, its platform, the bucket and region', () => {
    const publish = synth();
    expect(publish.provisioner).toEqual([
      {
        'local-exec': {
          command: 'node "../../../scripts/publish-client.js"',
          environment: {
            PUBLISH_BUCKET: '${module.frontend-bucket.s3_bucket_id}',
            PUBLISH_OPTIONS: '{}',
            PUBLISH_REGION: 'eu-west-1',
            SOURCE_IMAGE: IMAGE,
            SOURCE_PLATFORM: 'linux/amd64',
          },
        },
      },
    ]);
  });

  it('publishes again only when the image (or the bucket) changes', () => {
    expect(synth().triggers_replace).toEqual({
      source: `${IMAGE} linux/amd64`,
      bucket: '${module.frontend-bucket.s3_bucket_id}',
      options: '{}',
    });
    expect(
      synth({ source: { image: `${IMAGE.replace('rc1', 'rc2')}`, platform: 'linux/amd64' } })
        .triggers_replace.source,
    ).toBe('ghcr.io/danny-avila/librechat-api:v0.8.2-rc2 linux/amd64');
  });

  it('publishes a directory by its content hash, with no docker settings', () => {
    const publish = synth({
      source: { distDir: '../../../client/dist', contentHash: 'ab'.repeat(32), origin: 'prebuilt' },
    });
    expect(publish.triggers_replace.source).toBe('ab'.repeat(32));
    expect(publish.provisioner[0]['local-exec'].environment).toEqual({
      PUBLISH_BUCKET: '${module.frontend-bucket.s3_bucket_id}',
      PUBLISH_OPTIONS: '{}',
      PUBLISH_REGION: 'eu-west-1',
      SOURCE_DIR: '../../../client/dist',
    });
  });

  it('passes the publish options and publishes again when they or the added script change', () => {
    const publish = synth({
      publishOptions: { sourceMaps: true },
      clientScriptKey: 'stop-relay.0123456789.js',
    });
    expect(publish.provisioner[0]['local-exec'].environment.PUBLISH_OPTIONS).toBe(
      '{"sourceMaps":true}',
    );
    expect(publish.triggers_replace).toMatchObject({
      options: '{"sourceMaps":true}',
      client_script: 'stop-relay.0123456789.js',
    });
  });

  it.each([
    [
      'a directory',
      { source: { distDir: '../${path.root}/dist', contentHash: '0', origin: 'prebuilt' } },
      'source "../${path.root}/dist"',
    ],
    [
      'the script path',
      { publishScript: '../%{x}/publish-client.js' },
      'publishScript "../%{x}/publish-client.js"',
    ],
  ])('refuses a Terraform template sequence in %s', (_what, change, message) => {
    expect(
      () =>
        new ClientPublication(new TerraformStack(Testing.app(), 't'), 'client', {
          ...props,
          ...change,
        }),
    ).toThrow(`${message} contains a Terraform template sequence`);
  });
});
