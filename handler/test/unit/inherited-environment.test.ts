import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  type InheritedEnvironmentDocument,
  mergeInheritedEnvironment,
  parseInheritedEnvironmentDocument,
} from '../../src/inherited-environment';
import { isHandlerOnly, loadSettings, SettingsError } from '../../src/settings';

const OLD = 'genai.sandbox.data.apro.is';
const NEW = 'lambda-test.sandbox.data.apro.is';

function doc(environment: Record<string, string>, exclude: string[] = []) {
  return {
    taskDefinition: 'arn:aws:ecs:eu-west-1:515966504419:task-definition/aprochat-api:42',
    container: 'aprochat-api',
    exclude,
    environment,
  } satisfies InheritedEnvironmentDocument;
}

// What the function itself sets, as the handler sees it: its plain variables (stack-managed and
// librechat.environment) and the names of its secrets.
const functionEnv = {
  DOMAIN_CLIENT: `https://${NEW}`,
  ALLOW_REGISTRATION: 'false',
  PATH: '/usr/bin',
};
const merge = (d: InheritedEnvironmentDocument) =>
  mergeInheritedEnvironment(d, {
    functionNames: [...Object.keys(functionEnv), 'MONGO_URI'],
    isHandlerOnly,
    replace: { [OLD]: NEW },
  });

describe('mergeInheritedEnvironment', () => {
  test('drops excluded, Lambda-reserved, handler-only and function-set names, with reasons', () => {
    const { env, dropped } = merge(
      doc(
        {
          OPENID_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
          OPENID_SCOPE: 'openid profile email',
          ASSETS_URL: `https://${OLD}/assets`,
          HOST: '0.0.0.0',
          PORT: '3080',
          TRUST_PROXY: '1',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIA',
          AWS_LAMBDA_FUNCTION_NAME: 'x',
          _HANDLER: 'x',
          SSM_SECRETS: '{}',
          HANDLER_WORK_DIR: '/x',
          DOMAIN_CLIENT: `https://${OLD}`,
          ALLOW_REGISTRATION: 'true',
          MONGO_URI: 'mongodb://plain-in-task',
          PATH: '/ecs/bin',
          'bad-name': 'x',
        },
        ['ASSETS_URL', 'HOST', 'PORT', 'TRUST_PROXY'],
      ),
    );
    assert.deepEqual(env, {
      OPENID_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      OPENID_SCOPE: 'openid profile email',
    });
    assert.deepEqual(dropped, {
      ASSETS_URL: 'excluded',
      HOST: 'excluded',
      PORT: 'excluded',
      TRUST_PROXY: 'excluded',
      AWS_REGION: 'reserved by Lambda',
      AWS_ACCESS_KEY_ID: 'reserved by Lambda',
      AWS_LAMBDA_FUNCTION_NAME: 'reserved by Lambda',
      _HANDLER: 'reserved by Lambda',
      SSM_SECRETS: 'handler setting',
      HANDLER_WORK_DIR: 'handler setting',
      DOMAIN_CLIENT: 'set on the function',
      ALLOW_REGISTRATION: 'set on the function',
      MONGO_URI: 'set on the function',
      PATH: 'set on the function',
      'bad-name': 'not a portable variable name',
    });
  });

  test('replaces every occurrence of the old domain in inherited values only', () => {
    const { env } = merge(
      doc({
        OPENID_CALLBACK_URL: '/oauth/openid/callback',
        DOMAIN_SERVER_ALT: `https://${OLD}`,
        CORS: `https://${OLD},https://api.${OLD}`,
        UNRELATED: 'genai.example.com',
      }),
    );
    assert.deepEqual(env, {
      OPENID_CALLBACK_URL: '/oauth/openid/callback',
      DOMAIN_SERVER_ALT: `https://${NEW}`,
      CORS: `https://${NEW},https://api.${NEW}`,
      UNRELATED: 'genai.example.com',
    });
  });

  test('takes a 150-variable task whole (far past the 4 KB Lambda limit)', () => {
    const environment = Object.fromEntries(
      Array.from({ length: 150 }, (_, i) => [`TASK_VAR_${i}`, `https://${OLD}/value/${i}`]),
    );
    assert.ok(JSON.stringify(environment).length > 4096);
    const { env, dropped } = merge(doc(environment));
    assert.equal(Object.keys(env).length, 150);
    assert.equal(env.TASK_VAR_149, `https://${NEW}/value/149`);
    assert.deepEqual(dropped, {});
  });

  test('fails, naming the variable but not its value, when one entry is too long to start a process', () => {
    const value = 'v'.repeat(131072);
    assert.throws(
      () => merge(doc({ HUGE: value })),
      (err: Error) =>
        /HUGE from arn:aws:ecs:.*aprochat-api:42 \(container aprochat-api\) is longer than the 131072 bytes/.test(
          err.message,
        ) && !err.message.includes('vvvv'),
    );
  });
});

