// Registers the commands beyond `check`, each in its own module.
import { registerCommand } from './main';
import { runWhoCanSee } from './who-can-see';
import { runSimulate } from './simulate';
import { runTestCommand } from './test-command';

registerCommand('who-can-see', runWhoCanSee);
registerCommand('simulate', runSimulate);
registerCommand('test', runTestCommand);
import { runGraph } from './graph';
registerCommand('graph', runGraph);
import './fmt';
import './lsp';
import './export';
import './import';
import { runDiff } from './diff';
registerCommand('diff', runDiff);
