import type { GuardrailRule } from '../rule';
import { apiGatewayStreamingRule } from './api-gateway';
import { apiGatewayThrottleRule } from './api-gateway-throttle';
import {
  cloudfrontOriginHttpsRule,
  cloudfrontS3OacRule,
  cloudfrontViewerHttpsRule,
} from './cloudfront';
import { redisAtRestEncryptionRule } from './elasticache';
import { iamWildcardRule } from './iam';
import { iamAccessScopeRule, iamManagedPolicyRule, iamTrustRule } from './iam-access';
import {
  lambdaEnvironmentSizeRule,
  lambdaLogGroupRule,
  lambdaSecretEnvironmentRule,
  lambdaVpcRule,
} from './lambda';
import {
  lambdaPermissionRule,
  lambdaSecretReferenceRule,
  lambdaUrlAuthRule,
} from './lambda-access';
import { logRetentionRule } from './log-groups';
import { modulePinnedRule } from './modules';
import { originVerifyRule } from './origin-verify';
import { s3EncryptionRule, s3PublicAccessRule, s3TlsOnlyRule } from './s3';
import { securityGroupOpenIngressRule } from './security-groups';

/** Every rule, in the order findings are printed (and the README table). */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  s3PublicAccessRule,
  s3EncryptionRule,
  s3TlsOnlyRule,
  cloudfrontViewerHttpsRule,
  cloudfrontS3OacRule,
  cloudfrontOriginHttpsRule,
  securityGroupOpenIngressRule,
  iamWildcardRule,
  lambdaVpcRule,
  lambdaLogGroupRule,
  lambdaSecretEnvironmentRule,
  lambdaEnvironmentSizeRule,
  redisAtRestEncryptionRule,
  logRetentionRule,
  apiGatewayStreamingRule,
  modulePinnedRule,
  iamManagedPolicyRule,
  iamTrustRule,
  iamAccessScopeRule,
  lambdaPermissionRule,
  lambdaUrlAuthRule,
  lambdaSecretReferenceRule,
  originVerifyRule,
  apiGatewayThrottleRule,
];
