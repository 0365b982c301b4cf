import { TerraformOutput, Testing, type TerraformStack } from 'cdktf';
import * as ts from 'typescript';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudfrontModule,
  ElasticacheModule,
  S3BucketModule,
  type CloudfrontModuleProps,
  type S3BucketModuleProps,
} from '../../.gen/modules';
import {
  bindingVariables,
  readModuleInterface,
  toCamelCase,
  MODULES_DIR,
} from '../../scripts/module-bindings/generate';
import { MODULE_BINDINGS } from '../../scripts/module-bindings/modules';
import type { TerraformType } from '../../scripts/module-bindings/terraform-type';
import { REPO_ROOT } from '../helpers/config';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';

const BINDINGS = {
  's3-bucket.ts': S3BucketModule,
  'cloudfront.ts': CloudfrontModule,
  'elasticache.ts': ElasticacheModule,
} as const;

function synthModule(build: (stack: TerraformStack) => unknown): any {
  const json = JSON.parse(Testing.synthScope((scope) => build(scope as TerraformStack)));
  const blocks = Object.values<any>(json.module ?? {});
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

/**
 * A value for every attribute of `type` at every depth, as the binding takes it (camelCase
 * attributes) and as the module must receive it (snake_case). Map keys are mixed-case with a
 * dash, so a binding that converted them would show.
 */
function sample(
  type: TerraformType,
  path: string,
  values: Readonly<Record<string, readonly string[]>>,
): { given: unknown; emitted: unknown } {
  const same = (v: unknown) => ({ given: v, emitted: v });
  switch (type.kind) {
    case 'string':
      return same(values[path]?.[0] ?? `value of ${path}`);
    case 'number':
      return same(7);
    case 'bool':
      return same(true);
    case 'any':
      return same({ Key_As_Written: ['x'] });
    case 'list':
    case 'set': {
      const element = sample(type.element, path, values);
      return { given: [element.given], emitted: [element.emitted] };
    }
    case 'tuple': {
      const elements = type.elements.map((element) => sample(element, path, values));
      return { given: elements.map((e) => e.given), emitted: elements.map((e) => e.emitted) };
    }
    case 'map': {
      const element = sample(type.element, `${path}.*`, values);
      return { given: { 'My-Key': element.given }, emitted: { 'My-Key': element.emitted } };
    }
    case 'object': {
      const given: Record<string, unknown> = {};
      const emitted: Record<string, unknown> = {};
      for (const [name, attribute] of Object.entries(type.attributes)) {
        const value = sample(attribute.type, `${path}.${name}`, values);
        given[toCamelCase(name)] = value.given;
        emitted[name] = value.emitted;
      }
      return { given, emitted };
    }
  }
}

/** The interfaces of a generated binding file, read from its syntax tree (not by the generator). */
function declaredInterfaces(file: string): Map<string, ts.InterfaceDeclaration> {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const out = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) out.set(node.name.text, node);
  });
  return out;
}

const propertyName = (member: ts.TypeElement) =>
  member.name && ts.isIdentifier(member.name) ? member.name.text : '?';

/**
 * Mismatches between a TypeScript type in a generated binding and the Terraform type it binds,
 * at every depth: every object attribute a property of the same optionality, lists arrays, maps
 * string-keyed records, `any` unknown.
 */
