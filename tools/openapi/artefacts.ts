/*
 * What `npm run openapi` writes, as strings: the documents (openapi/<app>.json) and the client's
 * types generated from them (libs/client/src/generated/<app>.d.ts). The drift check builds the
 * same strings and compares them with the committed files.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OpenApiApp } from './apps';

/** Where, under the repository's root, each artefact of `app` is committed. */
export const documentPath = (root: string, app: OpenApiApp): string => join(root, 'openapi', `${app}.json`);
export const clientTypesPath = (root: string, app: OpenApiApp): string =>
  join(root, 'libs', 'client', 'src', 'generated', `${app}.d.ts`);

/** Two-space JSON and a final newline: key order is the document's own (see openapi-document.ts). */
export const serializeDocument = (document: OpenAPIObject): string =>
  `${JSON.stringify(document, null, 2)}\n`;

/** openapi-typescript's options: `rootTypes` adds `ApiError`-style aliases beside `components`. */
const TYPES_OPTIONS = { rootTypes: true, rootTypesNoSchemaPrefix: true };

/*
 * openapi-typescript loads ES modules, which jest's CommonJS runtime cannot require (Node can):
 * so it runs in a Node process of its own, for `npm run openapi` and the drift check alike.
 */
const TYPES_SCRIPT = `
const { default: openapiTS, astToString } = require('openapi-typescript');
let input = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => (input += chunk)).on('end', async () => {
  process.stdout.write(astToString(await openapiTS(input, ${JSON.stringify(TYPES_OPTIONS)})));
});`;

/**
 * The client's types for a document, from its JSON text (what is committed, so the types follow
 * the file a reviewer sees); `root` is the repository's, where openapi-typescript is installed.
 */
export function clientTypesOf(root: string, documentJson: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['-e', TYPES_SCRIPT],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`openapi-typescript failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(documentJson);
  });
}
