/**
 * A reading of deploy/Dockerfile, and a stand-in for `docker build` on a machine without a
 * container engine: each stage's filesystem is a directory, COPY copies from the build context
 * (a clean checkout filtered by .dockerignore) or from another stage's directory, WORKDIR, ARG
 * and ENV work as in Docker, and RUN commands run with `sh` in the stage's working directory.
 * System package steps (apt-get) are the one thing that cannot run here: they are skipped and
 * reported, and any other RUN that names an absolute path is refused, so that nothing touches the
 * host instead of the image. `RUN --mount=type=secret` is understood: the secret's target path in
 * the command becomes the file given in `secrets` (or a path that does not exist when the secret
 * is not given, as a builder leaves an optional secret unmounted).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { isIgnored, parseDockerignore } from './dockerignore';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  /** An image reference, or the name of an earlier stage. */
  from: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string | undefined>;
  stages: Stage[];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const logical: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) return;
    if (pending === '') startLine = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') return;
    const keyword = full.split(/\s+/)[0];
    logical.push({
      keyword: keyword!.toUpperCase(),
      args: full.slice(keyword!.length).trim(),
      line: startLine,
    });
  });

  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  for (const instruction of logical) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      const from = substitute(match[1]!, globalArgs);
      stages.push({ name: match[2] ?? String(stages.length), from, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG')
        throw new Error(`line ${instruction.line}: ${instruction.keyword} before FROM`);
      const [name, value] = splitAssignment(instruction.args);
      globalArgs[name] = value;
    } else {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

function splitAssignment(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  if (eq < 0) return [text.trim(), undefined];
  return [text.slice(0, eq).trim(), unquote(text.slice(eq + 1).trim())];
}

const unquote = (value: string) => value.replace(/^"(.*)"$/, '$1');

/** ${VAR} and $VAR from `vars` (unset ones become empty, as in Docker). */
export function substitute(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, a?: string, b?: string) => vars[(a ?? b)!] ?? '',
  );
}

/** Flags (--from=…, --chown=…) and the paths of a COPY, in exec (JSON) or plain form. */
export function parseCopy(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let match = /^--([a-z-]+)=(\S+)\s+/.exec(rest); match; match = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    flags[match[1]!] = match[2]!;
    rest = rest.slice(match[0].length);
  }
  const paths = rest.trim().startsWith('[')
    ? (JSON.parse(rest) as string[])
    : rest.trim().split(/\s+/).map(unquote);
  if (paths.length < 2) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { flags, sources: paths.slice(0, -1), dest: paths[paths.length - 1]! };
}

/** The files a clean checkout would have: tracked and not-ignored untracked files that exist. */
export function checkoutFiles(repoRoot: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = out.split('\0').filter((f) => f !== '' && existsSync(join(repoRoot, f)));
  return [...new Set(files)].sort();
}

/** The build context of a clean checkout: its files minus .dockerignore. */
export function buildContextFiles(repoRoot: string): string[] {
  const patterns = parseDockerignore(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));
  return checkoutFiles(repoRoot).filter((file) => !isIgnored(patterns, file));
}

export interface ImageConfig {
  /** Directory standing in for the image's root filesystem. */
  root: string;
  workdir: string;
  user: string | undefined;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  /** RUN commands that were not run (system packages), in order. */
  skipped: string[];
}

export interface BuildOptions {
  dockerfile: string;
  /** Files of the build context, relative to contextDir. */
  contextFiles: readonly string[];
  contextDir: string;
  buildArgs: Record<string, string>;
  /** Extra environment for RUN commands (e.g. npm's offline switch). */
  runEnv?: Record<string, string>;
  /** Build secrets by id (`--secret id=ID,src=FILE`), for `RUN --mount=type=secret,id=ID`. */
  secrets?: Record<string, string>;
  /**
   * What the external base images hold, by image name (as FROM names it after ARG substitution):
   * absolute path in the image -> file on this machine, placed there as a symbolic link. A base
   * that is not listed starts empty.
   */
  baseImages?: Record<string, Record<string, string>>;
  /** Where stage directories go; stages already built there are reused, like Docker's cache. */
  workDir?: string;
  /** Called with each RUN as it starts (progress for long builds). */
  onRun?: (stage: string, command: string) => void;
}

