import type { LibreChatFunctionProps } from '../../src/backend/librechat-function';

/** The least a LibreChatFunction needs, for tests of the concerns that wire into it. */
export const MINIMAL_FUNCTION_PROPS: LibreChatFunctionProps = {
  functionName: 'librechat-api-dev',
  imageUri: `515966504419.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:${'d'.repeat(64)}`,
  subnetIds: ['subnet-0b336ffd64e2358e8'],
  securityGroupIds: ['sg-0123456789abcdef0'],
  region: 'eu-west-1',
  accountId: '515966504419',
  domainName: 'lambda-test.sandbox.data.apro.is',
  configObject: { bucket: 'config', key: 'librechat.yaml' },
  redisUri: 'redis://cache.example:6379',
  serviceUrls: { litellm: 'x', searxng: 'x', ragApi: 'x', meilisearch: 'x', firecrawl: 'x' },
  secrets: {},
};
