// Entry point of the bundled CLI (dist/cli.cjs).
import { main } from './main';
import './commands';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`charter: internal error: ${(e as Error)?.message}\n`);
    process.exitCode = 2;
  },
);
