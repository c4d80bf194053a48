// `kubeproc image add|ls|rm`: register container image names as local commands, stored as
// kubeproc.io Image objects through the API of a running kubeproc.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { imageObjectName } from '../apis/kubeproc/object-name.js';
import { age, formatWords } from '../apis/kubeproc/printer.js';
import type { ImageReference } from '../apis/kubeproc/reference.js';
import {
  checkImageReference,
  familiarImageReference,
  formatImageReference,
} from '../apis/kubeproc/reference.js';
import type { Image, ImageSpec } from '../apis/kubeproc/types.js';
import { IMAGE_API_VERSION, IMAGE_KIND, IMAGES_REF } from '../apis/kubeproc/types.js';
import type { KubeObject } from '../apis/meta.js';
import { HttpClient } from '../client/http.js';
import { isAlreadyExists, isConflict, isNotFound } from '../lib/errors.js';
import type { Output } from './output.js';
import { UsageError } from './output.js';
import { isRunning, readRuntimeState } from './runtime-state.js';
import { resolveKubeconfigPath } from './kubeconfig.js';
import { dataDirOf } from './up.js';

const USAGE = `Usage:
  kubeproc image add NAME[:TAG] [--entrypoint CMD] [--workdir DIR] [--env K=V]... [-- ARGS...]
  kubeproc image ls
  kubeproc image rm NAME[:TAG]...

Register a container image name as a local command, so pods using that image run it. As in
Docker, a container's "command" replaces the entrypoint and its "args" replace ARGS (the cmd).
"add" creates or replaces the image; --workdir is made absolute; --env K takes K from here.

Options:
  --data-dir DIR      the kubeproc to use (default ~/.kubeproc)
  --kubeconfig FILE   use this kubeconfig instead of the data dir
  --context NAME      context of --kubeconfig (default "kubeproc")`;

