import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  childSecretParameters,
  OriginCheck,
  type OriginCheckSettings,
} from '../../src/origin-check';

const HOUR = 3600_000;

/** An SSM client answering GetParameters from `params` (name -> value, modified at). */
function fakeSsm(params: Map<string, { value: string; modified: number }>) {
  const calls: string[][] = [];
  const client = {
    async send(command: { input: { Names: string[] } }) {
      calls.push(command.input.Names);
      return {
        Parameters: command.input.Names.filter((n) => params.has(n)).map((n) => ({
          Name: n,
          Value: params.get(n)!.value,
          LastModifiedDate: new Date(params.get(n)!.modified),
        })),
      };
    },
  };
  return { client: client as unknown as SSMClient, calls };
}

const SETTINGS: OriginCheckSettings = {
  ssmSecrets: {
    ORIGIN_VERIFY_SECRET: '/env/origin',
    ORIGIN_VERIFY_PREVIOUS_SECRET: '/env/origin-previous',
    JWT_SECRET: '/env/jwt',
  },
  originVerifyDisabled: false,
  originVerifyPreviousMs: HOUR,
  originVerifyRefreshMs: 10_000,
};

describe('OriginCheck', () => {
  test('fails closed: without a secret every request is refused, unless turned off explicitly', async () => {
    const { client, calls } = fakeSsm(new Map());
    const none = new OriginCheck({ ...SETTINGS, ssmSecrets: { JWT_SECRET: '/env/jwt' } }, client);
    await none.load();
    assert.equal(await none.check('anything'), 'unconfigured');
    assert.equal(await none.check(undefined), 'unconfigured');
    assert.equal(none.enforced, false);
    const off = new OriginCheck({ ...SETTINGS, originVerifyDisabled: true }, client);
    await off.load();
    assert.equal(await off.check(undefined), 'off');
    assert.equal(off.enforced, false);
    assert.deepEqual(calls, [], 'nothing to read in either case');
  });

  test('accepts the current secret, and the previous one only within the window after the rotation', async () => {
    let now = 1_000 * HOUR;
    const params = new Map([
      ['/env/origin', { value: 'new-secret', modified: now }],
      ['/env/origin-previous', { value: 'old-secret', modified: now }],
    ]);
    const { client } = fakeSsm(params);
    const check = new OriginCheck(SETTINGS, client, () => now);
    await check.load();
    assert.equal(check.enforced, true);
    assert.equal(await check.check('new-secret'), 'pass');
    assert.equal(await check.check('old-secret'), 'pass');
    assert.equal(await check.check('wrong'), 'forbidden');
    assert.equal(await check.check(undefined), 'forbidden');
    now += HOUR + 1;
    assert.equal(await check.check('old-secret'), 'forbidden');
    assert.equal(await check.check('new-secret'), 'pass');
  });

  test('a warm environment learns a rotation from SSM, reading again at most once per interval', async () => {
    let now = 1_000 * HOUR;
    const params = new Map([
      ['/env/origin', { value: 'gen-1', modified: now - 5 * HOUR }],
      ['/env/origin-previous', { value: 'gen-0', modified: now - 5 * HOUR }],
    ]);
    const { client, calls } = fakeSsm(params);
    const check = new OriginCheck(SETTINGS, client, () => now);
    await check.load();
    assert.equal(calls.length, 1);
    // The header is read as one request: both parameters in one call.
    assert.deepEqual(calls[0], ['/env/origin', '/env/origin-previous']);
    // Rotation: SSM holds the new pair, CloudFront starts sending gen-2.
    now += 60_000;
    params.set('/env/origin', { value: 'gen-2', modified: now });
    params.set('/env/origin-previous', { value: 'gen-1', modified: now });
    assert.equal(await check.check('gen-2'), 'pass');
    assert.equal(calls.length, 2);
    // Edges not yet updated still send gen-1: accepted as the previous secret.
    assert.equal(await check.check('gen-1'), 'pass');
    // Wrong headers do not make it read SSM for every request.
    assert.equal(await check.check('forged-1'), 'forbidden');
    assert.equal(await check.check('forged-2'), 'forbidden');
    assert.equal(calls.length, 2);
    now += 10_000;
    assert.equal(await check.check('forged-3'), 'forbidden');
    assert.equal(calls.length, 3);
  });

  test('a missing origin parameter fails the load (nothing is served), naming it, not its value', async () => {
    const { client } = fakeSsm(new Map([['/env/origin', { value: 'v-123', modified: 0 }]]));
    const check = new OriginCheck(SETTINGS, client);
    await assert.rejects(check.load(), (err: Error) => {
      assert.match(err.message, /ORIGIN_VERIFY_PREVIOUS_SECRET -> \/env\/origin-previous/);
      assert.ok(!err.message.includes('v-123'));
      return true;
    });
  });

  test('LibreChat never gets the origin secrets', () => {
    assert.deepEqual(childSecretParameters(SETTINGS.ssmSecrets), { JWT_SECRET: '/env/jwt' });
  });
});
