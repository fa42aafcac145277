// The Chevrotain parser: token stream -> AST, with error recovery.
//
// One parser instance is built once and reused. `parse()` never throws:
// lexer and parser errors come back as `syntax` diagnostics. Recovery works at
// two levels: the file is cut into top-level declarations before parsing (a
// mistake in one declaration never spills into the next), and inside a
// declaration Chevrotain's single-token insertion/deletion and re-sync keep
// going after the first mistake.

import { EmbeddedActionsParser, IToken, TokenType, EOF, IRecognitionException, tokenMatcher } from 'chevrotain';
import * as T from './lexer';
import type * as A from './ast';
import { errorMessages } from './parser-messages';
import { attachDocComments } from './doc-comments';

type StringLit = A.Literal & { kind: 'string' };

function rangeOf(first: IToken, last: IToken = first): A.Range {
  return { start: first.startOffset, end: last.startOffset + (last.image ?? '').length };
}
function span(a: A.Range, b: A.Range): A.Range {
  return { start: a.start, end: b.end };
}
function nameOf(tok: IToken): A.Name {
  return { text: tok.image, range: rangeOf(tok) };
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

function unescape(image: string): string {
  return image.slice(1, image.endsWith('"') && image.length > 1 ? -1 : undefined).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

export function literalFromToken(tok: IToken): A.Literal {
  const range = rangeOf(tok);
  const img = tok.image ?? '';
  switch (tok.tokenType) {
    case T.StringLit:
    case T.UnterminatedString:
      return { kind: 'string', value: unescape(img), range };
    case T.NumberLit:
      return { kind: 'number', value: Number(img), range };
    case T.DurationLit: {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(img);
      return { kind: 'duration', value: m ? Number(m[1]) * DURATION_UNITS[m[2]] : NaN, text: img, range };
    }
    case T.PercentLit:
      return { kind: 'percent', value: Number(img.slice(0, -1)), text: img, range };
    case T.DateLit:
      return { kind: 'date', value: img, range };
    case T.VersionLit:
      return { kind: 'version', value: img, range };
    case T.RegexLit: {
      const close = img.lastIndexOf('/');
      return { kind: 'regex', value: img.slice(1, close), flags: img.slice(close + 1), range };
    }
    case T.True:
      return { kind: 'bool', value: true, range };
    case T.False:
      return { kind: 'bool', value: false, range };
  }
  return { kind: 'string', value: img, range };
}

/** Rules that fail return undefined; their callers check. */
const RECOVER_NONE = { recoveryValueFunc: (): never => undefined as never };

const RULE_START = new Set<TokenType>([T.Allow, T.Deny, T.Mask, T.Rows]);
const OPERATOR_WORDS = new Set<TokenType>([T.And, T.Or, T.In]);
/** What follows the principal of `expect P ...`. */
const AFTER_PRINCIPAL = new Set<TokenType>([T.Can, T.Cannot, T.Sees]);

class CharterParser extends EmbeddedActionsParser {
  /** The file being parsed (gates look at line starts). */
  text = '';

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: errorMessages });
    this.performSelfAnalysis();
  }

  // ------------------------------------------------------------ helpers

  // Helpers called from several rules take an explicit DSL index: Chevrotain
  // needs every CONSUME/SUBRULE/MANY inside one rule to have a distinct index.
  private name(msg: string, idx: number): A.Name {
    return nameOf(this.consume(idx, T.Name, { ERR_MSG: msg }));
  }

  private nameList(msg: string, base: number): A.Name[] {
    const out: A.Name[] = [nameOf(this.consume(base, T.Name, { ERR_MSG: msg }))];
    this.many(base, () => {
      this.consume(base, T.Comma);
      out.push(nameOf(this.consume(base + 1, T.Name, { ERR_MSG: msg })));
    });
    return out;
  }

  private qnameList(msg: string, base: number): A.QName[] {
    const out: A.QName[] = [this.subrule(base, this.qname, { ARGS: [msg] })];
    this.many(base, () => {
      this.consume(base, T.Comma);
      out.push(this.subrule(base + 1, this.qname, { ARGS: [msg] }));
    });
    return out;
  }

  /**
   * The items of a `{ ... }` block and its closing brace, with recovery:
   * tokens that cannot start an item are skipped as one error per run, and a
   * missing '}' is reported while the block is kept. `idx` must be unique
   * among the blocks of one rule.
   */
  private body(idx: number, item: () => void, itemMsg: string, closeMsg: string): A.Range | undefined {
    this.many(idx, {
      GATE: () => this.LA(1).tokenType !== T.RBrace,
      DEF: () =>
        this.or(idx, {
          IGNORE_AMBIGUITIES: true,
          MAX_LOOKAHEAD: 1,
          DEF: [{ ALT: item }, { ALT: () => this.skip(idx, itemMsg) }],
        }),
    });
    let close: A.Range | undefined;
    this.option(idx, () => (close = rangeOf(this.consume(idx, T.RBrace))));
    this.ACTION(() => {
      if (!close) {
        const prev = this.LA(0);
        const end = prev.startOffset + (prev.image ?? '').length;
        this.recovered.push(syntaxError({ start: end, end }, `${closeMsg}, found the end of the declaration`));
      }
    });
    return close;
  }

  private skip(idx: number, msg: string): void {
    const prev = this.LA(0);
    const t = this.consume(idx, T.Any);
    this.ACTION(() => {
      const last = this.recovered[this.recovered.length - 1];
      if (last && this.lastSkipped === prev) last.range.end = t.startOffset + t.image.length;
      else this.recovered.push(syntaxError(rangeOf(t), `${msg}, found ${describeFound(t)}`));
      this.lastSkipped = t;
    });
  }

  /** Errors found by the parser's own recovery (skipped tokens, missing braces). */
  recovered: A.Diagnostic[] = [];
  private lastSkipped: IToken | undefined;

  private optString(): StringLit | undefined {
    let s: StringLit | undefined;
    this.OPTION8(() => {
      s = this.SUBRULE8(this.stringLit);
    });
    return s;
  }

  // --------------------------------------------------------------- names

  qname = this.RULE(
    'qname',
    (msg?: string): A.QName => {
      const parts: A.Name[] = [];
      parts.push(nameOf(this.CONSUME(T.Name, { ERR_MSG: msg ?? 'expected a name' })));
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.Star,
        DEF: () => {
          this.CONSUME(T.Dot);
          parts.push(nameOf(this.CONSUME2(T.Name, { ERR_MSG: "expected a name after '.'" })));
        },
      });
      return this.ACTION(() => ({
        text: parts.map((p) => p.text).join('.'),
        parts,
        range: span(parts[0].range, parts[parts.length - 1].range),
      }));
    },
    RECOVER_NONE,
  );

  stringLit = this.RULE('stringLit', (): StringLit => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.StringLit) }, { ALT: () => this.CONSUME(T.UnterminatedString) }]);
    return literalFromToken(t) as StringLit;
  });

  // ------------------------------------------------------------ literals

  literal = this.RULE('literal', (): A.Literal => {
    return this.OR({ DEF: [
      { ALT: () => this.SUBRULE(this.stringLit) },
      { ALT: () => literalFromToken(this.CONSUME(T.NumberLit)) },
      { ALT: () => literalFromToken(this.CONSUME(T.DurationLit)) },
      { ALT: () => literalFromToken(this.CONSUME(T.PercentLit)) },
      { ALT: () => literalFromToken(this.CONSUME(T.DateLit)) },
      { ALT: () => literalFromToken(this.CONSUME(T.VersionLit)) },
      { ALT: () => literalFromToken(this.CONSUME(T.RegexLit)) },
      { ALT: () => literalFromToken(this.CONSUME(T.True)) },
      { ALT: () => literalFromToken(this.CONSUME(T.False)) },
      { ALT: () => this.SUBRULE(this.listLiteral) },
    ], ERR_MSG: 'expected a value (a string, number, duration, percentage, date, version, true/false or a list)' });
  });

  listLiteral = this.RULE('listLiteral', (): A.Literal => {
    const open = this.CONSUME(T.LBracket);
    const items: A.Literal[] = [];
    this.MANY_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.literal)) });
    const close = this.CONSUME(T.RBracket, { ERR_MSG: "expected ']' to close the list" });
    return { kind: 'list', items, range: rangeOf(open, close) };
  });

  /** A property value: a literal or a bare name (`status active`, `encryption required`). */
  propertyValue = this.RULE('propertyValue', (): A.Literal | A.Name => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.literal) },
        { ALT: () => nameOf(this.CONSUME(T.Name)) },
      ],
      ERR_MSG: 'expected a value',
    });
  });

  property = this.RULE(
    'property',
    (): A.Property => {
      const key = nameOf(this.CONSUME(T.Name, { ERR_MSG: 'expected a property name' }));
      const value = this.SUBRULE(this.propertyValue);
      return this.ACTION(() => ({ key, value, range: value ? span(key.range, value.range) : key.range }));
    },
    RECOVER_NONE,
  );

  // --------------------------------------------------------------- entry

  declaration = this.RULE(
    'declaration',
    (): A.Declaration => {
      return this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => this.SUBRULE(this.groupDecl) },
          { ALT: () => this.SUBRULE(this.attributesDecl) },
          { ALT: () => this.SUBRULE(this.principalDecl) },
          { ALT: () => this.SUBRULE(this.classificationDecl) },
          { ALT: () => this.SUBRULE(this.domainDecl) },
          { ALT: () => this.SUBRULE(this.contractDecl) },
          { ALT: () => this.SUBRULE(this.policyDecl) },
          { ALT: () => this.SUBRULE(this.governanceDecl) },
          { ALT: () => this.SUBRULE(this.waiverDecl) },
          { ALT: () => this.SUBRULE(this.testDecl) },
        ],
        ERR_MSG: 'expected a declaration (group, subject attributes, context attributes, principal, classification, domain, contract, policy, governance, waiver or test)',
      });
    },
    RECOVER_NONE,
  );

  // -------------------------------------------------------------- groups

  groupDecl = this.RULE('groupDecl', (): A.GroupDecl => {
    const kw = this.CONSUME(T.Group);
    const name = this.name('expected a group name after group', 10);
    const description = this.optString();
    return this.ACTION(() => ({ kind: 'group', name, description, range: span(rangeOf(kw), (description ?? name).range) }));
  });

  // ------------------------------------------------------ attribute schemas

  attributesDecl = this.RULE('attributesDecl', (): A.AttributeSchemaDecl => {
    const kw = this.OR([{ ALT: () => this.CONSUME(T.Subject) }, { ALT: () => this.CONSUME(T.Context) }]);
    this.CONSUME(T.Attributes, { ERR_MSG: `expected 'attributes' after '${kw.image}'` });
    this.CONSUME(T.LBrace, { ERR_MSG: "expected '{' to open the attribute schema" });
    const attributes: A.AttributeDecl[] = [];
    const close = this.body(
      1,
      () => {
        const a = this.SUBRULE(this.attributeDecl);
        if (a) attributes.push(a);
      },
      'expected an attribute such as region: "EU" | "US" or clearance: number',
      "expected '}' to close the attribute schema",
    );
    return this.ACTION(() => ({ kind: 'attributes', scope: kw.image as 'subject' | 'context', keyword: rangeOf(kw), attributes, range: span(rangeOf(kw), close ?? attributes[attributes.length - 1]?.range ?? rangeOf(kw)), name: nameOf(kw) }) as A.AttributeSchemaDecl);
  });

  attributeDecl = this.RULE(
    'attributeDecl',
    (): A.AttributeDecl => {
      const name = nameOf(this.CONSUME(T.Name, { ERR_MSG: 'expected an attribute name' }));
      this.CONSUME(T.Colon, { ERR_MSG: "expected ':' after attribute name" });
      const type = this.SUBRULE(this.attrType);
      return this.ACTION(() => ({ kind: 'attribute', name, type, range: span(name.range, type ? type.range : name.range) }));
    },
    RECOVER_NONE,
  );

  attrType = this.RULE('attrType', (): A.AttrType => {
    return this.OR({ DEF: [
      {
        ALT: () => {
          const values: StringLit[] = [this.SUBRULE(this.stringLit)];
          this.MANY(() => {
            this.CONSUME(T.Pipe);
            values.push(this.SUBRULE2(this.stringLit));
          });
          return this.ACTION(() => ({ kind: 'enum' as const, values, range: span(values[0].range, values[values.length - 1].range) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Name);
          return { kind: t.image as 'string', range: rangeOf(t) };
        },
      },
    ], ERR_MSG: 'expected an attribute type: string, number, bool, date or "a" | "b"' });
  });

  // ---------------------------------------------------------- principals

  principalDecl = this.RULE('principalDecl', (): A.PrincipalDecl => {
    const kw = this.CONSUME(T.Principal);
    const name = this.name('expected a principal name after principal', 10);
    let service = false;
    let last: A.Range = name.range;
    this.OPTION(() => {
      last = rangeOf(this.CONSUME(T.Service));
      service = true;
    });
    const memberOf: A.Name[] = [];
    const attributes: A.PrincipalAttr[] = [];
    this.OPTION2(() => {
      this.CONSUME(T.LBrace);
      const close = this.body(1, () => {
        this.OR({
          IGNORE_AMBIGUITIES: true,
          MAX_LOOKAHEAD: 1,
          DEF: [
            {
              GATE: () => this.LA(2).tokenType === T.Of,
              ALT: () => {
                this.CONSUME(T.Member);
                this.CONSUME(T.Of);
                memberOf.push(...this.nameList('expected a group name after member of', 20));
              },
            },
            {
              ALT: () => {
                const a = this.SUBRULE(this.attrValue);
                if (a) attributes.push(a);
              },
            },
          ],
          ERR_MSG: "expected 'member of GROUP' or an attribute value (region \"EU\")",
        });
      }, "expected 'member of GROUP' or an attribute value (region \"EU\")", "expected '}' to close the principal");
      this.ACTION(() => (last = close ?? attributes[attributes.length - 1]?.range ?? memberOf[memberOf.length - 1]?.range ?? last));
    });
    return this.ACTION(() => ({ kind: 'principal', name, service, memberOf, attributes, range: span(rangeOf(kw), last) }));
  });

  attrValue = this.RULE(
    'attrValue',
    (): A.PrincipalAttr => {
      const name = nameOf(this.CONSUME(T.Name, { ERR_MSG: 'expected an attribute name' }));
      const value = this.SUBRULE(this.literal);
      return this.ACTION(() => ({ name, value, range: span(name.range, value.range) }));
    },
    RECOVER_NONE,
  );

  // ----------------------------------------------- classifications, domains

  private propertyBlock(props: A.Property[], what: string): A.Range | undefined {
    let close: A.Range | undefined;
    this.OPTION9(() => {
      this.CONSUME9(T.LBrace);
      close = this.body(
        19,
        () => {
          const p = this.SUBRULE9(this.property);
          if (p) props.push(p);
        },
        `expected a property of the ${what} (a name and a value)`,
        `expected '}' to close the ${what}`,
      );
      this.ACTION(() => (close ??= props[props.length - 1]?.range));
    });
    return close;
  }

  classificationDecl = this.RULE('classificationDecl', (): A.ClassificationDecl => {
    const kw = this.CONSUME(T.Classification);
    const name = this.SUBRULE(this.qname, { ARGS: ['expected a classification name after classification'] });
    const description = this.optString();
    const properties: A.Property[] = [];
    const detect: (A.Literal & { kind: 'regex' })[] = [];
    const detectRanges: A.Range[] = [];
    let close: A.Range | undefined;
    this.OPTION(() => {
      this.CONSUME(T.LBrace);
      close = this.body(
        1,
        () => {
          this.OR({
            IGNORE_AMBIGUITIES: true,
            MAX_LOOKAHEAD: 1,
            DEF: [
              {
                GATE: () => this.LA(2).tokenType === T.RegexLit,
                ALT: () => {
                  const d = this.CONSUME(T.Detect);
                  const res = [literalFromToken(this.CONSUME(T.RegexLit)) as A.Literal & { kind: 'regex' }];
                  this.MANY(() => {
                    this.CONSUME(T.Comma);
                    res.push(literalFromToken(this.CONSUME2(T.RegexLit, { ERR_MSG: "expected another /pattern/ after ',' in detect" })) as A.Literal & { kind: 'regex' });
                  });
                  this.ACTION(() => {
                    detect.push(...res);
                    detectRanges.push(span(rangeOf(d), res[res.length - 1].range));
                  });
                },
              },
              {
                ALT: () => {
                  const p = this.SUBRULE(this.property);
                  if (p) properties.push(p);
                },
              },
            ],
            ERR_MSG: 'expected a property of the classification (level 3, or detect /pattern/i)',
          });
        },
        'expected a property of the classification (level 3, or detect /pattern/i)',
        "expected '}' to close the classification",
      );
      this.ACTION(() => (close ??= [...properties.map((p) => p.range), ...detectRanges].sort((a, b) => a.end - b.end).pop()));
    });
    return this.ACTION(() => ({ kind: 'classification', name, description, properties, detect, detectRanges, range: span(rangeOf(kw), close ?? (description ?? name).range) }));
  });

  domainDecl = this.RULE('domainDecl', (): A.DomainDecl => {
    const kw = this.CONSUME(T.Domain);
    const name = this.name('expected a domain name after domain', 10);
    const description = this.optString();
    const properties: A.Property[] = [];
    const close = this.propertyBlock(properties, 'domain');
    return this.ACTION(() => ({ kind: 'domain', name, description, properties, range: span(rangeOf(kw), close ?? (description ?? name).range) }));
  });

  // ----------------------------------------------------------- contracts

  contractDecl = this.RULE('contractDecl', (): A.ContractDecl => {
    const kw = this.CONSUME(T.Contract);
    const name = this.SUBRULE(this.qname, { ARGS: ['expected a contract name (domain.product) after contract'] });
    const description = this.optString();
    this.CONSUME(T.LBrace, { ERR_MSG: "expected '{' to open the contract" });
    const fields: A.FieldDecl[] = [];
    const properties: A.Property[] = [];
    let sla: A.SlaBlock | undefined;
    let source: A.ContractDecl['source'];
    const close = this.body(1, () => {
      this.OR({
        IGNORE_AMBIGUITIES: true,
        MAX_LOOKAHEAD: 1,
        DEF: [
          {
            ALT: () => {
              const f = this.SUBRULE(this.fieldDecl);
              if (f) fields.push(f);
            },
          },
          { GATE: () => this.LA(2).tokenType === T.LBrace, ALT: () => (sla = this.SUBRULE(this.slaBlock)) },
          {
            GATE: () => this.LA(2).tokenType !== T.Colon,
            ALT: () => {
              const s = this.CONSUME(T.Source);
              const system = nameOf(this.CONSUME(T.Name, { ERR_MSG: 'expected a source system after source (postgres, kafka, ...)' }));
              let location: A.Literal | undefined;
              this.OPTION2(() => (location = this.SUBRULE(this.literal)));
              source = this.ACTION(() => ({ system, location, range: span(rangeOf(s), (location ?? system).range) }));
            },
          },
          {
            ALT: () => {
              const p = this.SUBRULE(this.property);
              if (p) properties.push(p);
            },
          },
        ],
        ERR_MSG: 'expected a field, sla block, source or property (version, owner, status, description) in the contract',
      });
    }, 'expected a field, sla block, source or property (version, owner, status, description) in the contract', "expected '}' to close the contract");
    return this.ACTION(() => ({ kind: 'contract', name, description, properties, source, sla, fields, range: span(rangeOf(kw), close ?? fields[fields.length - 1]?.range ?? name.range) }));
  });

  slaBlock = this.RULE('slaBlock', (): A.SlaBlock => {
    const kw = this.CONSUME(T.Sla);
    this.CONSUME(T.LBrace);
    const entries: A.Property[] = [];
    const close = this.body(
      1,
      () => {
        const p = this.SUBRULE(this.property);
        if (p) entries.push(p);
      },
      'expected an sla entry such as freshness 1h',
      "expected '}' to close the sla block",
    );
    return this.ACTION(() => ({ entries, range: span(rangeOf(kw), close ?? entries[entries.length - 1]?.range ?? rangeOf(kw)) }));
  });

  fieldDecl = this.RULE(
    'fieldDecl',
    (): A.FieldDecl => {
      const kw = this.CONSUME(T.Field);
      const name = this.name('expected a field name after field', 10);
      this.CONSUME(T.Colon, { ERR_MSG: "expected ':' after field name" });
      const type = this.SUBRULE(this.typeRef);
      const f: A.FieldDecl = { kind: 'field', name, type, key: false, required: false, unique: false, tags: [], notTagged: [], from: [], range: rangeOf(kw) };
      let last: A.Range | undefined = type?.range;
      this.MANY(() => {
        this.OR([
          { ALT: () => { last = rangeOf(this.CONSUME(T.Key)); f.key = true; } },
          { ALT: () => { last = rangeOf(this.CONSUME(T.Required)); f.required = true; } },
          { ALT: () => { last = rangeOf(this.CONSUME(T.Unique)); f.unique = true; } },
          {
            ALT: () => {
              this.CONSUME(T.Tagged);
              const tags = this.qnameList('expected a classification after tagged', 20);
              this.ACTION(() => { f.tags.push(...tags); last = tags[tags.length - 1]?.range ?? last; });
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Not);
              this.CONSUME2(T.Tagged, { ERR_MSG: "expected 'tagged' after not (not tagged pii.phone)" });
              const tags = this.qnameList('expected a classification after not tagged', 40);
              this.ACTION(() => { f.notTagged.push(...tags); last = tags[tags.length - 1]?.range ?? last; });
            },
          },
          {
            ALT: () => {
              const from = this.CONSUME(T.From);
              const sources = this.qnameList('expected a source field (domain.product.field) after from', 30);
              let via: A.Name | undefined;
              this.OPTION(() => {
                this.CONSUME(T.Via);
                via = this.name('expected a transform after via (copy, derive, hash, tokenize, encrypt, mask, aggregate)', 12);
              });
              this.ACTION(() => {
                f.from.push(...sources);
                f.via = via;
                last = (via ?? sources[sources.length - 1])?.range ?? last;
                f.fromRange = { start: from.startOffset, end: last!.end };
              });
            },
          },
          { ALT: () => { const s = this.SUBRULE(this.stringLit); f.description = s; last = s.range; } },
        ]);
      });
      return this.ACTION(() => {
        f.range = span(rangeOf(kw), last ?? name.range);
        return f;
      });
    },
    RECOVER_NONE,
  );

  typeRef = this.RULE(
    'typeRef',
    (): A.TypeRef => {
      return this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            GATE: () => this.LA(2).tokenType === T.Lt,
            ALT: () => {
              const l = this.CONSUME(T.List);
              this.CONSUME(T.Lt);
              const element = this.SUBRULE(this.typeRef);
              const close = this.CONSUME(T.Gt, { ERR_MSG: "expected '>' to close list<...>" });
              return { name: nameOf(l), element, range: rangeOf(l, close) };
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.Name);
              return { name: nameOf(t), range: rangeOf(t) };
            },
          },
        ],
        ERR_MSG: 'expected a field type (string, int, decimal, bool, date, timestamp, uuid, json or list<T>)',
      });
    },
    RECOVER_NONE,
  );

  // ------------------------------------------------------------ policies

  policyDecl = this.RULE('policyDecl', (): A.PolicyDecl => {
    const kw = this.CONSUME(T.Policy);
    const name = this.name('expected a policy name after policy', 10);
    this.CONSUME(T.On, { ERR_MSG: "expected 'on' and a target after the policy name" });
    const target = this.SUBRULE(this.policyTarget);
    this.CONSUME(T.LBrace, { ERR_MSG: "expected '{' to open the policy" });
    const rules: A.PolicyRule[] = [];
    const close = this.body(
      1,
      () => {
        const r = this.SUBRULE(this.policyRule);
        if (r) rules.push(r);
      },
      'expected a policy rule: allow, deny, mask or rows',
      "expected '}' to close the policy",
    );
    return this.ACTION(() => ({ kind: 'policy', name, target, rules, range: span(rangeOf(kw), close ?? rules[rules.length - 1]?.range ?? name.range) }));
  });

  policyTarget = this.RULE(
    'policyTarget',
    (): A.PolicyTarget => {
      return this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            GATE: () => this.LA(2).tokenType !== T.Dot,
            ALT: () => {
              const d = this.CONSUME(T.Domain);
              const n = this.name('expected a domain name after domain', 10);
              return { kind: 'domain' as const, name: n, range: span(rangeOf(d), n.range) };
            },
          },
          {
            GATE: () => this.LA(2).tokenType === T.Tagged,
            ALT: () => {
              const f = this.CONSUME(T.Fields);
              this.CONSUME(T.Tagged);
              const tags = this.qnameList('expected a classification after fields tagged', 20);
              return this.ACTION(() => ({ kind: 'tagged' as const, tags, range: span(rangeOf(f), tags[tags.length - 1].range) }));
            },
          },
          {
            ALT: () => {
              const q = this.SUBRULE(this.qname, { ARGS: ['expected a target: a contract, domain.*, domain NAME or fields tagged T'] });
              let star: IToken | undefined;
              this.OPTION(() => {
                this.CONSUME(T.Dot);
                star = this.CONSUME(T.Star);
              });
              return this.ACTION(() =>
                star ? { kind: 'wildcard' as const, prefix: q, range: span(q.range, rangeOf(star)) } : { kind: 'contract' as const, name: q, range: q.range },
              );
            },
          },
        ],
      });
    },
    RECOVER_NONE,
  );

  policyRule = this.RULE(
    'policyRule',
    (): A.PolicyRule => {
      return this.OR({ DEF: [
        { ALT: () => this.SUBRULE(this.accessRule) },
        { ALT: () => this.SUBRULE(this.maskRule) },
        { ALT: () => this.SUBRULE(this.rowsRule) },
      ], ERR_MSG: "expected a policy rule: allow, deny, mask or rows" });
    },
    RECOVER_NONE,
  );

  accessRule = this.RULE('accessRule', (): A.AccessRule => {
    const kw = this.OR([{ ALT: () => this.CONSUME(T.Allow) }, { ALT: () => this.CONSUME(T.Deny) }]);
    const action = this.name(`expected an action after ${kw.image} (read, write or discover)`, 10);
    let fields: A.Name[] = [];
    this.OPTION(() => {
      this.CONSUME(T.Of);
      fields = this.nameList('expected a field name after of', 20);
    });
    this.CONSUME(T.To, { ERR_MSG: `expected 'to' and an audience after ${kw.image} ${action.text}` });
    const audience = this.SUBRULE(this.audience);
    const condition = this.optCondition();
    return this.ACTION(() => ({
      kind: kw.image as 'allow' | 'deny',
      action,
      fields,
      audience,
      condition,
      range: span(rangeOf(kw), (condition ?? audience).range),
    }));
  });

  private optCondition(): A.Expr | undefined {
    let c: A.Expr | undefined;
    this.OPTION7(() => {
      this.CONSUME7(T.When);
      c = this.SUBRULE7(this.expr);
    });
    return c;
  }

  maskRule = this.RULE('maskRule', (): A.MaskRule => {
    const kw = this.CONSUME(T.Mask);
    let fields: A.Name[] = [];
    this.OPTION({
      GATE: () => this.LA(1).tokenType !== T.With,
      DEF: () => (fields = this.nameList('expected a field name after mask', 20)),
    });
    this.CONSUME(T.With, { ERR_MSG: "expected 'with' and a mask method (null, redact, hash, partial)" });
    const method = this.name('expected a mask method after with (null, redact, hash, partial)', 10);
    this.CONSUME(T.For, { ERR_MSG: "expected 'for' and an audience after the mask method" });
    const audience = this.SUBRULE(this.audience);
    const condition = this.optCondition();
    return this.ACTION(() => ({ kind: 'mask', method, fields, audience, condition, range: span(rangeOf(kw), (condition ?? audience).range) }));
  });

  rowsRule = this.RULE('rowsRule', (): A.RowsRule => {
    const kw = this.CONSUME(T.Rows);
    this.CONSUME(T.Where, { ERR_MSG: "expected 'where' after rows" });
    const filter = this.SUBRULE(this.expr);
    let audience: A.Audience | undefined;
    this.OPTION(() => {
      this.CONSUME(T.For);
      audience = this.SUBRULE(this.audience);
    });
    return this.ACTION(() => ({
      kind: 'rows',
      filter,
      fields: [],
      audience: audience ?? { include: [{ kind: 'everyone', range: rangeOf(kw) }], except: [], range: rangeOf(kw) },
      range: span(rangeOf(kw), (audience ?? filter).range),
    }));
  });

  audience = this.RULE(
    'audience',
    (): A.Audience => {
      const include: A.AudienceItem[] = [this.SUBRULE(this.audienceItem)];
      this.MANY(() => {
        this.CONSUME(T.Comma);
        include.push(this.SUBRULE2(this.audienceItem));
      });
      const except: A.AudienceItem[] = [];
      this.OPTION(() => {
        this.CONSUME(T.Except);
        except.push(this.SUBRULE3(this.audienceItem));
        this.MANY2(() => {
          this.CONSUME2(T.Comma);
          except.push(this.SUBRULE4(this.audienceItem));
        });
      });
      return this.ACTION(() => {
        const all = [...include, ...except].filter(Boolean);
        return { include: include.filter(Boolean), except: except.filter(Boolean), range: span(all[0].range, all[all.length - 1].range) };
      });
    },
    RECOVER_NONE,
  );

  audienceItem = this.RULE('audienceItem', (): A.AudienceItem => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        { ALT: () => ({ kind: 'everyone' as const, range: rangeOf(this.CONSUME(T.Everyone)) }) },
        { ALT: () => ({ kind: 'owner' as const, range: rangeOf(this.CONSUME(T.Owner)) }) },
        {
          GATE: () => tokenMatcher(this.LA(2), T.Name),
          ALT: () => {
            const p = this.CONSUME(T.Principal);
            const n = this.name('expected a principal name', 10);
            return { kind: 'principal' as const, name: n, range: span(rangeOf(p), n.range) };
          },
        },
        {
          ALT: () => {
            const n = this.name('expected an audience: everyone, owner, a group or principal NAME', 12);
            return { kind: 'group' as const, name: n, range: n.range };
          },
        },
      ],
      ERR_MSG: 'expected an audience: everyone, owner, a group or principal NAME',
    });
  });

  // --------------------------------------------------------- expressions

  expr = this.RULE('expr', (): A.Expr => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      const right = this.SUBRULE2(this.andExpr);
      left = this.ACTION(() => ({ kind: 'binary', op: 'or', left, right, range: span(left.range, right.range) }));
    });
    return left;
  });

  andExpr = this.RULE('andExpr', (): A.Expr => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      const right = this.SUBRULE2(this.notExpr);
      left = this.ACTION(() => ({ kind: 'binary', op: 'and', left, right, range: span(left.range, right.range) }));
    });
    return left;
  });

  notExpr = this.RULE('notExpr', (): A.Expr => {
    return this.OR({ DEF: [
      {
        ALT: () => {
          const n = this.CONSUME(T.Not);
          const operand = this.SUBRULE(this.notExpr);
          return this.ACTION(() => ({ kind: 'not' as const, operand, range: span(rangeOf(n), operand.range) }));
        },
      },
      { ALT: () => this.SUBRULE(this.compareExpr) },
    ], ERR_MSG: 'expected a condition: a value or an attribute (subject.X, context.X, resource.X or a column)' });
  });

  compareExpr = this.RULE('compareExpr', (): A.Expr => {
    const left = this.SUBRULE(this.primary);
    let result: A.Expr = left;
    this.OPTION(() => {
      const op = this.OR([
        { ALT: () => this.CONSUME(T.EqEq) },
        { ALT: () => this.CONSUME(T.NotEq) },
        { ALT: () => this.CONSUME(T.LtEq) },
        { ALT: () => this.CONSUME(T.GtEq) },
        { ALT: () => this.CONSUME(T.Lt) },
        { ALT: () => this.CONSUME(T.Gt) },
        { ALT: () => this.CONSUME(T.In) },
      ]);
      const right = this.SUBRULE2(this.primary);
      result = this.ACTION(() => ({ kind: 'binary', op: op.image as A.CompareOp, left, right, range: span(left.range, right.range) }));
    });
    return result;
  });

  primary = this.RULE('primary', (): A.Expr => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(2).tokenType === T.LParen,
          ALT: () => {
            const h = this.CONSUME(T.Has);
            this.CONSUME(T.LParen);
            const path = this.SUBRULE(this.qname, { ARGS: ['expected an attribute such as subject.region inside has(...)'] });
            const close = this.CONSUME(T.RParen, { ERR_MSG: "expected ')' to close has(...)" });
            return { kind: 'has' as const, path, range: rangeOf(h, close) };
          },
        },
        {
          ALT: () => {
            const open = this.CONSUME2(T.LParen);
            const e = this.SUBRULE(this.expr);
            const close = this.CONSUME2(T.RParen, { ERR_MSG: "expected ')'" });
            return this.ACTION(() => ({ ...e, range: rangeOf(open, close) }));
          },
        },
        {
          ALT: () => {
            const open = this.CONSUME(T.LBracket);
            const items: A.Expr[] = [];
            this.MANY_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE2(this.primary)) });
            const close = this.CONSUME(T.RBracket, { ERR_MSG: "expected ']' to close the list" });
            return { kind: 'list' as const, items, range: rangeOf(open, close) };
          },
        },
        {
          GATE: () => this.LA(1).tokenType === T.True || this.LA(1).tokenType === T.False || !tokenMatcher(this.LA(1), T.Name),
          ALT: () => {
            const value = this.SUBRULE(this.literal);
            return this.ACTION(() => ({ kind: 'literal' as const, value, range: value.range }));
          },
        },
        {
          // A policy-rule keyword at the start of a line is the next rule, not a column:
          // `when a and` + newline + `mask ...` reports the missing operand.
          GATE: () => !OPERATOR_WORDS.has(this.LA(1).tokenType) && !(RULE_START.has(this.LA(1).tokenType) && isLineStart(this.text, this.LA(1).startOffset)),
          ALT: () => {
            const path = this.SUBRULE2(this.qname, { ARGS: ['expected a value or an attribute (subject.X, context.X, resource.X or a column)'] });
            return this.ACTION(() => ({ kind: 'ref' as const, path, range: path.range }));
          },
        },
      ],
      ERR_MSG: 'expected a value or an attribute (subject.X, context.X, resource.X or a column)',
    });
  });

  // ---------------------------------------------------------- governance

  governanceDecl = this.RULE('governanceDecl', (): A.GovernanceDecl => {
    const kw = this.CONSUME(T.Governance);
    const name = this.name('expected a name after governance', 10);
    this.CONSUME(T.LBrace, { ERR_MSG: "expected '{' to open the governance block" });
    const rules: A.GovRule[] = [];
    const close = this.body(
      1,
      () => {
        const r = this.SUBRULE(this.govRule);
        if (r) rules.push(r);
      },
      "expected 'rule NAME [error|warning|info] [\"message\"] { ... }' in the governance block",
      "expected '}' to close the governance block",
    );
    return this.ACTION(() => ({ kind: 'governance', name, rules, range: span(rangeOf(kw), close ?? rules[rules.length - 1]?.range ?? name.range) }));
  });

  govRule = this.RULE(
    'govRule',
    (): A.GovRule => {
      const kw = this.CONSUME(T.Rule, { ERR_MSG: "expected 'rule' in the governance block" });
      const name = this.name('expected a rule name after rule', 10);
      let severity: A.Severity = 'error';
      let severityRange: A.Range | undefined;
      this.OPTION(() => {
        const s = this.OR([{ ALT: () => this.CONSUME(T.ErrorKw) }, { ALT: () => this.CONSUME(T.WarningKw) }, { ALT: () => this.CONSUME(T.InfoKw) }]);
        severity = s.image as A.Severity;
        severityRange = rangeOf(s);
      });
      const message = this.optString();
      this.CONSUME(T.LBrace, { ERR_MSG: "expected '{' to open the rule (after its name, severity and message)" });
      let body: A.RuleBody | undefined;
      const close = this.body(
        2,
        () => {
          const b = this.SUBRULE(this.ruleBody);
          body ??= b;
        },
        "expected '}' to close the rule",
        "expected '}' to close the rule",
      );
      return this.ACTION(() => ({ kind: 'rule', name, severity, severityRange, message, body, range: span(rangeOf(kw), close ?? body?.range ?? name.range) }));
    },
    RECOVER_NONE,
  );

  selector = this.RULE('selector', (): A.Selector => {
    const q = this.OR({ DEF: [{ ALT: () => this.CONSUME(T.Every) }, { ALT: () => this.CONSUME(T.No) }], ERR_MSG: "expected 'every' or 'no' to start the rule" });
    const what = this.OR2({ DEF: [
      { ALT: () => this.CONSUME(T.Contract) },
      { ALT: () => this.CONSUME(T.Field) },
      { ALT: () => this.CONSUME(T.Policy) },
      { ALT: () => this.CONSUME(T.Domain) },
    ], ERR_MSG: `expected what the rule applies to: contract, field, policy or domain` });
    let tagged: A.QName[] = [];
    let withFieldsTagged: A.QName[] = [];
    let unprotected = false;
    let last = rangeOf(what);
    this.OPTION(() => {
      this.OR3([
        {
          ALT: () => {
            this.CONSUME(T.Tagged);
            tagged = this.qnameList('expected a classification after tagged', 20);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.With);
            this.CONSUME(T.Fields, { ERR_MSG: "expected 'fields tagged' after with" });
            this.CONSUME2(T.Tagged, { ERR_MSG: "expected 'tagged' after with fields" });
            withFieldsTagged = this.qnameList('expected a classification after tagged', 30);
          },
        },
      ]);
      this.ACTION(() => (last = [...tagged, ...withFieldsTagged].pop()?.range ?? last));
      this.OPTION2(() => {
        last = rangeOf(this.CONSUME(T.Unprotected));
        unprotected = true;
      });
    });
    return this.ACTION(() => ({
      quantifier: q.image as 'every' | 'no',
      what: what.image as A.SelectorKind,
      whatRange: rangeOf(what),
      tagged,
      withFieldsTagged,
      unprotected,
      range: span(rangeOf(q), last),
    }));
  });

  ruleBody = this.RULE(
    'ruleBody',
    (): A.RuleBody => {
      const selector = this.SUBRULE(this.selector);
      return this.OR({ DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Must);
            return this.OR2({ DEF: [
              {
                ALT: () => {
                  this.CONSUME(T.Have);
                  const path = this.SUBRULE(this.qname, { ARGS: ['expected a property after must have (owner, description, sla.retention, ...)'] });
                  let op: A.CompareOp | undefined;
                  let value: A.Literal | undefined;
                  this.OPTION(() => {
                    op = this.OR3([
                      { ALT: () => this.CONSUME(T.EqEq) },
                      { ALT: () => this.CONSUME(T.NotEq) },
                      { ALT: () => this.CONSUME(T.LtEq) },
                      { ALT: () => this.CONSUME(T.GtEq) },
                      { ALT: () => this.CONSUME(T.Lt) },
                      { ALT: () => this.CONSUME(T.Gt) },
                    ]).image as A.CompareOp;
                    value = this.SUBRULE(this.propertyValue) as A.Literal;
                  });
                  return this.ACTION(() => ({ form: 'must-have' as const, selector, path, op, value, range: span(selector.range, (value ?? path).range) }));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.Match);
                  const re = literalFromToken(this.CONSUME(T.RegexLit, { ERR_MSG: 'expected a /regex/ after must match' })) as A.Literal & { kind: 'regex' };
                  return this.ACTION(() => ({ form: 'must-match' as const, selector, regex: re, range: span(selector.range, re.range) }));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.Be);
                  this.CONSUME(T.Masked, { ERR_MSG: "expected 'masked for' after must be" });
                  this.CONSUME(T.For, { ERR_MSG: "expected 'for' and an audience after must be masked" });
                  const audience = this.SUBRULE(this.audience);
                  return this.ACTION(() => ({ form: 'must-be-masked' as const, selector, audience, range: span(selector.range, audience.range) }));
                },
              },
            ], ERR_MSG: "expected 'have', 'match' or 'be masked for' after must" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.May);
            return this.OR4({ DEF: [
              {
                ALT: () => {
                  this.CONSUME2(T.Be);
                  this.CONSUME(T.Readable, { ERR_MSG: "expected 'readable by' after may be" });
                  this.CONSUME(T.By, { ERR_MSG: "expected 'by' and an audience after may be readable" });
                  const audience = this.SUBRULE2(this.audience);
                  return this.ACTION(() => ({ form: 'not-readable' as const, selector, audience, range: span(selector.range, audience.range) }));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.Flow);
                  this.CONSUME(T.Into, { ERR_MSG: "expected 'into' after may flow" });
                  const t = this.OR5({ DEF: [
                    {
                      ALT: () => {
                        const d = this.CONSUME(T.Domain);
                        const q = this.SUBRULE2(this.qname, { ARGS: ['expected a domain name'] });
                        return this.ACTION(() => ({ kind: 'domain' as const, name: q, range: span(rangeOf(d), q.range) }));
                      },
                    },
                    {
                      ALT: () => {
                        const c = this.CONSUME(T.Contract);
                        const q = this.SUBRULE3(this.qname, { ARGS: ['expected a contract name'] });
                        return this.ACTION(() => ({ kind: 'contract' as const, name: q, range: span(rangeOf(c), q.range) }));
                      },
                    },
                  ], ERR_MSG: "expected 'domain NAME' or 'contract NAME' after may flow into" });
                  return this.ACTION(() => ({ form: 'not-flow' as const, selector, target: t, range: span(selector.range, t.range) }));
                },
              },
            ], ERR_MSG: "expected 'be readable by' or 'flow into' after may" });
          },
        },
      ], ERR_MSG: "expected 'must' or 'may' after the selector" });
    },
    RECOVER_NONE,
  );

  // ------------------------------------------------------------- waivers

  waiverDecl = this.RULE('waiverDecl', (): A.WaiverDecl => {
    const kw = this.CONSUME(T.Waiver);
    const name = this.name('expected a waiver name after waiver', 10);
    this.CONSUME(T.For, { ERR_MSG: "expected 'for rule NAME' after the waiver name" });
    this.CONSUME(T.Rule, { ERR_MSG: "expected 'rule' after for" });
    const rule = this.name('expected a rule name after for rule', 12);
    this.CONSUME(T.On, { ERR_MSG: "expected 'on' and a target after the rule name" });
    const target = this.SUBRULE(this.qname, { ARGS: ['expected the waived target (a contract, field, policy or domain name)'] });
    const properties: A.Property[] = [];
    let last = target?.range;
    this.OPTION(() => {
      this.CONSUME(T.LBrace);
      const close = this.body(
        1,
        () => {
          const p = this.SUBRULE(this.property);
          if (p) properties.push(p);
        },
        'expected reason, expires or approved-by',
        "expected '}' to close the waiver",
      );
      this.ACTION(() => (last = close ?? properties[properties.length - 1]?.range ?? last));
    });
    return this.ACTION(() => {
      const get = (k: string) => properties.find((p) => p.key.text === k)?.value;
      const reason = get('reason');
      const approved = get('approved-by');
      return {
        kind: 'waiver',
        name,
        rule,
        target,
        properties,
        reason: reason && 'kind' in reason && reason.kind === 'string' ? reason : undefined,
        expires: get('expires') as A.Literal | undefined,
        approvedBy: approved && !('kind' in approved) ? approved : undefined,
        range: span(rangeOf(kw), last ?? rule.range),
      };
    });
  });

  // --------------------------------------------------------------- tests

  testDecl = this.RULE('testDecl', (): A.TestDecl => {
    const kw = this.CONSUME(T.Test);
    const name = this.name('expected a test name after test', 10);
    this.CONSUME(T.LBrace, { ERR_MSG: "expected '{' to open the test" });
    const steps: (A.GivenContext | A.Expectation)[] = [];
    const close = this.body(1, () => {
      const s = this.OR({
        DEF: [{ ALT: () => this.SUBRULE(this.givenContext) }, { ALT: () => this.SUBRULE(this.expectation) }],
        ERR_MSG: "expected 'given context { ... }' or 'expect PRINCIPAL ...' in the test",
      });
      if (s) steps.push(s);
    }, "expected 'given context { ... }' or 'expect PRINCIPAL ...' in the test", "expected '}' to close the test");
    return this.ACTION(() => ({ kind: 'test', name, steps, range: span(rangeOf(kw), close ?? steps[steps.length - 1]?.range ?? name.range) }));
  });

  givenContext = this.RULE(
    'givenContext',
    (): A.GivenContext => {
      const kw = this.CONSUME(T.Given);
      this.CONSUME(T.Context, { ERR_MSG: "expected 'context' after given" });
      this.CONSUME(T.LBrace, { ERR_MSG: "expected '{' after given context" });
      const entries: A.PrincipalAttr[] = [];
      const close = this.body(
        1,
        () => {
          const a = this.SUBRULE(this.attrValue);
          if (a) entries.push(a);
        },
        'expected a context attribute and its value (mfa true)',
        "expected '}' to close given context",
      );
      return this.ACTION(() => ({ kind: 'given' as const, entries, range: span(rangeOf(kw), close ?? entries[entries.length - 1]?.range ?? rangeOf(kw)) }));
    },
    RECOVER_NONE,
  );

  expectation = this.RULE(
    'expectation',
    (): A.Expectation => {
      const kw = this.CONSUME(T.Expect);
      return this.OR({
        IGNORE_AMBIGUITIES: true,
        MAX_LOOKAHEAD: 1,
        DEF: [
          {
            // `expect only A, B can read F`; a principal called `only` is still `expect only can read F`.
            GATE: () => (this.LA(1).tokenType === T.Only && !AFTER_PRINCIPAL.has(this.LA(2).tokenType)) || (this.LA(1).tokenType === T.Nobody && this.LA(2).tokenType === T.Can),
            ALT: () => this.SUBRULE(this.expectAudience, { ARGS: [kw] }),
          },
          { ALT: () => this.SUBRULE(this.expectPrincipal, { ARGS: [kw] }) },
        ],
        ERR_MSG: "expected a principal, 'only' or 'nobody' after expect",
      });
    },
    RECOVER_NONE,
  );

  /** `only A, B can read F [in clear]` / `nobody can read F [in clear]`, after `expect`. */
  expectAudience = this.RULE(
    'expectAudience',
    (kw: IToken): A.Expectation => {
      let only: A.AudienceItem[] = [];
      let nobody = false;
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Only);
            only = [this.SUBRULE(this.audienceItem)];
            this.MANY(() => {
              this.CONSUME(T.Comma);
              only.push(this.SUBRULE2(this.audienceItem));
            });
          },
        },
        { ALT: () => { this.CONSUME(T.Nobody); nobody = true; } },
      ]);
      this.CONSUME(T.Can, { ERR_MSG: "expected 'can read FIELD' after the audience" });
      this.CONSUME(T.Read, { ERR_MSG: "expected 'read' after can" });
      const field = this.SUBRULE(this.qname, { ARGS: ['expected a field (domain.product.field)'] });
      let last = field?.range;
      let inClear = false;
      this.OPTION(() => {
        this.CONSUME(T.In);
        last = rangeOf(this.CONSUME(T.Clear, { ERR_MSG: "expected 'clear' after in" }));
        inClear = true;
      });
      return this.ACTION(() => ({ kind: 'expect' as const, what: 'only' as const, field, only: only.filter(Boolean), nobody, inClear, range: span(rangeOf(kw), last ?? rangeOf(kw)) }));
    },
    RECOVER_NONE,
  );

  /** `P can read F`, `P cannot read F`, `P sees F in clear | masked [with M] | rows where COND`, after `expect`. */
  expectPrincipal = this.RULE(
    'expectPrincipal',
    (kw: IToken): A.Expectation => {
      const principal = this.name('expected a principal name after expect', 10);
      return this.OR({ DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Can);
            this.CONSUME(T.Read, { ERR_MSG: "expected 'read' after can" });
            const field = this.SUBRULE(this.qname, { ARGS: ['expected a field (domain.product.field)'] });
            return this.ACTION(() => ({ kind: 'expect' as const, principal, what: 'can-read' as const, field, range: span(rangeOf(kw), field.range) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Cannot);
            this.CONSUME2(T.Read, { ERR_MSG: "expected 'read' after cannot" });
            const field = this.SUBRULE2(this.qname, { ARGS: ['expected a field (domain.product.field)'] });
            return this.ACTION(() => ({ kind: 'expect' as const, principal, what: 'cannot-read' as const, field, range: span(rangeOf(kw), field.range) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Sees);
            const field = this.SUBRULE3(this.qname, { ARGS: ['expected a field (domain.product.field)'] });
            return this.OR2({ DEF: [
              {
                ALT: () => {
                  this.CONSUME(T.In);
                  const c = this.CONSUME(T.Clear, { ERR_MSG: "expected 'clear' after in" });
                  return this.ACTION(() => ({ kind: 'expect' as const, principal, what: 'sees-clear' as const, field, range: span(rangeOf(kw), rangeOf(c)) }));
                },
              },
              {
                ALT: () => {
                  const m = this.CONSUME(T.Masked);
                  let method: A.Name | undefined;
                  this.OPTION(() => {
                    this.CONSUME(T.With);
                    method = this.name('expected a mask method after with (null, redact, hash, partial)', 12);
                  });
                  return this.ACTION(() => ({ kind: 'expect' as const, principal, what: 'sees-masked' as const, field, method, range: span(rangeOf(kw), (method ?? nameOf(m)).range) }));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.Rows);
                  this.CONSUME(T.Where, { ERR_MSG: "expected 'where' after rows" });
                  const rows = this.SUBRULE(this.expr);
                  return this.ACTION(() => ({ kind: 'expect' as const, principal, what: 'sees-rows' as const, field, rows, range: span(rangeOf(kw), rows.range) }));
                },
              },
            ], ERR_MSG: "expected 'in clear', 'masked [with METHOD]' or 'rows where CONDITION' after the field" });
          },
        },
      ], ERR_MSG: "expected 'can read', 'cannot read' or 'sees' after the principal" });
    },
    RECOVER_NONE,
  );
}

