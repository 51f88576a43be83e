/**
 * The `discounts` program: root flags, the command families, and the one place errors become an
 * exit code and a line on stderr.
 */
import { Command, CommanderError, Option } from 'commander';
import { registerBrands } from './commands/brands';
import { registerClaims } from './commands/claims';
import { registerCodes } from './commands/codes';
import { registerJobs } from './commands/jobs';
import { intAtLeast } from './commands/requests';
import { DEFAULTS, ENV, type GlobalFlags } from './config';
import { createContext, type CliIo, type CommandContext } from './context';
import { CliError, EXIT, innermostMessage, type ExitCode } from './errors';

export const PROGRAM_NAME = 'discounts';

export function buildProgram(io: CliIo): Command {
  const program = new Command(PROGRAM_NAME)
    .description('Manage brands, codes and generation jobs of the discount codes platform')
    .version(VERSION)
    // The environment is read by resolveConfig (from io.env), not by commander (process.env).
    .option(
      '--url <url>',
      `the generator; its admin port for admin-token commands (env ${ENV.url}, default ${DEFAULTS.generatorUrl})`,
    )
    .option(
      '--provider-url <url>',
      `the provider, for claims (env ${ENV.providerUrl}, default ${DEFAULTS.providerUrl})`,
    )
    .option('--token <token>', `admin token or brand API key (env ${ENV.token})`)
    .option('--json', 'print results as JSON on stdout, no progress bars')
    .addOption(
      new Option('--timeout <ms>', 'give up on an answer after this long')
        .argParser(intAtLeast(1))
        .default(DEFAULTS.timeoutMs),
    )
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();

  const contextOf = (command: Command): CommandContext =>
    createContext(command.optsWithGlobals<GlobalFlags>(), io);
  registerBrands(program, contextOf);
  registerCodes(program, contextOf);
  registerJobs(program, contextOf);
  registerClaims(program, contextOf);
  // Every subcommand: usage errors throw (exitOverride) and print where the root prints.
  for (const command of allCommands(program)) {
    command.exitOverride().configureOutput(program.configureOutput());
    command.showHelpAfterError('(add --help for usage)');
  }
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/** Runs one command line; resolves the exit code and never throws. */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return exitCodeOf(error, io);
  }
}

function exitCodeOf(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // --help and --version end with exit code 0 in commander; a command group run bare
    // (`discounts jobs`) prints its help as an error, and everything else is a usage error too.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliError) {
    io.stderr.write(`${PROGRAM_NAME}: ${error.message}\n`);
    return error.exitCode;
  }
  io.stderr.write(`${PROGRAM_NAME}: unexpected error: ${innermostMessage(error)}\n`);
  return EXIT.failure;
}

const VERSION = '0.1.0';
