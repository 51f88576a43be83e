/**
 * The two routes whose bodies are streams: an import's upload and an export's download. They go
 * through fetch directly rather than the typed client, which reads and writes whole JSON bodies;
 * a file of millions of codes must move through in bounded memory.
 */
import type { ImportReport } from './types';
import { jsonOf, send } from './http';

export async function importCodes(
  baseUrl: string,
  token: string,
  brandId: string,
  body: ReadableStream<Uint8Array>,
  contentType: string,
  contentLength: number | null,
  timeoutMs: number,
): Promise<ImportReport> {
  const headers: Record<string, string> = { 'content-type': contentType };
  // Declared, the server refuses a too-large file (413) before a byte is read.
  if (contentLength !== null) headers['content-length'] = String(contentLength);
  const label = `the generator at ${baseUrl}`;
  // timeoutMs counts from the upload's last byte: a large file may take longer than that to send.
  const response = await send(baseUrl, 'POST', `/v1/brands/${encodeURIComponent(brandId)}/codes/import`, {
    token,
    stream: body,
    headers,
    label,
    timeoutMs,
  });
  return jsonOf<ImportReport>(response, label);
}

export async function exportCsv(
  baseUrl: string,
  token: string,
  path: string,
  timeoutMs: number,
): Promise<ReadableStream<Uint8Array>> {
  // timeoutMs covers the wait for the answer's headers only: a long export keeps streaming.
  const response = await send(baseUrl, 'GET', path, {
    token,
    timeoutMs,
    headers: { accept: 'text/csv' },
    label: `the generator at ${baseUrl}`,
  });
  if (!response.body) throw new Error('the export answered without a body');
  return response.body;
}
