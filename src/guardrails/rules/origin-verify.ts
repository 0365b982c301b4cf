import type { GuardrailRule, Violation } from '../rule';
import { blocksOf, referenceOf, type Block } from '../terraform-document';
import { CLOUDFRONT_MODULE_SOURCE } from './cloudfront';

/** The origin blocks of CloudFront distributions (resources and the cloudfront module). */
function cloudfrontOrigins(document: Parameters<GuardrailRule['check']>[0]): Block[] {
  const out: Block[] = [];
  for (const d of document.resources('aws_cloudfront_distribution')) {
    for (const o of blocksOf(d.body.origin)) {
      const headers: Record<string, unknown> = {};
      for (const h of blocksOf(o.custom_header)) headers[String(h.name)] = h.value;
      out.push({ ...o, custom_header: headers });
    }
  }
  for (const m of document.modules(CLOUDFRONT_MODULE_SOURCE)) {
    out.push(...Object.values<Block>(m.body.origin ?? {}));
  }
  return out;
}

function ssmSecretNames(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}

export const originVerifyRule: GuardrailRule = {
  id: 'GR-ORIGIN-VERIFY',
  description:
    'A function invoked by API Gateway checks the origin header: it gets ORIGIN_VERIFY_SECRET (SSM_SECRETS) and ORIGIN_VERIFY_HEADER, the check is not disabled, and CloudFront sends that header to the execute-api origin',
  fix: "call originVerifySecret.enforceOn(fn), and give the API's distribution route the same secret (its origin's custom_header)",
  check(document) {
    const out: Violation[] = [];
    const apiOrigins = cloudfrontOrigins(document).filter(
      (o) => typeof o.domain_name === 'string' && o.domain_name.includes('.execute-api.'),
    );
    const invokedByApi = new Set(
      document
        .resources('aws_lambda_permission')
        .filter((p) => p.body.principal === 'apigateway.amazonaws.com')
        .map((p) => referenceOf(p.body.function_name)?.address)
        .filter(Boolean),
    );
    for (const fn of document.resources('aws_lambda_function')) {
      if (!invokedByApi.has(fn.address)) continue;
      const variables = blocksOf(fn.body.environment)[0]?.variables ?? {};
      const header = variables.ORIGIN_VERIFY_HEADER;
      const problems: string[] = [];
      if (!ssmSecretNames(variables.SSM_SECRETS).includes('ORIGIN_VERIFY_SECRET')) {
        problems.push('SSM_SECRETS has no ORIGIN_VERIFY_SECRET');
      }
      if (typeof header !== 'string' || header === '')
        problems.push('ORIGIN_VERIFY_HEADER is not set');
      if (String(variables.ORIGIN_VERIFY_DISABLED ?? 'false').toLowerCase() === 'true') {
        problems.push('ORIGIN_VERIFY_DISABLED is true');
      }
      if (apiOrigins.length === 0) {
        problems.push('no CloudFront origin points at an execute-api domain');
      }
      for (const origin of apiOrigins) {
        const names = Object.keys(origin.custom_header ?? {}).map((n) => n.toLowerCase());
        if (typeof header === 'string' && !names.includes(header.toLowerCase())) {
          problems.push(
            `CloudFront origin ${JSON.stringify(origin.origin_id ?? origin.domain_name)} does not send ${header}`,
          );
        }
      }
      problems.forEach((problem) => out.push({ element: fn, problem }));
    }
    return out;
  },
};
