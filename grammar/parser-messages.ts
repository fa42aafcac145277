// Error messages for the cases the grammar does not name itself with ERR_MSG.
// They read like a compiler's: "expected ':' ..., found 'x'".

import { IParserErrorMessageProvider, TokenType, IToken, tokenLabel } from 'chevrotain';

function found(actual: IToken): string {
  return actual.image ? `'${actual.image}'` : 'the end of the declaration';
}

function alternatives(paths: TokenType[][][]): string {
  const labels = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) labels.add(tokenLabel(path[0]));
  const list = [...labels];
  if (list.length <= 1) return list[0] ?? 'something else';
  return list.slice(0, -1).join(', ') + ' or ' + list[list.length - 1];
}

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${tokenLabel(expected)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${found(firstRedundant)}: the declaration ended before it`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription }) {
    return `${customUserDescription ?? 'expected ' + alternatives(expectedPathsPerAlt)}, found ${found(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
    return `${customUserDescription ?? 'expected ' + alternatives([expectedIterationPaths])}, found ${found(actual[0])}`;
  },
};
