/**
 * `arche serve [--archive DIR] [--port N] [--ca-file PEM]...`: Arche's screens in the browser.
 * Prints the address to open (it carries this launch's secret token), then serves until Ctrl+C.
 */
import { readFileSync } from 'node:fs';
import { UsageError, type Command } from '../run-command.node.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { startBrowserHost } from '../../server/browser-host.node.ts';
import { printOut } from '../print.node.ts';

export const command: Command = {
  options: {
    archive: { type: 'string' },
    port: { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
  },
  async run({ values }) {
    const portText = values.port as string | undefined;
    const port = portText === undefined ? 0 : Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${portText}`);
    const archiveDir = (values.archive as string | undefined) ?? defaultArchiveDir();
    const ca = ((values['ca-file'] as string[] | undefined) ?? []).map((f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        throw new UsageError(`--ca-file ${f}`);
      }
    });
    const host = await startBrowserHost({ archiveDir, port, ca });
    // Listen for Ctrl+C / SIGTERM before telling anyone the address: a caller may stop us as soon as it reads it.
    const stopped = new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    printOut(
      `Arche est prêt. Ouvrez cette adresse dans votre navigateur (elle ne marche que sur cet ordinateur, et change à chaque lancement) :\n` +
        `Arche is ready. Open this address in your browser (it only works on this computer, and changes at every launch):\n\n` +
        `  ${host.server.url}\n\n` +
        `Une fois cette adresse ouverte, ${host.server.origin}/ suffit dans ce navigateur tant qu'Arche tourne (vous pouvez la mettre en favori).\n` +
        `Once this address is open, ${host.server.origin}/ is enough in that browser while Arche runs (you may bookmark it).\n\n` +
        `Pour arrêter Arche : Ctrl+C. / To stop Arche: Ctrl+C.\n`,
    );
    await stopped;
    // Jobs stop at a message boundary; they carry on at the next launch.
    await host.close();
    return 0;
  },
};
