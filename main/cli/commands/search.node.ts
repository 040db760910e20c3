// Placeholder until the search command is written: it refuses plainly rather than pretending to work.
import type { Command } from '../run-command.node.ts';

export const command: Command = {
  options: {},
  positionals: true,
  async run() {
    process.stderr.write("La commande search n'est pas encore disponible. / The search command is not available yet.\n");
    return 1;
  },
};
