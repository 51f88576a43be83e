import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { download, lineCounter } from './transfer';

/** `lines` CSV rows, a few at a time, as an export's body. */
function csvBody(lines: number): ReadableStream<Uint8Array> {
  let row = 0;
  return new ReadableStream({
    pull(controller) {
      if (row >= lines) return controller.close();
      const chunk = Array.from({ length: 100 }, () => `CODE-${row++}\n`).join('');
      controller.enqueue(new TextEncoder().encode(chunk));
    },
  });
}

describe('download to stdout (--out -)', () => {
  it('writes to the stdout it is given, not the process’s', async () => {
    let written = '';
    const end = await download(
      csvBody(200),
      '-',
      lineCounter(() => undefined),
      {
        write: (text: string) => (written += text),
      },
    );
    expect(end).toBe('complete');
    expect(written.split('\n')).toHaveLength(201);
  });

  it('ends quietly when the reader goes away (`| head -n 1`): EPIPE is not a failure', async () => {
    const head = spawn('head', ['-n', '1'], { stdio: ['pipe', 'ignore', 'inherit'] });
    const exited = once(head, 'exit');
    // Far more than a pipe's buffer: writing goes on after head has exited.
    const end = await download(
      csvBody(2_000_000),
      '-',
      lineCounter(() => undefined),
      head.stdin,
    );
    await exited;
    expect(end).toBe('reader-gone');
  }, 20_000);
});
