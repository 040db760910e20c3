// Placeholder until the migrate command is written: it refuses plainly rather than pretending to work.
import type { Command } from '../run-command.node.ts';

export const command: Command = {
  options: {},
  positionals: true,
  async run() {
    process.stderr.write("La commande migrate n'est pas encore disponible. / The migrate command is not available yet.\n");
    return 1;
  },
};
