import { CloudfrontModule } from '../../.gen/modules';
import {
  ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
  CACHING_DISABLED_POLICY_ID,
} from '../../src/api/api-distribution-route';
import { modulesFrom, onlyResource, synthStack } from '../helpers/synth';

// What the stop relay (docs/stop-button.md) needs from the stack: the stream-id header and the
// bearer reach the function through CloudFront, and the function knows its Redis and key prefix.
describe('stop relay wiring', () => {
  const { json } = synthStack();
  const fn = onlyResource(json, 'aws_lambda_function');
  const env = fn.environment.variables;
  const [distribution] = modulesFrom(json, CloudfrontModule.SOURCE);

  it('forwards every viewer header (X-Stream-Id, Authorization on POST) on the API behaviors', () => {
    const api = distribution.ordered_cache_behavior.filter(
      (b: any) => b.target_origin_id === 'api',
    );
    expect(api.map((b: any) => b.path_pattern)).toEqual(['/api/*', '/oauth/*']);
    for (const behavior of api) {
      // AllViewerExceptHostHeader: all viewer headers, cookies and query strings, no Host.
      expect(behavior.origin_request_policy_id).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
      expect(behavior.origin_request_policy_id).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID);
      expect(behavior.cache_policy_id).toBe(CACHING_DISABLED_POLICY_ID);
      expect(behavior.allowed_methods).toContain('POST');
    }
  });

  it('gives the function its Redis and a per-deployment key prefix', () => {
    expect(env.REDIS_URI).toMatch(/^rediss?:\/\/\S+$/);
    expect(env.HANDLER_ABORT_KEY_PREFIX).toBe(fn.function_name);
    expect(env.HANDLER_ABORT_KEY_PREFIX).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    const staging = synthStack(undefined, 'staging').json;
    expect(
      onlyResource(staging, 'aws_lambda_function').environment.variables.HANDLER_ABORT_KEY_PREFIX,
    ).not.toBe(env.HANDLER_ABORT_KEY_PREFIX);
  });
});
