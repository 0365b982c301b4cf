import { TerraformOutput } from 'cdktf';
import { FunctionImage, type FunctionImageProps } from '../../src/backend/function-image';
import { onlyResource, resourcesOf, synthScope, type TerraformJson } from '../helpers/synth';

const HASH = 'ab'.repeat(32);
const PREBUILT = `515966504419.dkr.ecr.eu-west-1.amazonaws.com/librechat-lambda-api-dev@sha256:${'c'.repeat(64)}`;
const build = {
  sourceHash: HASH,
  contextDir: '../../../handler',
  pushScript: '../../../scripts/push-image.sh',
  buildArgs: { LIBRECHAT_IMAGE: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1' },
};
const base: FunctionImageProps = {
  repositoryName: 'librechat-lambda-api-dev',
  region: 'eu-west-1',
  architecture: 'x86_64',
};

function synth(props: Partial<FunctionImageProps>): { json: TerraformJson; image: FunctionImage } {
  let image!: FunctionImage;
  const json = synthScope((s) => {
    image = new FunctionImage(s, 'image', { ...base, ...props });
    // The image URI as the Lambda would see it, resolved.
    new TerraformOutput(s, 'uri', { value: image.imageUri });
  });
  return { json, image };
}

describe('FunctionImage', () => {
  it('makes a force-deletable repository that scans on push and keeps the last 5 images', () => {
    const { json } = synth({ build });
    const repo = onlyResource(json, 'aws_ecr_repository');
    expect(repo).toMatchObject({
      name: 'librechat-lambda-api-dev',
      force_delete: true,
      image_scanning_configuration: { scan_on_push: true },
      // Tags are content hashes and never move.
      image_tag_mutability: 'IMMUTABLE',
    });
    const lifecycle = onlyResource(json, 'aws_ecr_lifecycle_policy');
    expect(lifecycle.repository).toMatch(/^\$\{aws_ecr_repository\.\w+\.name\}$/);
    expect(JSON.parse(lifecycle.policy).rules).toEqual([
      expect.objectContaining({
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 },
        action: { type: 'expire' },
      }),
    ]);
  });

  describe('built on deploy', () => {
    const { json } = synth({ build });
    const push = onlyResource(json, 'terraform_data');
    const exec = push.provisioner[0]['local-exec'];

    it('rebuilds only when the source hash (or the repository) changes', () => {
      expect(push.triggers_replace).toEqual({
        source_hash: HASH,
        repository: expect.stringMatching(/^\$\{aws_ecr_repository\.\w+\.repository_url\}$/),
      });
    });

    it('runs the committed push script with the repository, tag, context, platform and build args', () => {
      expect(exec.interpreter).toEqual(['bash']);
      expect(exec.command).toBe('../../../scripts/push-image.sh');
      expect(exec.environment).toEqual({
        REPOSITORY_URL: expect.stringMatching(/repository_url\}$/),
        REPOSITORY_NAME: expect.stringMatching(/\.name\}$/),
        REGISTRY_REGION: 'eu-west-1',
        IMAGE_TAG: HASH,
        BUILD_CONTEXT: '../../../handler',
        DOCKERFILE: 'Dockerfile',
        PLATFORM: 'linux/amd64',
        BUILD_ARG_LIBRECHAT_IMAGE: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1',
      });
    });

    it('reads the pushed digest by tag after the push and pins the image to it', () => {
      const [[id, data]] = Object.entries<any>(json.data.aws_ecr_image);
      expect(data.image_tag).toBe(HASH);
      expect(data.depends_on).toEqual([
        `terraform_data.${Object.keys(resourcesOf(json, 'terraform_data'))[0]}`,
      ]);
      const repoId = Object.keys(resourcesOf(json, 'aws_ecr_repository'))[0];
      expect(json.output.uri.value).toBe(
        `\${aws_ecr_repository.${repoId}.repository_url}@\${data.aws_ecr_image.${id}.image_digest}`,
      );
    });

    it('builds arm64 images for an arm64 function', () => {
      const arm = onlyResource(synth({ build, architecture: 'arm64' }).json, 'terraform_data');
      expect(arm.provisioner[0]['local-exec'].environment.PLATFORM).toBe('linux/arm64');
    });

    it('never reads an ECR authorization token or configures a docker provider (no password in state)', () => {
      const text = JSON.stringify(json);
      expect(text).not.toContain('aws_ecr_authorization_token');
      expect(json.provider?.docker).toBeUndefined();
      expect(text).not.toMatch(/password/i);
    });
  });

  describe('prebuilt', () => {
    const { json, image } = synth({ prebuiltImageUri: PREBUILT });

    it('uses the given digest-pinned image and builds nothing', () => {
      expect(image.imageUri).toBe(PREBUILT);
      expect(json.output.uri.value).toBe(PREBUILT);
      expect(resourcesOf(json, 'terraform_data')).toEqual({});
      expect(json.data?.aws_ecr_image).toBeUndefined();
      expect(onlyResource(json, 'aws_ecr_repository').name).toBe('librechat-lambda-api-dev');
    });
  });

  it.each([
    ['neither source', {}, 'give exactly one of build'],
    ['both sources', { build, prebuiltImageUri: PREBUILT }, 'give exactly one of build'],
    [
      'an image by tag',
      { prebuiltImageUri: '515966504419.dkr.ecr.eu-west-1.amazonaws.com/r:latest' },
      'must be pinned by digest',
    ],
    ['a hash that is no sha256', { build: { ...build, sourceHash: 'latest' } }, 'sha256 hex'],
    [
      'a lowercase build arg',
      { build: { ...build, buildArgs: { base_image: 'x' } } },
      'must be UPPER_SNAKE_CASE',
    ],
  ])('rejects %s', (_what, props, message) => {
    expect(() => synth(props as Partial<FunctionImageProps>)).toThrow(message);
  });
});
