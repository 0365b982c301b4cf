import { configurationReference, environmentJsonSchema } from './config-reference';
import { guardrailReference } from './guardrail-reference';
import { handlerEnvironmentReference } from './handler-environment';

/** A docs file written (wholly or between markers) from the code. */
export interface GeneratedDoc {
  /** Path from the repository root. */
  readonly file: string;
  /** The marker name of the section; undefined when the code writes the whole file. */
  readonly section?: string;
  readonly render: () => string;
}

/** Every generated part of the docs: `npm run docs` writes them, a test checks they are current. */
export const GENERATED_DOCS: readonly GeneratedDoc[] = [
  {
    file: 'config/environment.schema.json',
    render: () => `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`,
  },
  { file: 'docs/configuration.md', section: 'config-reference', render: configurationReference },
  { file: 'docs/guardrails.md', section: 'guardrail-rules', render: guardrailReference },
  {
    file: 'handler/README.md',
    section: 'handler-environment',
    render: handlerEnvironmentReference,
  },
];

export { replaceGeneratedSection } from './generated-section';