let instance: CharterParser | undefined;
function parser(): CharterParser {
  return (instance ??= new CharterParser());
}

/** Top-level keywords that start a declaration (used to cut the file into chunks). */
const DECL_START = new Set<TokenType>([T.Group, T.Subject, T.Context, T.Principal, T.Classification, T.Domain, T.Contract, T.Policy, T.Governance, T.Waiver, T.Test]);

function isColumnZero(text: string, offset: number): boolean {
  return offset === 0 || text[offset - 1] === '\n' || text[offset - 1] === '\r';
}

function isLineStart(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || text[i] === '\n' || text[i] === '\r';
}

function syntaxError(range: A.Range, message: string): A.Diagnostic {
  return { range, severity: 'error', code: 'syntax', message };
}

function describeFound(tok: IToken): string {
  if (tok.tokenType === EOF) return 'the end of the declaration';
  return `'${tok.image.length > 30 ? tok.image.slice(0, 30) + '…' : tok.image}'`;
}

/** Parses one file. Never throws. */
export function parse(text: string): A.FileAst {
  const errors: A.Diagnostic[] = [];
  const lexed = T.charterLexer.tokenize(text);
  for (const e of lexed.errors) {
    const ch = text[e.offset];
    errors.push(syntaxError({ start: e.offset, end: e.offset + Math.max(1, e.length) }, `unexpected character '${ch}'`));
  }
  const comments = (lexed.groups.comments ?? []).map((t) => ({ range: rangeOf(t), doc: t.tokenType === T.DocComment, text: t.image }));
  const tokens = lexed.tokens;
  for (const t of tokens) {
    if (t.tokenType === T.UnterminatedString) errors.push(syntaxError(rangeOf(t), 'unterminated string: add the closing "'));
  }

  // Cut into top-level chunks: a declaration keyword at brace depth 0, or at
  // the start of a line when a brace was left open (the usual missing '}').
  const chunks: IToken[][] = [];
  let current: IToken[] = [];
  let depth = 0;
  let prev: IToken | undefined;
  for (const t of tokens) {
    const starts =
      DECL_START.has(t.tokenType) &&
      (depth === 0 ? !prev || prev.tokenType === T.RBrace || isLineStart(text, t.startOffset) : isColumnZero(text, t.startOffset));
    prev = t;
    if (starts && current.length > 0) {
      chunks.push(current);
      current = [];
      depth = 0;
    }
    if (t.tokenType === T.LBrace) depth++;
    else if (t.tokenType === T.RBrace) depth = Math.max(0, depth - 1);
    current.push(t);
  }
  if (current.length) chunks.push(current);

  const p = parser();
  p.text = text;
  const declarations: A.Declaration[] = [];
  for (const chunk of chunks) {
    if (!DECL_START.has(chunk[0].tokenType)) {
      // Junk before the first declaration or between declarations.
      const first = chunk[0];
      const last = chunk[chunk.length - 1];
      errors.push(
        syntaxError(
          rangeOf(first, last.startOffset - first.startOffset > 200 ? first : last),
          `expected a declaration (group, principal, classification, domain, contract, policy, governance, waiver, test, subject attributes or context attributes), found ${describeFound(first)}`,
        ),
      );
      continue;
    }
    p.input = chunk;
    p.recovered = [];
    let decl: A.Declaration | undefined;
    try {
      decl = p.declaration();
    } catch (e) {
      // Chevrotain recovers by itself; a throw here is deep nesting or a bug, reported as data rather than a crash.
      const deep = e instanceof RangeError;
      errors.push(syntaxError(rangeOf(chunk[0]), deep ? `this ${chunk[0].image} is nested too deeply to analyse; simplify its conditions` : `internal parser error: ${(e as Error).message}`));
    }
    if (decl) decl = limitDepth(decl, errors);
    const before = errors.length;
    for (const err of p.errors) errors.push(toDiagnostic(err, chunk, text));
    errors.push(...p.recovered);
    // Tokens Chevrotain inserts while recovering have no position: give their
    // nodes the position of the error, so no range is ever NaN.
    if (decl && errors.length > before) repairRanges(decl, errors[before].range);
    if (decl && 'kind' in decl) declarations.push(decl);
  }
  attachDocComments(declarations, comments, text);
  return { declarations, errors: dedupe(errors), comments };
}

