// `charter COMMAND --help` (and `charter help COMMAND`): usage, options and
// exit codes of one command. A command without an entry here gets its lines
// of the general usage; a module may register its own text (registerHelp),
// e.g. `export`, whose formats are listed from its EXPORTERS table.

const DIR = '  DIR                  the workspace folder (default: the current folder); its charter.json is honoured';
const CONTEXT = '  --context k=v        a request context attribute (repeat for several: --context mfa=true --context device=managed);\n                       keys and values are checked against `context attributes`; unset attributes fail closed';
const TODAY = '  --today YYYY-MM-DD   the date waivers expire against (default: today, UTC)';

const HELP: Record<string, string | (() => string)> = {
  check: `Usage: charter check [DIR] [--format text|json|sarif] [--today YYYY-MM-DD]

Every diagnostic of the workspace: syntax, names, types, lineage, governance
rules (waivers applied) and failing test expectations.

${DIR}
  --format text        file:line:col: severity: message [code], then a summary line (default)
  --format json        {"diagnostics":[{file,line,column,endLine,endColumn,severity,code,message}],"waived":[...]}
  --format sarif       SARIF 2.1.0, for GitHub code scanning (github/codeql-action/upload-sarif)
${TODAY}

Exit codes: 0 no errors (warnings and infos allowed), 1 errors, 2 usage or I/O error
(a missing or empty folder, an unreadable file, an invalid charter.json).`,

  'who-can-see': `Usage: charter who-can-see FIELD [DIR] [--context k=v ...] [--format text|json]

Every declared principal's decision for one field: clear, masked (with the
mask) or denied, the row filter with the principal's values, and the rules
that decided it.

  FIELD                domain.product.field, e.g. sales.orders.customer_email
${DIR}
${CONTEXT}
  --format text|json   a table (default), or {"field","context","results":[...]}
${TODAY}

Exit codes: 0 answered, 2 usage or I/O error (an unknown field, a bad --context).`,

  simulate: `Usage: charter simulate --as PRINCIPAL [CONTRACT] [DIR] [--context k=v ...] [--format text|json]

What one principal gets from every field of every contract (or of one).

  --as PRINCIPAL       the principal to simulate (required)
  CONTRACT             domain.product: only its fields
${DIR}
${CONTEXT}
  --format text|json   a table (default), or JSON
${TODAY}

Exit codes: 0 answered, 2 usage or I/O error (an unknown principal or contract, a bad --context).`,

  test: `Usage: charter test [DIR]

Runs every \`test\` block. A failing expectation is printed with what was
decided and why; "N passed, N failed" comes last.

${DIR}
${TODAY}

Exit codes: 0 every test passed, 1 a test failed, 2 usage or I/O error.`,

  diff: `Usage: charter diff [BASE] [DIR] [--format text|json|markdown|sarif] [--fail-on exposure,breaking,violation]

What a change does: who can see what (exact, over every declared principal and
every combination of finite context values), schema changes and whether they
break consumers, and the governance diagnostics it introduces or resolves.

  BASE                 a git revision of the repository holding DIR (default: HEAD), read with
                       git itself (no checkout, no stash), or a folder
${DIR}
  --format text        a headline, then the changes grouped by field (default)
  --format json        {"base","head","access":[...],"schema":[...],"governance":{"introduced","resolved"}}
  --format markdown    a ready pull-request comment
  --format sarif       SARIF 2.1.0 of what is new (exposures, unannounced breaking changes, violations)
  --fail-on KINDS      exit 1 when one of these kinds is present: exposure, breaking, violation
                       (comma-separated, or repeat the option)
${TODAY}

Exit codes: 0 whatever the delta (unless --fail-on names kinds present: then 1),
2 usage or I/O error (an unknown revision, not a git repository, an unreadable file).`,

  graph: `Usage: charter graph [DIR] [--focus NAME] [--depth N] [--direction up|down|both]
                     [--context k=v ...] [--format json|dot|mermaid]

The lineage and access graph: domains, contracts and fields, lineage edges
with their transforms, ownership, and access edges for the context.

${DIR}
  --focus NAME         only the neighbourhood of a domain, contract, field, group or principal
  --depth N            levels around the focus (default 1)
  --direction D        up (sources), down (consumers) or both (default)
${CONTEXT}
  --format json        the previewer's graph JSON (default)
  --format dot         Graphviz (contracts and domains are clusters: dot -Tsvg)
  --format mermaid     a Mermaid flowchart

Exit codes: 0 written, 2 usage or I/O error (nothing named NAME, a bad option).`,

  fmt: `Usage: charter fmt [DIR] [--check]

Formats the workspace's files in place (the files charter.json includes,
inside DIR), printing "formatted FILE" for each file it changed. A file with
syntax errors is left alone.

${DIR}
  --check              change nothing: list the files that are not formatted

Exit codes: 0 all formatted, 1 unformatted files (--check) or files with syntax errors,
2 usage or I/O error.`,

  lsp: `Usage: charter lsp --stdio | --node-ipc | --socket=PORT

The language server, for any LSP client (Neovim, Helix, Emacs, VS Code...).
Settings come from workspace/configuration (section "charter") or from
initializationOptions.settings; see docs/editor.md.

  --stdio              talk LSP on standard input and output
  --node-ipc           over Node's IPC channel (when started by a Node client)
  --socket=PORT        over a TCP socket on 127.0.0.1

Exit codes: 0 after the client's shutdown and exit requests (it runs until then), 1 when the client
goes away without them, 2 usage error.`,
};

/** Lets a command module describe itself (for texts built from its own tables). */
export function registerHelp(command: string, text: string | (() => string)): void {
  HELP[command] = text;
}

/** The help of one command; undefined for an unknown command. `usage` is the general usage text. */
export function helpFor(command: string, usage: string, known: boolean): string | undefined {
  const h = HELP[command];
  if (h) return typeof h === 'function' ? h() : h;
  if (!known) return undefined;
  const lines = usage.split('\n').filter((l) => l.trimStart().startsWith(`charter ${command}`));
  return `Usage:\n${lines.join('\n') || `  charter ${command}`}\n\nExit codes: 0 success, 1 findings (errors, failures), 2 usage or I/O error.`;
}