const SYSTEM_PACKAGE_STEP = /\bapt-get\b/;

export class DockerBuild {
  private readonly parsed: ParsedDockerfile;
  private readonly workDir: string;
  private readonly built = new Map<string, ImageConfig>();
  private readonly contextSet: Set<string>;

  constructor(private readonly options: BuildOptions) {
    this.parsed = parseDockerfile(readFileSync(options.dockerfile, 'utf8'));
    this.workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'docker-build-'));
    this.contextSet = new Set(options.contextFiles);
  }

  get stages(): readonly Stage[] {
    return this.parsed.stages;
  }

  /** Builds `target` (and the stages it needs) with these build args. */
  build(target: string, buildArgs: Record<string, string> = this.options.buildArgs): ImageConfig {
    const stage = this.parsed.stages.find((s) => s.name === target);
    if (!stage) throw new Error(`no stage ${target}`);
    // Docker's cache key, simplified: the stage and the build args it declares.
    const declared = stage.instructions
      .filter((i) => i.keyword === 'ARG')
      .map((i) => splitAssignment(i.args)[0]);
    const key = `${target}:${JSON.stringify(declared.map((name) => [name, buildArgs[name]]))}`;
    const cached = this.built.get(key);
    if (cached) return cached;

    // A directory of its own for every attempt: a build that failed half-way leaves its files.
    mkdirSync(this.workDir, { recursive: true });
    const root = mkdtempSync(join(this.workDir, `${target}-`));
    const base = this.parsed.stages.find((s) => s.name === stage.from);
    const config: ImageConfig = base
      ? { ...this.build(base.name, buildArgs), root, skipped: [] }
      : { root, workdir: '/', user: undefined, env: {}, entrypoint: [], cmd: [], skipped: [] };
    if (base)
      cpSync(this.build(base.name, buildArgs).root, root, { recursive: true, verbatimSymlinks: true });
    else {
      mkdirSync(root, { recursive: true });
      for (const [path, file] of Object.entries(this.options.baseImages?.[stage.from] ?? {})) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        symlinkSync(file, join(root, path));
      }
    }
    config.env = { ...config.env };

    const args: Record<string, string | undefined> = {};
    const vars = () => ({ ...args, ...config.env });
    const inRoot = (path: string) => join(root, posix.resolve(config.workdir, path));

    for (const instruction of stage.instructions) {
      const where = `${target}, line ${instruction.line}`;
      switch (instruction.keyword) {
        case 'ARG': {
          const [name, fallback] = splitAssignment(instruction.args);
          args[name] =
            buildArgs[name] ??
            fallback ??
            (name in this.parsed.globalArgs ? this.parsed.globalArgs[name] : undefined);
          break;
        }
        case 'ENV': {
          const [name, value] = splitAssignment(instruction.args);
          config.env[name] = substitute(value ?? '', vars());
          break;
        }
        case 'WORKDIR':
          config.workdir = posix.resolve(config.workdir, substitute(instruction.args, vars()));
          mkdirSync(join(root, config.workdir), { recursive: true });
          break;
        case 'COPY':
          this.copy(instruction.args, vars(), inRoot, buildArgs, where);
          break;
        case 'RUN':
          this.run(instruction.args, vars(), config, where, target);
          break;
        case 'USER':
          config.user = substitute(instruction.args, vars());
          break;
        case 'ENTRYPOINT':
          config.entrypoint = JSON.parse(instruction.args) as string[];
          break;
        case 'CMD':
          config.cmd = JSON.parse(instruction.args) as string[];
          break;
        case 'EXPOSE':
        case 'LABEL':
          break;
        default:
          throw new Error(
            `${where}: ${instruction.keyword} is not supported by this stand-in for docker build`,
          );
      }
    }
    this.built.set(key, config);
    return config;
  }

  private copy(
    rawArgs: string,
    vars: Record<string, string | undefined>,
    inRoot: (path: string) => string,
    buildArgs: Record<string, string>,
    where: string,
  ): void {
    const { flags, sources, dest } = parseCopy(substitute(rawArgs, vars));
    const destPath = inRoot(dest);
    const intoDirectory = dest.endsWith('/') || sources.length > 1;
    for (const source of sources) {
      let from: string;
      if (flags.from !== undefined) {
        from = join(this.build(flags.from, buildArgs).root, posix.resolve('/', source));
      } else {
        const relative = posix.normalize(source).replace(/\/+$/, '');
        if (relative.startsWith('..') || posix.isAbsolute(relative))
          throw new Error(`${where}: COPY ${source} leaves the context`);
        const inContext =
          this.contextSet.has(relative) || [...this.contextSet].some((f) => f.startsWith(`${relative}/`));
        if (!inContext)
          throw new Error(
            `${where}: COPY source ${source} is not in the build context (missing, or excluded by .dockerignore)`,
          );
        from = join(this.options.contextDir, relative);
      }
      if (!existsSync(from)) throw new Error(`${where}: COPY source ${source} does not exist`);
      // A directory's contents are copied, not the directory itself (Docker's rule).
      const target =
        statSync(from).isDirectory() || !intoDirectory ? destPath : join(destPath, basename(from));
      mkdirSync(statSync(from).isDirectory() ? target : dirname(target), { recursive: true });
      cpSync(from, target, { recursive: true, verbatimSymlinks: true });
    }
  }

  private run(
    rawArgs: string,
    vars: Record<string, string | undefined>,
    config: ImageConfig,
    where: string,
    stage: string,
  ): void {
    const { mounts, command: written } = parseRunMounts(rawArgs);
    if (SYSTEM_PACKAGE_STEP.test(written)) {
      config.skipped.push(written);
      return;
    }
    let command = written;
    for (const mount of mounts) {
      const type = mount.type ?? 'bind';
      if (type !== 'secret')
        throw new Error(`${where}: RUN --mount=type=${type} is not supported by this stand-in`);
      const id = mount.id;
      if (!id) throw new Error(`${where}: a secret mount needs an id`);
      const target = mount.target ?? mount.dst ?? mount.destination ?? `/run/secrets/${id}`;
      const source = this.options.secrets?.[id];
      if (source === undefined && mount.required === 'true')
        throw new Error(`${where}: the required secret ${id} was not given`);
      // Marked, not yet replaced: the absolute-path check below must still see the rest.
      command = command.split(target).join(`\0secret:${id}\0`);
    }
    if (/(^|\s|=)\/(?!dev\/null)/.test(command))
      throw new Error(`${where}: RUN names an absolute path, which would be the host's here: ${command}`);
    command = command.replace(
      /\0secret:([^\0]+)\0/g,
      (_m, id: string) => this.options.secrets?.[id] ?? join(this.workDir, `.no-secret-${id}`),
    );
    this.options.onRun?.(stage, command);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
    };
    for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
    Object.assign(env, this.options.runEnv);
    const result = spawnSync('sh', ['-c', command], {
      cwd: join(config.root, config.workdir),
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      const error = new Error(
        `${where}: RUN ${command} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`.trim(),
      );
      (error as Error & { stderr?: string }).stderr = result.stderr;
      throw error;
    }
  }
}

/** The leading `--mount=k=v,k=v` flags of a RUN (as BuildKit and buildah read them) and the command. */
export function parseRunMounts(args: string): { mounts: Record<string, string>[]; command: string } {
  const mounts: Record<string, string>[] = [];
  let rest = args.trim();
  for (let match = /^--mount=(\S+)\s+/.exec(rest); match; match = /^--mount=(\S+)\s+/.exec(rest)) {
    const mount: Record<string, string> = {};
    for (const pair of match[1]!.split(',')) {
      const [key, value] = splitAssignment(pair);
      // A bare key is a true flag (`required` alone means required=true).
      mount[key] = value ?? 'true';
    }
    mounts.push(mount);
    rest = rest.slice(match[0].length);
  }
  return { mounts, command: rest };
}
