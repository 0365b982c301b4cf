import { OriginVerifySecret } from '../../src/api/origin-verify-secret';
import { LibreChatFunction } from '../../src/backend/librechat-function';
import { MINIMAL_FUNCTION_PROPS } from '../helpers/function-props';
import { onlyResource, resourcesOf, synthScope } from '../helpers/synth';

function synthGeneration(generation?: number) {
  let secret!: OriginVerifySecret;
  const json = synthScope((scope) => {
    secret = new OriginVerifySecret(scope, 'origin', {
      parameterName: '/librechat-lambda/dev/origin-verify',
      generation,
    });
  });
  const passwords = resourcesOf(json, 'random_password');
  const parameters = Object.values(resourcesOf(json, 'aws_ssm_parameter'));
  const byName = (name: string) => parameters.find((p: any) => p.name === name);
  // Which password each parameter holds, and that password's keeper.
  const slotOf = (name: string) => {
    const id = /^\$\{random_password\.(\w+)\.result\}$/.exec(byName(name).value)![1];
    return { id, keeper: passwords[id].keepers.generation };
  };
  return {
    secret,
    passwords,
    byName,
    current: slotOf('/librechat-lambda/dev/origin-verify'),
    previous: slotOf('/librechat-lambda/dev/origin-verify-previous'),
  };
}

describe('OriginVerifySecret', () => {
  it('generates header-safe random values at apply time', () => {
    const { passwords } = synthGeneration();
    expect(Object.values(passwords)).toHaveLength(2);
    for (const password of Object.values<any>(passwords)) {
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect(password.special).toBe(false);
    }
  });

  it('stores current and previous as SSM SecureStrings by reference, never as literals', () => {
    const { byName } = synthGeneration();
    for (const name of [
      '/librechat-lambda/dev/origin-verify',
      '/librechat-lambda/dev/origin-verify-previous',
    ]) {
      expect(byName(name).type).toBe('SecureString');
      expect(byName(name).value).toMatch(/^\$\{random_password\.\w+\.result\}$/);
    }
  });

  it('rotates by generation: the new current value is new, the previous one is the old current', () => {
    const g1 = synthGeneration(1);
    const g2 = synthGeneration(2);
    const g3 = synthGeneration(3);
    // Generation 2 keeps the password generation 1 sent (same id, same keeper: not replaced)...
    expect(g2.previous).toEqual(g1.current);
    // ...and the current one is the other slot with a changed keeper (replaced: a new value).
    expect(g2.current.id).toBe(g1.previous.id);
    expect(g2.current.keeper).not.toBe(g1.previous.keeper);
    expect(g3.previous).toEqual(g2.current);
    expect(g3.current.id).toBe(g2.previous.id);
    expect(g3.current.keeper).not.toBe(g2.previous.keeper);
  });

  it('names the header, defaulting to x-origin-verify, and refuses a generation below 1', () => {
    expect(synthGeneration().secret.headerName).toBe('x-origin-verify');
    expect(() => synthGeneration(0)).toThrow(/generation must be a whole number from 1/);
  });

  it('makes a function enforce the header: both values as secrets, after their parameters', () => {
    const json = synthScope((scope) => {
      const secret = new OriginVerifySecret(scope, 'origin', {
        parameterName: '/librechat-lambda/dev/origin-verify',
        previousWindowMinutes: 30,
      });
      secret.enforceOn(new LibreChatFunction(scope, 'api', MINIMAL_FUNCTION_PROPS));
    });
    const fn = onlyResource(json, 'aws_lambda_function');
    const vars = fn.environment.variables;
    expect(JSON.parse(vars.SSM_SECRETS)).toEqual({
      ORIGIN_VERIFY_SECRET: '/librechat-lambda/dev/origin-verify',
      ORIGIN_VERIFY_PREVIOUS_SECRET: '/librechat-lambda/dev/origin-verify-previous',
    });
    expect(vars).toMatchObject({
      ORIGIN_VERIFY_HEADER: 'x-origin-verify',
      ORIGIN_VERIFY_DISABLED: 'false',
      ORIGIN_VERIFY_PREVIOUS_WINDOW_S: '1800',
    });
    expect(fn.depends_on.filter((d: string) => d.startsWith('aws_ssm_parameter.'))).toHaveLength(2);
  });
});