function typeMismatches(
  node: ts.TypeNode,
  type: TerraformType,
  path: string,
  interfaces: Map<string, ts.InterfaceDeclaration>,
  values: Readonly<Record<string, readonly string[]>>,
): string[] {
  const wrong = (expected: string) => [`${path}: expected ${expected}, got ${node.getText()}`];
  const reference = ts.isTypeReferenceNode(node) ? node.typeName.getText() : undefined;
  const args = ts.isTypeReferenceNode(node) ? (node.typeArguments ?? []) : [];
  switch (type.kind) {
    case 'string': {
      const allowed = values[path];
      if (!allowed) return node.kind === ts.SyntaxKind.StringKeyword ? [] : wrong('string');
      const literals = (ts.isUnionTypeNode(node) ? node.types : [node]).map((t) =>
        ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : '?',
      );
      return JSON.stringify(literals) === JSON.stringify(allowed) ? [] : wrong(allowed.join(' | '));
    }
    case 'number':
      return node.kind === ts.SyntaxKind.NumberKeyword ? [] : wrong('number');
    case 'bool':
      return node.kind === ts.SyntaxKind.BooleanKeyword ? [] : wrong('boolean');
    case 'any':
      return node.kind === ts.SyntaxKind.UnknownKeyword ? [] : wrong('unknown');
    case 'list':
    case 'set':
      if (ts.isArrayTypeNode(node))
        return typeMismatches(node.elementType, type.element, path, interfaces, values);
      if (reference === 'Array' && args.length === 1)
        return typeMismatches(args[0], type.element, path, interfaces, values);
      return wrong('an array');
    case 'map':
      if (reference !== 'Record' || args[0]?.kind !== ts.SyntaxKind.StringKeyword)
        return wrong('Record<string, ...>');
      return typeMismatches(args[1], type.element, `${path}.*`, interfaces, values);
    case 'tuple':
      if (!ts.isTupleTypeNode(node) || node.elements.length !== type.elements.length)
        return wrong(`a tuple of ${type.elements.length}`);
      return type.elements.flatMap((element, i) =>
        typeMismatches(node.elements[i] as ts.TypeNode, element, path, interfaces, values),
      );
    case 'object': {
      const declaration = reference ? interfaces.get(reference) : undefined;
      if (!declaration) return wrong('an interface declared in the binding');
      return membersMismatches(declaration, type.attributes, path, interfaces, values);
    }
  }
}

function membersMismatches(
  declaration: ts.InterfaceDeclaration,
  attributes: Record<string, { type: TerraformType; optional: boolean }>,
  path: string,
  interfaces: Map<string, ts.InterfaceDeclaration>,
  values: Readonly<Record<string, readonly string[]>>,
): string[] {
  const at = (name: string) => (path ? `${path}.${name}` : name);
  const members = new Map(declaration.members.map((m) => [propertyName(m), m]));
  const problems: string[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    const member = members.get(toCamelCase(name));
    members.delete(toCamelCase(name));
    if (!member || !ts.isPropertySignature(member) || !member.type) {
      problems.push(`${at(name)}: no property ${toCamelCase(name)} in ${declaration.name.text}`);
      continue;
    }
    if (Boolean(member.questionToken) !== attribute.optional)
      problems.push(`${at(name)}: optional must be ${attribute.optional}`);
    problems.push(...typeMismatches(member.type, attribute.type, at(name), interfaces, values));
  }
  for (const extra of members.keys())
    problems.push(`${declaration.name.text}.${extra}: not an attribute of the module`);
  return problems;
}