describe('parseInheritedEnvironmentDocument', () => {
  const source = (text: string) => ({
    bucket: 'files',
    key: '_librechat-lambda/inherited-environment.json',
    sha256: createHash('sha256').update(text).digest('hex'),
  });

  test('accepts the object Terraform wrote, checked by its hash', () => {
    const text = JSON.stringify(doc({ A: 'é' }, ['HOST']));
    assert.deepEqual(
      parseInheritedEnvironmentDocument(text, source(text)),
      doc({ A: 'é' }, ['HOST']),
    );
  });

  test('rejects an object that does not match the deployed hash', () => {
    const text = JSON.stringify(doc({ A: '1' }));
    assert.throws(
      () => parseInheritedEnvironmentDocument(text.replace('"1"', '"2"'), source(text)),
      /s3:\/\/files\/_librechat-lambda\/inherited-environment.json \(INHERITED_ENVIRONMENT\) does not match the deployed function/,
    );
  });

  for (const [what, text, re] of [
    ['not JSON', '{', /is not valid JSON/],
    ['a list', '[]', /must be a JSON object with taskDefinition/],
    [
      'a non-string value',
      JSON.stringify({ ...doc({}), environment: { A: 1 } }),
      /environment \(name -> string\)/,
    ],
    [
      'no exclude list',
      JSON.stringify({ ...doc({}), exclude: 'HOST' }),
      /exclude \(list of names\)/,
    ],
  ] as const) {
    test(`rejects ${what}`, () => {
      assert.throws(() => parseInheritedEnvironmentDocument(text, source(text)), re);
    });
  }
});

describe('INHERITED_ENVIRONMENT setting', () => {
  const sha = 'a'.repeat(64);
  test('is parsed into bucket, key and sha256, and never passed to LibreChat', () => {
    const s = loadSettings({
      INHERITED_ENVIRONMENT: JSON.stringify({ bucket: 'b', key: 'k.json', sha256: sha }),
    });
    assert.deepEqual(s.inheritedEnvironment, { bucket: 'b', key: 'k.json', sha256: sha });
    assert.equal(s.passThroughEnv.INHERITED_ENVIRONMENT, undefined);
    assert.equal(loadSettings({}).inheritedEnvironment, undefined);
  });

  for (const [what, value, re] of [
    ['not JSON', '{', /INHERITED_ENVIRONMENT must be a JSON object/],
    [
      'without key',
      JSON.stringify({ bucket: 'b', sha256: sha }),
      /must name bucket, key and sha256/,
    ],
    ['with a bad hash', JSON.stringify({ bucket: 'b', key: 'k', sha256: 'x' }), /64 lowercase hex/],
  ] as const) {
    test(`rejects ${what}`, () => {
      assert.throws(
        () => loadSettings({ INHERITED_ENVIRONMENT: value }),
        (err: Error) => err instanceof SettingsError && re.test(err.message),
      );
    });
  }
});
