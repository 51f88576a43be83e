/**
 * `npm run openapi`: writes openapi/generator.json and openapi/provider.json from the apps' code
 * (no MongoDB or NATS needed), then the typed client's types from them (libs/client). Run from
 * the repository's root, as npm runs scripts.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { OPENAPI_APPS, openApiDocumentOf } from './apps';
import { clientTypesOf, clientTypesPath, documentPath, serializeDocument } from './artefacts';

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  console.log(`wrote ${path}`);
}

async function main(): Promise<void> {
  const root = process.cwd();
  if (!existsSync(join(root, 'openapi')) && !existsSync(join(root, 'nest-cli.json')))
    throw new Error(`${root} is not the repository's root: run \`npm run openapi\``);
  for (const app of OPENAPI_APPS) {
    const path = documentPath(root, app);
    // Prettier's layout (short arrays on one line), so `npm run format:check` passes as is; the
    // drift check compares parsed documents, so the layout is free to be prettier's.
    const json = await format(serializeDocument(await openApiDocumentOf(app)), {
      ...(await resolveConfig(path)),
      filepath: path,
    });
    await write(path, json);
    await write(clientTypesPath(root, app), await clientTypesOf(root, json));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
