// Arche's own lint rules. `known-error-code`: an error code written in the code must be one that has French and
// English words in shared/errors/*.std.ts, else the user would read the generic "unexpected problem" text.
// The type checker says the same (ErrorCode is the union of the tables' keys); this rule says it in `npm run lint`
// too, where a planted typo is tested, and for plain-JS files the compiler does not see.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const cache = new Map();

/** Every code of the tables: the keys of each `export const …ErrorTexts = { … }` in shared/errors/. */
export function knownErrorCodes(root) {
  const dir = path.join(root, 'shared', 'errors');
  const stamp = readdirSync(dir).map((f) => `${f}:${statSync(path.join(dir, f)).mtimeMs}`).join('|');
  const hit = cache.get(dir);
  if (hit && hit.stamp === stamp) return hit.codes;
  const codes = new Set();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.std.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(path.join(dir, file), 'utf8'), ts.ScriptTarget.Latest, false);
    for (const stmt of source.statements) {
      if (!ts.isVariableStatement(stmt)) continue;
      for (const decl of stmt.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name) || !decl.name.text.endsWith('ErrorTexts') || !decl.initializer) continue;
        let init = decl.initializer;
        while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
        if (!ts.isObjectLiteralExpression(init)) continue;
        for (const prop of init.properties) {
          if (prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) codes.add(prop.name.text);
        }
      }
    }
  }
  cache.set(dir, { stamp, codes });
  return codes;
}

function literal(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

const knownErrorCode = {
  meta: {
    type: 'problem',
    docs: { description: 'Error codes must be ones that have French and English words (shared/errors/*.std.ts).' },
    schema: [],
    messages: { unknown: 'Unknown error code "{{code}}": add its French and English words (with what to do) in shared/errors/*.std.ts, or use an existing code.' },
  },
  create(context) {
    // The tables beside this setup (scripts/lint/ → the repository), wherever eslint is started from.
    const codes = knownErrorCodes(path.resolve(import.meta.dirname, '..', '..'));
    function check(node, code) {
      if (code !== null && !codes.has(code)) context.report({ node, messageId: 'unknown', data: { code } });
    }
    return {
      // new ArcheError('code', …)
      NewExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'ArcheError') check(node.arguments[0], literal(node.arguments[0]));
      },
      // { code: 'code', fields: … }: an error as data
      ObjectExpression(node) {
        const props = node.properties.filter((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier');
        const code = props.find((p) => p.key.name === 'code');
        if (!code || !props.some((p) => p.key.name === 'fields')) return;
        check(code.value, literal(code.value));
      },
    };
  },
};

export default { meta: { name: 'arche' }, rules: { 'known-error-code': knownErrorCode } };
