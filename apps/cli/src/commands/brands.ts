import type { Command } from 'commander';
import type { Brand, BrandPage } from '../api/types';
import type { CommandContext } from '../context';
import { formatRecord, formatTable } from '../output';
import { intAtLeast } from './requests';

type ContextOf = (command: Command) => CommandContext;

const BRAND_COLUMNS = ['brandId', 'name', 'createdAt'] as const;

export function registerBrands(program: Command, contextOf: ContextOf): void {
  const brands = program.command('brands').description('register and inspect brands');

  brands
    .command('create')
    .description('register a brand (admin token); prints its API key, shown only this once')
    .requiredOption('--name <name>', 'the brand’s display name')
    .option('--id <brandId>', 'the brand id (generated when left out)')
    .option('--pool-low-threshold <n>', 'emit pool.low below this many available codes', intAtLeast(1))
    .action(async (opts: { name: string; id?: string; poolLowThreshold?: number }, command: Command) => {
      const ctx = contextOf(command);
      const created = await ctx.generator().createBrand({
        name: opts.name,
        ...(opts.id !== undefined ? { id: opts.id } : {}),
        ...(opts.poolLowThreshold !== undefined ? { poolLowThreshold: opts.poolLowThreshold } : {}),
      });
      ctx.output.result(created, () => formatRecord(created));
      ctx.output.note(
        'Keep the apiKey now: it is not shown again (rotate it with `discounts brands rotate-key`).',
      );
    });

  brands
    .command('list')
    .description('list brands in id order (admin token)')
    .option('--limit <n>', 'brands per page (1–100)', intAtLeast(1))
    .option('--cursor <cursor>', 'continue from a previous page’s nextCursor')
    .option('--name-prefix <prefix>', 'only brands whose name starts with this')
    .option('--all', 'follow nextCursor to the last page')
    .action(
      async (
        opts: { limit?: number; cursor?: string; namePrefix?: string; all?: boolean },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const api = ctx.generator();
        const query = { limit: opts.limit, cursor: opts.cursor, namePrefix: opts.namePrefix };
        let page: BrandPage = await api.listBrands(query);
        const items: Brand[] = [...page.items];
        while (opts.all && page.nextCursor) {
          page = await api.listBrands({ ...query, cursor: page.nextCursor });
          items.push(...page.items);
        }
        const result: BrandPage = { items, nextCursor: page.nextCursor };
        ctx.output.result(result, () =>
          [
            formatTable(BRAND_COLUMNS, items),
            ...(result.nextCursor ? [`more: --cursor ${result.nextCursor} (or --all)`] : []),
          ].join('\n'),
        );
      },
    );

  brands
    .command('get')
    .description('show a brand and its settings')
    .argument('<brandId>')
    .action(async (brandId: string, _opts: unknown, command: Command) => {
      const ctx = contextOf(command);
      const brand = await ctx.generator().getBrand(brandId);
      ctx.output.result(brand, () => formatRecord(brand));
    });

  brands
    .command('rotate-key')
    .description('give the brand a new API key (admin or its current key); the old one lasts a grace period')
    .argument('<brandId>')
    .action(async (brandId: string, _opts: unknown, command: Command) => {
      const ctx = contextOf(command);
      const rotated = await ctx.generator().rotateKey(brandId);
      ctx.output.result(rotated, () => formatRecord({ ...rotated }));
      ctx.output.note('Keep the new apiKey now: it is not shown again.');
    });
}