/** Conditions deeper than this are refused (the analysis walks them recursively). */
export const MAX_CONDITION_DEPTH = 200;

function exprDepth(e: A.Expr): number {
  let max = 0;
  const stack: [A.Expr, number][] = [[e, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > max) max = d;
    if (x.kind === 'binary') stack.push([x.left, d + 1], [x.right, d + 1]);
    else if (x.kind === 'not') stack.push([x.operand, d + 1]);
    else if (x.kind === 'list') for (const i of x.items) stack.push([i, d + 1]);
  }
  return max;
}

function limitDepth(decl: A.Declaration, errors: A.Diagnostic[]): A.Declaration {
  if (decl.kind !== 'policy') return decl;
  const rules = decl.rules.filter((r) => {
    const e = r.kind === 'rows' ? r.filter : r.condition;
    if (!e) return true;
    const depth = exprDepth(e);
    if (depth <= MAX_CONDITION_DEPTH) return true;
    errors.push(syntaxError(e.range, `this condition is nested ${depth} levels deep (at most ${MAX_CONDITION_DEPTH}); split it into several rules`));
    return false;
  });
  return { ...decl, rules };
}

function repairRanges(node: unknown, at: A.Range, seen = new Set<object>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const o = node as Record<string, unknown>;
  const r = o.range as A.Range | undefined;
  if (r && typeof r === 'object' && (Number.isNaN(r.start) || Number.isNaN(r.end))) {
    o.range = { start: Number.isNaN(r.start) ? at.start : r.start, end: Number.isNaN(r.end) ? Math.max(at.end, Number.isNaN(r.start) ? at.start : r.start) : r.end };
  }
  for (const k in o) if (k !== 'range') repairRanges(o[k], at, seen);
}

