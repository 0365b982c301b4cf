import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODULE_INTERFACES_DIR } from '../helpers/module-interfaces';
import { checkValue, parseTerraformType } from '../helpers/terraform-type';

describe('the Terraform type parser used to check module inputs', () => {
  it('parses every variable type of the recorded module interfaces', () => {
    let count = 0;
    // Only the recorded interfaces: the directory also holds the modules' sources (src/).
    for (const file of readdirSync(MODULE_INTERFACES_DIR).filter((f) => f.endsWith('.json'))) {
      const iface = JSON.parse(readFileSync(join(MODULE_INTERFACES_DIR, file), 'utf8'));
      for (const variable of Object.values<any>(iface.variables)) {
        expect(() => parseTerraformType(variable.type)).not.toThrow();
        count++;
      }
    }
    expect(count).toBeGreaterThan(150);
  });

  it('finds misspelt attributes at any depth, wrong kinds and missing required attributes', () => {
    const type = parseTerraformType(`map(object({
      domain_name = string
      # a comment
      custom_origin_config = optional(object({
        http_port = number
        origin_ssl_protocols = optional(list(string), ["TLSv1.2"])
      }), { http_port = 80 })
    }))`);
    expect(checkValue({ s3: { domain_name: 'x' } }, type, 'origin')).toEqual([]);
    expect(checkValue({ s3: { domain_name: '${aws_s3_bucket.x.id}' } }, type, 'origin')).toEqual(
      [],
    );
    expect(
      checkValue(
        {
          s3: {
            domain_name: 'x',
            custom_origin_config: { http_port: 80, origin_ssl_protocol: [] },
          },
        },
        type,
        'origin',
      ),
    ).toEqual([
      'origin.s3.custom_origin_config.origin_ssl_protocol: no such attribute (the module would silently drop it)',
    ]);
    expect(
      checkValue({ s3: { custom_origin_config: { http_port: '80' } } }, type, 'origin'),
    ).toEqual([
      'origin.s3.custom_origin_config.http_port: expected a number, got "80"',
      'origin.s3.domain_name: required attribute missing',
    ]);
  });
});