describe.each(MODULE_BINDINGS.map((spec) => [spec.file, spec] as const))(
  'the %s binding',
  (file, spec) => {
    const binding = BINDINGS[file as keyof typeof BINDINGS];
    const iface = readModuleInterface(REPO_ROOT, spec);
    const variables = bindingVariables(iface, spec);
    const values = spec.values ?? {};

    it('pins the registry source to the recorded interface version', () => {
      const block = synthModule((s) => new binding(s, 'm', {} as never));
      expect(block.source).toBe(iface.module);
      expect(block.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(block.version).toBe(iface.version);
    });

    it('types every module variable and every nested attribute, with its optionality', () => {
      const interfaces = declaredInterfaces(join(REPO_ROOT, MODULES_DIR, file));
      const inputs = interfaces.get(`${spec.prefix}ModuleInputs`);
      expect(inputs).toBeDefined();
      const asAttributes = Object.fromEntries(
        variables.map((v) => [v.name, { type: v.type, optional: !v.required }]),
      );
      expect(Object.keys(asAttributes)).toHaveLength(Object.keys(iface.variables).length);
      expect(membersMismatches(inputs!, asAttributes, '', interfaces, values)).toEqual([]);
    });

    it('emits every variable and attribute under its module name, map keys as written', () => {
      const given: Record<string, unknown> = {};
      const emitted: Record<string, unknown> = {};
      for (const variable of variables) {
        const value = sample(variable.type, variable.name, values);
        given[toCamelCase(variable.name)] = value.given;
        emitted[variable.name] = value.emitted;
      }
      const block = synthModule((s) => new binding(s, 'm', given as never));
      expect(block).toEqual({ source: iface.module, version: iface.version, ...emitted });
      expect(checkModuleBlock(block, iface)).toEqual([]);
    });

    it('reads every module output through a getter of the same name in camelCase', () => {
      const getters = iface.outputs.map(toCamelCase);
      const json = JSON.parse(
        Testing.synthScope((scope) => {
          const module: Record<string, unknown> = new binding(scope, 'm', {} as never) as never;
          getters.forEach(
            (getter, i) => new TerraformOutput(scope, `o${i}`, { value: module[getter] }),
          );
        }),
      );
      expect(getters.map((_g, i) => json.output[`o${i}`].value)).toEqual(
        iface.outputs.map((output) => `\${module.m.${output}}`),
      );
    });
  },
);

describe('input conversion', () => {
  const apiOriginConfig = {
    httpPort: 80,
    httpsPort: 443,
    originProtocolPolicy: 'https-only',
  } as const;
  const cloudfront: CloudfrontModuleProps = {
    defaultCacheBehavior: {
      targetOriginId: 's3Frontend',
      viewerProtocolPolicy: 'redirect-to-https',
      functionAssociation: { 'viewer-request': { functionKey: 'spa', functionArn: 'arn' } },
    },
    origin: {
      s3Frontend: { domainName: 'd', customHeader: { 'X-Origin-Verify': 'v' } },
      api: {
        domainName: 'd',
        customOriginConfig: { ...apiOriginConfig, originReadTimeout: 60 },
      },
    },
    tags: { Name: 'x' },
  };

  it('keeps map keys and map(string) values as written, converts object attributes', () => {
    const cf = synthModule((s) => new CloudfrontModule(s, 'm', cloudfront));
    expect(Object.keys(cf.origin).sort()).toEqual(['api', 's3Frontend']);
    expect(cf.origin.s3Frontend.custom_header).toEqual({ 'X-Origin-Verify': 'v' });
    expect(cf.origin.api.custom_origin_config.origin_read_timeout).toBe(60);
    expect(cf.default_cache_behavior.function_association).toEqual({
      'viewer-request': { function_key: 'spa', function_arn: 'arn' },
    });
    expect(cf.tags).toEqual({ Name: 'x' });
    const s3Props: S3BucketModuleProps = {
      bucket: 'b',
      tags: { CamelCaseTag: 'kept as written' },
      serverSideEncryptionConfiguration: {
        rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } },
      },
    };
    const s3 = synthModule((s) => new S3BucketModule(s, 'm', s3Props));
    expect(s3.tags).toEqual({ CamelCaseTag: 'kept as written' });
    expect(
      s3.server_side_encryption_configuration.rule.apply_server_side_encryption_by_default
        .sse_algorithm,
    ).toBe('aws:kms');
  });

  it('catches a misspelt nested attribute that the module would drop', () => {
    const block = synthModule(
      (s) =>
        new CloudfrontModule(s, 'm', {
          defaultCacheBehavior: { targetOriginId: 'api', viewerProtocolPolicy: 'https-only' },
          origin: {
            api: {
              domainName: 'd',
              customOriginConfig: { ...apiOriginConfig, originReadTimeOut: 60 } as never,
            },
          },
        }),
    );
    expect(
      checkModuleBlock(
        block,
        loadModuleInterface(CloudfrontModule.SOURCE, CloudfrontModule.VERSION),
      ),
    ).toEqual([
      'origin.api.custom_origin_config.origin_read_time_out: no such attribute (the module would silently drop it)',
    ]);
  });
});
