import type { GuardrailRule, Violation } from '../rule';
import { blocksOf, referenceOf } from '../terraform-document';

const positive = (value: unknown) =>
  (typeof value === 'number' && value > 0) ||
  (typeof value === 'string' && (value.includes('${') || Number(value) > 0));

export const apiGatewayThrottleRule: GuardrailRule = {
  id: 'GR-APIGW-THROTTLE',
  description:
    'Every API Gateway stage has stage-wide throttling: aws_api_gateway_method_settings for "*/*" with a positive burst and rate limit',
  fix: 'add aws_api_gateway_method_settings { method_path = "*/*", settings { throttling_burst_limit, throttling_rate_limit } } for the stage (api.throttle)',
  check(document) {
    const out: Violation[] = [];
    const settings = document.resources('aws_api_gateway_method_settings');
    for (const stage of document.resources('aws_api_gateway_stage')) {
      const forStage = settings.filter((s) => {
        const ref = referenceOf(s.body.stage_name);
        return ref
          ? ref.address === stage.address
          : s.body.stage_name === stage.body.stage_name &&
              s.body.rest_api_id === stage.body.rest_api_id;
      });
      const all = forStage.find((s) => s.body.method_path === '*/*');
      const limits = blocksOf(all?.body.settings)[0];
      if (!all) {
        out.push({
          element: stage,
          problem: 'no aws_api_gateway_method_settings for "*/*" of this stage',
        });
      } else if (
        !positive(limits?.throttling_burst_limit) ||
        !positive(limits?.throttling_rate_limit)
      ) {
        out.push({
          element: stage,
          problem: `its "*/*" method settings have no positive throttling_burst_limit and throttling_rate_limit (${JSON.stringify(limits?.throttling_burst_limit ?? null)}, ${JSON.stringify(limits?.throttling_rate_limit ?? null)})`,
        });
      }
    }
    return out;
  },
};
