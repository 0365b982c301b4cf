/**
 * A small parser for Terraform type constraints as written in `variable` blocks
 * (`object({ a = optional(list(string), []) })`): the module binding generator turns them into
 * TypeScript types, and the tests check module inputs against them at every depth.
 */
export type TerraformType =
  | { kind: 'string' | 'number' | 'bool' | 'any' }
  | { kind: 'list' | 'set' | 'map'; element: TerraformType }
  | { kind: 'tuple'; elements: TerraformType[] }
  | { kind: 'object'; attributes: Record<string, { type: TerraformType; optional: boolean }> };

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): TerraformType {
    const type = this.type();
    this.skip();
    if (this.pos !== this.text.length) this.fail('unexpected text after the type');
    return type;
  }

  private fail(message: string): never {
    throw new Error(`${message} at ${this.pos}: ${this.text.slice(this.pos, this.pos + 40)}`);
  }

  private skip(): void {
    for (;;) {
      const rest = this.text.slice(this.pos);
      const space = /^\s+/.exec(rest);
      if (space) this.pos += space[0].length;
      else if (rest.startsWith('#') || rest.startsWith('//')) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end;
      } else return;
    }
  }

  private word(): string {
    this.skip();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  private expect(ch: string): void {
    this.skip();
    if (this.text[this.pos] !== ch) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  private peek(): string {
    this.skip();
    return this.text[this.pos];
  }

  /** Skips a default value expression (balanced brackets, strings) up to the closing paren. */
  private skipExpression(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '"') {
        this.pos++;
        while (this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
      } else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) {
        if (depth === 0) return;
        depth--;
      }
      this.pos++;
    }
  }

  private type(): TerraformType {
    const name = this.word();
    switch (name) {
      case 'string':
      case 'number':
      case 'bool':
      case 'any':
        return { kind: name };
      case 'list':
      case 'set':
      case 'map': {
        this.expect('(');
        const element = this.type();
        this.expect(')');
        return { kind: name, element };
      }
      case 'tuple': {
        this.expect('(');
        this.expect('[');
        const elements: TerraformType[] = [];
        while (this.peek() !== ']') {
          elements.push(this.type());
          if (this.peek() === ',') this.pos++;
        }
        this.expect(']');
        this.expect(')');
        return { kind: 'tuple', elements };
      }
      case 'object': {
        this.expect('(');
        this.expect('{');
        const attributes: Record<string, { type: TerraformType; optional: boolean }> = {};
        while (this.peek() !== '}') {
          const attr = this.word();
          this.expect('=');
          attributes[attr] = this.attributeType();
          if (this.peek() === ',') this.pos++;
        }
        this.expect('}');
        this.expect(')');
        return { kind: 'object', attributes };
      }
      default:
        return this.fail(`unknown type "${name}"`);
    }
  }

  private attributeType(): { type: TerraformType; optional: boolean } {
    const save = this.pos;
    if (this.word() === 'optional') {
      this.expect('(');
      const type = this.type();
      if (this.peek() === ',') {
        this.pos++;
        this.skipExpression();
      }
      this.expect(')');
      return { type, optional: true };
    }
    this.pos = save;
    return { type: this.type(), optional: false };
  }
}

export function parseTerraformType(text: string): TerraformType {
  return new Parser(text).parse();
}
