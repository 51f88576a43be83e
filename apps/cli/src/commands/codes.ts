import { Option, type Command } from 'commander';
import { requireBrand } from '../config';
import { ApiAnswerError } from '../errors';
import type { CommandContext } from '../context';
import { formatRecord } from '../output';
import { DEFAULT_POLL_MS, followJob, jobSummary } from './jobs';
import {
  EXPORT_STATUSES,
  IMPORT_FORMATS,
  expectedExportRows,
  exportPath,
  generateBody,
  importContentType,
  importFormat,
  intAtLeast,
  type ExportFlags,
  type GenerateFlags,
  type ImportFormat,
} from './requests';
import { download, lineCounter, openUpload } from './transfer';

type ContextOf = (command: Command) => CommandContext;

/** The bar's total from the stats; an export the stats cannot size (or refuse) has none. */
async function expectedRows(
  ctx: CommandContext,
  brandId: string,
  flags: ExportFlags,
): Promise<number | null> {
  try {
    return expectedExportRows(await ctx.generator().brandStats(brandId), flags);
  } catch (error) {
    if (error instanceof ApiAnswerError) return null;
    throw error;
  }
}

const brandOption = () => new Option('--brand <brandId>', 'the brand (default: $DISCOUNTS_BRAND)');

export function registerCodes(program: Command, contextOf: ContextOf): void {
  const codes = program.command('codes').description('generate, import and export a brand’s codes');

  codes
    .command('generate')
    .description(
      'generate codes; above the server’s inline limit (10,000 by default) this queues a job, ' +
        'which --wait follows with a progress bar',
    )
    .addOption(brandOption())
    .requiredOption('--count <n>', 'how many codes', intAtLeast(1))
    .option('--length <n>', 'characters after the prefix (6–32, default 8)', intAtLeast(1))
    .option('--prefix <prefix>', 'up to 16 of A–Z 0–9 -')
    .option('--alphabet <chars>', 'at least 10 distinct URL-safe characters')
    .option('--expires-at <iso8601>', 'when the codes stop being claimable')
    .option('--wait', 'follow a queued job until it finishes (exit 5 unless it completed)')
    .option(
      '--interval <ms>',
      'with --wait: poll every this many milliseconds',
      intAtLeast(50),
      DEFAULT_POLL_MS,
    )
    .action(
      async (
        opts: GenerateFlags & { brand?: string; wait?: boolean; interval: number },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const brandId = requireBrand(opts.brand, ctx.io.env);
        const answer = await ctx.generator().generateCodes(brandId, generateBody(opts));
        // The request succeeded all the same; a person should still hear it (--json has it in the body).
        const warnings = (answer.kind === 'batch' ? answer.batch : answer.job).warnings ?? [];
        for (const warning of warnings) ctx.output.note(`warning (${warning.code}): ${warning.message}`);
        if (answer.kind === 'batch') {
          ctx.output.result(answer.batch, () => formatRecord(answer.batch));
          return;
        }
        if (opts.wait) return followJob(ctx, answer.job, opts.interval);
        ctx.output.result(answer.job, () => formatRecord(jobSummary(answer.job)));
        ctx.output.note(`Queued as a job: follow it with \`discounts jobs watch ${answer.job.jobId}\`.`);
      },
    );

  codes
    .command('import')
    .description('upload codes made elsewhere (CSV or NDJSON, streamed) and print the report')
    .argument('<file>', 'a .csv, .ndjson or .jsonl file, or - for stdin')
    .addOption(brandOption())
    .addOption(
      new Option('--format <format>', 'the file’s format (default: from its extension, else csv)').choices(
        IMPORT_FORMATS,
      ),
    )
    .action(async (file: string, opts: { brand?: string; format?: ImportFormat }, command: Command) => {
      const ctx = contextOf(command);
      const brandId = requireBrand(opts.brand, ctx.io.env);
      const api = ctx.generator();
      const progress = ctx.progress({ unit: 'bytes', label: 'upload' });
      const upload = await openUpload(file, (sent) => progress.update(sent, upload.size));
      const format = importFormat(file, opts.format);
      try {
        const report = await api.importCodes(brandId, upload.body, importContentType(format), upload.size);
        ctx.output.result(report, () => formatRecord({ ...report }));
      } catch (error) {
        // The file failed to read: that is the cause, the request's failure only its consequence.
        throw upload.readError() ?? error;
      } finally {
        progress.finish();
      }
    });

  codes
    .command('export')
    .description('download the brand’s codes as CSV (streamed), with a row count as it goes')
    .requiredOption('--out <file>', 'where to write the CSV (- for stdout)')
    .addOption(brandOption())
    .addOption(new Option('--status <status>', 'which codes').choices(EXPORT_STATUSES).default('all'))
    .option('--campaign <campaignId>', 'only this campaign’s codes')
    .option('--batch <batchId>', 'only this batch’s codes')
    .option('--job <jobId>', 'only this job’s codes')
    .action(async (opts: ExportFlags & { brand?: string; out: string }, command: Command) => {
      const ctx = contextOf(command);
      const brandId = requireBrand(opts.brand, ctx.io.env);
      const api = ctx.generator();
      // Only for the bar's total and ETA: skipped when nobody sees a bar.
      const expected = ctx.config.json ? null : await expectedRows(ctx, brandId, opts);
      const body = await api.exportCsv(exportPath(brandId, opts));
      const progress = ctx.progress({ unit: 'rows', label: 'export' });
      let rows = 0;
      const counter = lineCounter((lines) => {
        rows = Math.max(0, lines - 1); // the header line is not a row
        progress.update(rows, expected === null ? null : Math.max(expected, rows));
      });
      try {
        const end = await download(body, opts.out, counter, ctx.io.stdout);
        // The reader had enough (`--out - | head`): nothing more to say, as `cat` would not.
        if (end === 'reader-gone') return;
        progress.update(rows, rows);
      } finally {
        progress.finish();
      }
      // With --out -, stdout is the CSV: nothing else may go there.
      if (opts.out === '-') ctx.output.note(`${rows} rows written to stdout`);
      else ctx.output.result({ brandId, out: opts.out, rows }, () => `${rows} rows written to ${opts.out}`);
    });
}
