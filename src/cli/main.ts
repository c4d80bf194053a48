// The kubeproc command line: dispatches subcommands, prints one clear line on failure.
import { up } from './up.js';
import { down } from './down.js';
import { image } from './image.js';
import { hpa } from './hpa-simulate.js';
import { demo } from './demo.js';
import { stdio, UsageError } from './output.js';
import type { Output } from './output.js';
import { versionBody } from '../main.js';

const USAGE = `Usage: kubeproc <command> [options]

Commands:
  up        start kubeproc (a Kubernetes API on this machine) and write a kubectl context
  down      stop a kubeproc started with "up --detach"
  image     register image names as local commands (add, ls, rm)
  hpa       replay a load trace through the HPA algorithm (simulate)
  demo      run the tutorials' self-healing and autoscaling story on a temporary kubeproc
  version   print versions

Run "kubeproc <command> --help" for a command's options.`;

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], out: Output = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'up':
        return await up(rest, out);
      case 'down':
        return await down(rest, out);
      case 'image':
        return await image(rest, out);
      case 'hpa':
        return await hpa(rest, out);
      case 'demo':
        return await demo(rest, out);
      case 'version':
      case '--version':
        out.print(`kubeproc 0.1.0 (Kubernetes API ${versionBody().gitVersion})`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out.print(USAGE);
        return command === undefined ? 2 : 0;
      default:
        out.error(`kubeproc: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const usage =
      e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
    out.error(`kubeproc: ${e instanceof Error ? e.message : String(e)}`);
    return usage ? 2 : 1;
  }
}
