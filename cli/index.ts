// Entry point of the bundled CLI (dist/cli.cjs).
import { main } from './main';
import './commands';

// `charter ... | head` closes the pipe early: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`charter: internal error: ${(e as Error)?.message}\n`);
    process.exitCode = 2;
  },
);
