import { OriginVerifySecret } from '../../src/api/origin-verify-secret';
import { onlyResource, synthScope } from '../helpers/synth';

describe('OriginVerifySecret', () => {
  let secret!: OriginVerifySecret;
  const json = synthScope((scope) => {
    secret = new OriginVerifySecret(scope, 'origin', {
      parameterName: '/librechat-lambda/dev/origin-verify',
    });
  });

  it('generates a header-safe random value at apply time', () => {
    const password = onlyResource(json, 'random_password');
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(password.special).toBe(false);
  });

  it('stores it as an SSM SecureString by reference, never as a literal', () => {
    const parameter = onlyResource(json, 'aws_ssm_parameter');
    expect(parameter.name).toBe('/librechat-lambda/dev/origin-verify');
    expect(parameter.type).toBe('SecureString');
    expect(parameter.value).toMatch(/^\$\{random_password\.\w+\.result\}$/);
  });

  it('names the header, defaulting to x-origin-verify', () => {
    expect(secret.headerName).toBe('x-origin-verify');
  });
});
