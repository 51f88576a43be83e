import { once } from 'node:events';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QuotasConfig } from '../generator.config';
import { ExportSlots } from './export-slots';

/** finished() calls back on a later tick; a macrotask later it has. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('ExportSlots.holdFor, over real responses', () => {
  let server: Server;
  let port: number;
  /** Responses of the requests to `server`, in order of arrival. */
  let responses: ServerResponse[];

  beforeAll(async () => {
    server = createServer((_req, res) => responses.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    responses = [];
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** A request whose response has arrived at the server, and the client's side of it. */
  async function open(): Promise<{ res: ServerResponse; abort: () => void }> {
    const req = request({ port, host: '127.0.0.1', path: '/codes.csv' });
    req.on('error', () => undefined);
    req.end();
    while (responses.length === 0) await settled();
    const res = responses.shift() as ServerResponse;
    return { res, abort: () => req.destroy() };
  }

  const slots = () => new ExportSlots({ maxConcurrentExports: 1 } as QuotasConfig);

  it('gives the slot back when the client goes away mid-export, then takes another', async () => {
    const exports = slots();
    const first = await open();
    exports.holdFor('b', first.res);
    const second = await open();
    expect(() => exports.holdFor('b', second.res)).toThrow(/BRAND_MAX_CONCURRENT_EXPORTS=1/);
    first.abort();
    await once(first.res, 'close');
    await settled();
    expect(exports.inUse('b')).toBe(0);
    exports.holdFor('b', second.res);
    second.res.end();
    await once(second.res, 'close');
    await settled();
    expect(exports.inUse('b')).toBe(0);
  });

  it('gives the slot back when the client went away before the slot was taken', async () => {
    // As when the client disconnects while the guards run: 'close' has fired already.
    const exports = slots();
    const { res, abort } = await open();
    abort();
    await once(res, 'close');
    exports.holdFor('b', res);
    await settled();
    expect(exports.inUse('b')).toBe(0);
  });
});
