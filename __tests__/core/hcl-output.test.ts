import { repairTerraformBlockHcl } from '../../src/core/hcl-output';

describe('repairTerraformBlockHcl', () => {
  it('restores attributes cdktf rendered by index, and leaves everything else alone', () => {
    const broken =
      'terraform {\n  backend "s3" {\n  }\n\n  0 = "required_version"\n}\nlocals {\n  1 = "x"\n}\n';
    expect(repairTerraformBlockHcl(broken, { required_version: '>= 1.10' })).toBe(
      'terraform {\n  backend "s3" {\n  }\n\n  required_version = ">= 1.10"\n}\nlocals {\n  1 = "x"\n}\n',
    );
  });

  it('does not touch a line whose index names another attribute', () => {
    const text = '  0 = "something_else"\n';
    expect(repairTerraformBlockHcl(text, { required_version: '>= 1.10' })).toBe(text);
  });
});
