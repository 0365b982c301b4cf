/**
 * cdktf 0.21 renders attributes of the `terraform` block other than required_providers, backend
 * and cloud by their index (`0 = "required_version"`) in `cdktf synth --hcl`, which Terraform
 * rejects. This puts each such attribute back as `name = "value"`; the JSON output is unaffected.
 */
export function repairTerraformBlockHcl(hcl: string, attributes: Record<string, string>): string {
  const names = Object.keys(attributes);
  return hcl.replace(
    /^(\s*)(\d+) = "([A-Za-z_]+)"$/gm,
    (line, indent: string, index: string, name: string) =>
      names[Number(index)] === name
        ? `${indent}${name} = ${JSON.stringify(attributes[name])}`
        : line,
  );
}
