import { CloudfrontModule } from '../../.gen/modules/cloudfront';
import { ElasticacheModule } from '../../.gen/modules/elasticache';
import { S3BucketModule } from '../../.gen/modules/s3-bucket';
import { moduleDefaults } from '../../src/guardrails/module-defaults';
import { loadModuleInterface } from '../helpers/module-interfaces';

// HCL literals of the recorded defaults that the rules read as JSON values.
function hclLiteral(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  return JSON.parse(text.replace(/^\{\s*\}$/, '{}'));
}

describe.each([
  ['s3-bucket', S3BucketModule],
  ['cloudfront', CloudfrontModule],
  ['elasticache', ElasticacheModule],
] as const)('recorded defaults of the %s module', (_name, binding) => {
  const iface = loadModuleInterface(binding.SOURCE, binding.VERSION);
  const defaults = moduleDefaults(binding.SOURCE, binding.VERSION);

  it('exist for the version the binding pins', () => {
    expect(Object.keys(defaults).length).toBeGreaterThan(3);
  });

  it('match the module interface for every plain variable default', () => {
    for (const [name, value] of Object.entries(defaults)) {
      if (name.includes('.')) continue; // attribute defaults, checked below
      const variable = iface.variables[name];
      expect(variable).toBeDefined();
      if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
        // Non-empty object defaults are HCL: every key and string value must appear.
        for (const [key, inner] of Object.entries(value)) {
          expect(variable.default).toContain(key);
          for (const v of Object.values(inner as object))
            expect(variable.default).toContain(`"${v}"`);
        }
      } else {
        expect(hclLiteral(variable.default)).toEqual(value);
      }
    }
  });
});

describe('attribute defaults inside module object types', () => {
  const cloudfront = loadModuleInterface(CloudfrontModule.SOURCE, CloudfrontModule.VERSION);
  const defaults = moduleDefaults(CloudfrontModule.SOURCE, CloudfrontModule.VERSION);

  it.each([
    ['viewer_certificate', 'minimum_protocol_version', 'optional(string, "TLSv1.2_2025")'],
    ['default_cache_behavior', 'viewer_protocol_policy', 'optional(string, "https-only")'],
    ['origin', 'origin_ssl_protocols', 'optional(list(string), ["TLSv1.2"])'],
  ])('%s.%s is %s', (variable, attribute, expression) => {
    const line = cloudfront.variables[variable].type
      .split('\n')
      .find((l) => l.trim().startsWith(`${attribute} `));
    expect(line?.replace(/\s+/g, ' ')).toContain(`= ${expression}`);
    const key = Object.keys(defaults).find((k) => k.startsWith(variable) && k.endsWith(attribute))!;
    expect(JSON.stringify(defaults[key])).toBe(
      expression.replace(/^optional\([^,]+(\([^)]*\))?, /, '').replace(/\)$/, ''),
    );
  });

  it('gives an unrecorded module version no defaults', () => {
    expect(moduleDefaults(S3BucketModule.SOURCE, '5.0.0')).toEqual({});
  });
});
