import { generatorApi, providerApi } from './api/typed-apis';
import type { GeneratorApi, ProviderApi } from './api/generator-api';
import { resolveConfig, requireToken, type CliConfig, type GlobalFlags } from './config';
import { createOutput, type Output, type Writable } from './output';
import {
  createReporter,
  progressMode,
  type ProgressReporter,
  type ProgressStream,
} from './progress/reporter';
import type { ProgressFrame } from './progress/format';

/** What the CLI touches of its process: injected, so tests can run commands in memory. */
export interface CliIo {
  stdout: Writable;
  stderr: ProgressStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: long waits stop and say how to resume. */
  signal: AbortSignal;
}

export interface CommandContext {
  config: CliConfig;
  io: CliIo;
  output: Output;
  /** The generator's API with the configured credentials (a usage error without any). */
  generator(): GeneratorApi;
  provider(): ProviderApi;
  progress(frame: Pick<ProgressFrame, 'unit' | 'label'>): ProgressReporter;
}

export function createContext(flags: GlobalFlags, io: CliIo): CommandContext {
  const config = resolveConfig(flags, io.env);
  const mode = progressMode({ json: config.json, isTTY: io.stderr.isTTY === true });
  return {
    config,
    io,
    output: createOutput(config.json, io.stdout, io.stderr),
    generator: () => generatorApi(config.generatorUrl, requireToken(config), config.timeoutMs),
    provider: () => providerApi(config.providerUrl, config.timeoutMs),
    progress: (frame) => createReporter(mode, io.stderr, frame),
  };
}