function toDiagnostic(err: IRecognitionException, chunk: IToken[], text: string): A.Diagnostic {
  let tok = err.token;
  let range: A.Range;
  if (tok.tokenType === EOF || isNaN(tok.startOffset)) {
    // Point just after the last token of the declaration.
    const last = chunk[chunk.length - 1];
    const end = last.startOffset + last.image.length;
    range = { start: end, end: Math.min(text.length, end + 1) };
    if (range.end <= range.start) range = { start: Math.max(0, end - 1), end };
    tok = { ...tok, tokenType: EOF } as IToken;
  } else {
    range = rangeOf(tok);
  }
  let message = err.message;
  if (!/, found /.test(message)) message += `, found ${describeFound(tok)}`;
  return syntaxError(range, message);
}

function dedupe(errors: A.Diagnostic[]): A.Diagnostic[] {
  const seen = new Set<string>();
  const out: A.Diagnostic[] = [];
  for (const e of errors.sort((a, b) => a.range.start - b.range.start)) {
    const key = `${e.range.start}:${e.message}`;
    if (seen.has(key)) continue;
    // Several errors at the same token are one mistake: keep the first.
    if (out.length && out[out.length - 1].range.start === e.range.start) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/** Parses one condition on its own (`region == "EU" and x`); undefined when it is not one. */
export function parseCondition(text: string): A.Expr | undefined {
  const prefix = 'policy p on a.b {\n  rows where ';
  const ast = parse(`${prefix}${text}\n}\n`);
  const d = ast.declarations[0];
  if (ast.errors.length || d?.kind !== 'policy' || d.rules.length !== 1 || d.rules[0].kind !== 'rows') return undefined;
  return d.rules[0].filter;
}
