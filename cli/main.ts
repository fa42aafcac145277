// The `charter` command line. Exit codes: 0 clean (warnings allowed),
// 1 errors / failed tests / unformatted files, 2 usage or I/O error.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runCheck } from './check';
import { UsageError } from './errors';
import { helpFor } from './help';

const VERSION = '0.1.0';

const USAGE = `charter ${VERSION} — data contracts and access policies for a data mesh

Usage:
  charter check [DIR] [--format text|json|sarif] [--today YYYY-MM-DD]
  charter who-can-see FIELD [DIR] [--context k=v ...] [--format text|json]
  charter simulate --as PRINCIPAL [CONTRACT] [DIR] [--context k=v ...] [--format text|json]
  charter test [DIR]
  charter export cedar [DIR] [--out FOLDER] [--numbers decimal|long]
  charter export postgres|snowflake|databricks [DIR] [--out FOLDER]
  charter export odcs [DIR] [--out FOLDER]
  charter export openlineage [DIR] [--out FILE] [--url URL] [--namespace NS] [--retries N]
  charter import odcs FILE|DIR... [--out DIR] [--format text|json]
  charter graph [DIR] [--focus NAME] [--depth N] [--direction up|down|both]
                [--context k=v ...] [--format json|dot|mermaid]
  charter fmt [DIR] [--check]
  charter diff [BASE] [DIR] [--format text|json|markdown|sarif]
               [--fail-on exposure,breaking,violation]
  charter lsp --stdio
  charter --version | --help
  charter COMMAND --help           usage, options and exit codes of one command

DIR defaults to the current folder; charter.json in DIR is honoured.
Exit codes: 0 clean (warnings allowed), 1 errors (failed tests, unformatted files),
2 usage or I/O error.`;

type Command = (args: string[]) => number | Promise<number>;

const commands: Record<string, { run: Command }> = {
  check: { run: runCheck },
};

export function registerCommand(name: string, run: Command): void {
  commands[name] = { run };
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[\w+\]: /, ''));
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'help' && rest[0]) return showHelp(rest[0]);
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const c = commands[cmd];
  if (!c) {
    process.stderr.write(`charter: unknown command '${cmd}'\n\n${USAGE}\n`);
    return 2;
  }
  const end = rest.indexOf('--');
  if ((end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) return showHelp(cmd);
  try {
    return await c.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`charter ${cmd}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`charter ${cmd}: internal error: ${(e as Error).message}\nPlease report this with the input that caused it.\n`);
    return 2;
  }
}

function showHelp(cmd: string): number {
  const text = helpFor(cmd, USAGE, cmd in commands && !cmd.startsWith('__'));
  if (!text) {
    process.stderr.write(`charter: unknown command '${cmd}'\n\n${USAGE}\n`);
    return 2;
  }
  process.stdout.write(text.trimEnd() + '\n');
  return 0;
}

export { VERSION };