const CONNECTION_OPTIONS = {
  'data-dir': { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const;

const ADD_OPTIONS = {
  ...CONNECTION_OPTIONS,
  entrypoint: { type: 'string' },
  workdir: { type: 'string' },
  env: { type: 'string', multiple: true },
} as const;

interface Connection {
  'data-dir'?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

const FIELD_MANAGER = 'kubeproc-image';

const SUBCOMMANDS: Record<string, (args: string[], out: Output) => Promise<number>> = {
  add,
  ls: list,
  list,
  rm: remove,
  remove,
};

const isHelpFlag = (arg: string) => arg === '--help' || arg === '-h';

/** Runs `kubeproc image ...`; resolves with the exit code. */
export async function image(args: string[], out: Output): Promise<number> {
  const [sub, ...rest] = args;
  const dashes = rest.indexOf('--');
  const flags = dashes < 0 ? rest : rest.slice(0, dashes);
  if (sub === undefined || sub === 'help' || isHelpFlag(sub) || flags.some(isHelpFlag)) {
    out.print(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const run = SUBCOMMANDS[sub];
  if (!run) {
    throw new UsageError(`unknown image command "${sub}"; expected add, ls or rm`);
  }
  return run(rest, out);
}

function familiar(text: string): string {
  const { ref } = checkImageReference(text);
  return ref ? familiarImageReference(ref) : text;
}

function parseReference(text: string): ImageReference {
  const { ref, problem } = checkImageReference(text);
  if (!ref) {
    throw new UsageError(`invalid image reference "${text}": ${problem}`);
  }
  return ref;
}

function parseEnv(entries: string[], env: NodeJS.ProcessEnv): { name: string; value: string }[] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (name === '') {
      throw new UsageError(`invalid --env "${entry}": expected NAME=VALUE`);
    }
    if (eq >= 0) {
      return { name, value: entry.slice(eq + 1) };
    }
    // Docker's `--env NAME` passes NAME's value from the environment of the command.
    const value = env[name];
    if (value === undefined) {
      throw new UsageError(`--env ${name}: ${name} is not set here; use --env ${name}=VALUE`);
    }
    return { name, value };
  });
}

/** The Image object and connection flags that `image add ARGS` means. */
export function parseImageAdd(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): { image: Image; connection: Connection } {
  const dashes = args.indexOf('--');
  const head = dashes < 0 ? args : args.slice(0, dashes);
  const cmd = dashes < 0 ? [] : args.slice(dashes + 1);
  const { values, positionals } = parseArgs({
    args: head,
    options: ADD_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [name, extra] = positionals;
  if (name === undefined) {
    throw new UsageError('image add needs an image name: kubeproc image add NAME[:TAG] -- COMMAND');
  }
  if (extra !== undefined) {
    throw new UsageError(
      `unexpected argument "${extra}": put the image's command after "--" (kubeproc image add ${name} -- ${positionals.slice(1).join(' ')})`,
    );
  }
  const ref = parseReference(name);
  const spec = imageSpec({ ref, values, cmd, env, cwd });
  const metadata = { name: imageObjectName(ref) };
  return {
    image: { apiVersion: IMAGE_API_VERSION, kind: IMAGE_KIND, metadata, spec },
    connection: values,
  };
}

function imageSpec(opts: {
  ref: ImageReference;
  values: { entrypoint?: string | undefined; workdir?: string | undefined; env?: string[] };
  cmd: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}): ImageSpec {
  const { values, cmd } = opts;
  const vars = parseEnv(values.env ?? [], opts.env);
  return {
    image: formatImageReference(opts.ref),
    ...(values.entrypoint ? { entrypoint: [values.entrypoint] } : {}),
    ...(cmd.length > 0 ? { cmd } : {}),
    ...(values.workdir ? { workingDir: resolve(opts.cwd, values.workdir) } : {}),
    ...(vars.length > 0 ? { env: vars } : {}),
  };
}

/**
 * A client for the kubeproc the flags name: --kubeconfig, else --data-dir; with neither, the
 * default data dir if a kubeproc runs there, else the "kubeproc" context of the usual kubeconfig.
 */
export async function connect(flags: Connection): Promise<HttpClient> {
  if (flags.kubeconfig !== undefined) {
    return HttpClient.fromKubeconfig(flags.kubeconfig, flags.context ?? 'kubeproc');
  }
  const dataDir = dataDirOf(flags['data-dir']);
  const state = readRuntimeState(dataDir);
  if (state && isRunning(state.pid)) {
    return dataDirClient(dataDir, state.url);
  }
  const notRunning = `kubeproc is not running with data dir ${dataDir}; start it with: kubeproc up --data-dir ${dataDir}`;
  const kubeconfig = resolveKubeconfigPath();
  if (flags['data-dir'] !== undefined || !existsSync(kubeconfig)) {
    throw new Error(notRunning);
  }
  try {
    return await HttpClient.fromKubeconfig(kubeconfig, 'kubeproc');
  } catch (e) {
    throw new Error(`${notRunning} (and ${kubeconfig} has no usable "kubeproc" context)`, {
      cause: e,
    });
  }
}

// The data dir's own CA and token, not the shared kubeconfig context another kubeproc may own.
function dataDirClient(dataDir: string, url: string): HttpClient {
  const read = (file: string) =>
    existsSync(join(dataDir, file)) ? readFileSync(join(dataDir, file), 'utf8') : undefined;
  const caPem = url.startsWith('https:') ? read('pki/ca.crt') : undefined;
  const token = read('token')?.trim();
  return new HttpClient({
    server: url,
    userAgent: FIELD_MANAGER,
    ...(caPem ? { caPem } : {}),
    ...(token ? { token } : {}),
  });
}

async function withClient<T>(
  flags: Connection,
  fn: (client: HttpClient) => Promise<T>,
): Promise<T> {
  const client = await connect(flags);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

async function add(args: string[], out: Output): Promise<number> {
  const { image: obj, connection } = parseImageAdd(args);
  const verb = await withClient(connection, (client) => createOrReplace(client, obj));
  out.print(`image.kubeproc.io/${obj.metadata.name} ${verb}`);
  if (!obj.spec.entrypoint && !obj.spec.cmd) {
    out.error(
      `note: ${familiar(obj.spec.image)} has no command; pods using it must set command or args (add one after "--")`,
    );
  }
  return 0;
}

const MAX_ATTEMPTS = 5;

/** Creates the Image, or replaces the spec of an existing one; says which it did. */
async function createOrReplace(client: HttpClient, obj: Image): Promise<string> {
  const opts = { fieldManager: FIELD_MANAGER };
  try {
    await client.create(IMAGES_REF, obj, opts);
    return 'created';
  } catch (e) {
    if (!isAlreadyExists(e)) {
      throw e;
    }
  }
  for (let attempt = 1; ; attempt++) {
    const current = await client.get(IMAGES_REF, '', obj.metadata.name ?? '');
    const next: KubeObject = { ...current, spec: obj.spec };
    try {
      const stored = await client.update(IMAGES_REF, next, opts);
      return stored.metadata.resourceVersion === current.metadata.resourceVersion
        ? 'unchanged'
        : 'replaced';
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) {
        throw e;
      }
    }
  }
}

function parseConnection(args: string[], command: string) {
  const { values, positionals } = parseArgs({
    args,
    options: CONNECTION_OPTIONS,
    allowPositionals: command === 'rm',
    strict: true,
  });
  return { connection: values, positionals };
}

async function list(args: string[], out: Output): Promise<number> {
  const { connection } = parseConnection(args, 'ls');
  const images = await withClient(connection, (client) => client.list(IMAGES_REF));
  if (images.items.length === 0) {
    out.print('No images registered. Add one with: kubeproc image add NAME -- COMMAND [ARGS...]');
    return 0;
  }
  out.print(imageTable(images.items, new Date()));
  return 0;
}

/** The `image ls` table: IMAGE, ENTRYPOINT, CMD, WORKDIR, ENV, AGE, sorted by image. */
export function imageTable(items: KubeObject[], now: Date): string {
  const rows = items
    .map((obj) => {
      const spec = (obj.spec ?? {}) as Partial<ImageSpec>;
      const env = (spec.env ?? []).map((e) => `${e.name}=${e.value ?? ''}`).join(',');
      return [
        familiar(spec.image ?? ''),
        formatWords(spec.entrypoint),
        formatWords(spec.cmd),
        spec.workingDir || '<none>',
        env || '<none>',
        age(obj.metadata.creationTimestamp, now),
      ];
    })
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  const header = ['IMAGE', 'ENTRYPOINT', 'CMD', 'WORKDIR', 'ENV', 'AGE'];
  const table = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  return table
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
        .join(''),
    )
    .join('\n');
}

async function remove(args: string[], out: Output): Promise<number> {
  const { connection, positionals } = parseConnection(args, 'rm');
  if (positionals.length === 0) {
    throw new UsageError('image rm needs at least one image name: kubeproc image rm NAME[:TAG]...');
  }
  const refs = positionals.map((text) => ({ text, ref: parseReference(text) }));
  let failed = 0;
  await withClient(connection, async (client) => {
    for (const { text, ref } of refs) {
      const name = imageObjectName(ref);
      try {
        await client.delete(IMAGES_REF, '', name);
        out.print(`image.kubeproc.io/${name} deleted`);
      } catch (e) {
        if (!isNotFound(e)) {
          throw e;
        }
        failed++;
        out.error(`kubeproc: image "${text}" is not registered`);
      }
    }
  });
  return failed > 0 ? 1 : 0;
}
