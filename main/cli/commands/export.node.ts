// Placeholder until the export command is written: it refuses plainly rather than pretending to work.
import type { Command } from '../run-command.node.ts';

export const command: Command = {
  options: {},
  positionals: true,
  async run() {
    process.stderr.write("La commande export n'est pas encore disponible. / The export command is not available yet.\n");
    return 1;
  },
};
