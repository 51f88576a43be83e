/**
 * The in-flight cap counts a request until it is answered and its handler has returned: a client
 * that gives up does not free a slot while its handler still waits on the database, or a slow
 * database would let the queue behind it grow without bound. Over a real socket.
 */
import { connect } from 'node:net';
import Fastify from 'fastify';
import { trackInFlight } from '@app/http';

/** A promise and the function that settles it. */
function signal(): [Promise<void>, () => void] {
  let settle!: () => void;
  const promise = new Promise<void>((resolve) => (settle = resolve));
  return [promise, settle];
}

it('a client that goes away keeps its slot until the handler returns', async () => {
  const fastify = Fastify();
  const inFlight = trackInFlight(fastify, {
    maxInFlight: 1,
    isExempt: (request) => request.url === '/probe',
    refuse: (_request, reply) => {
      void reply.status(503);
      return { refused: true };
    },
  });
  const [handlerStarted, started] = signal();
  const [database, answer] = signal();
  const [responseClosed, closed] = signal();
  const [handlerReturned, returned] = signal();
  fastify.get('/slow', async (_request, reply) => {
    reply.raw.once('close', closed);
    started();
    await database;
    // After this handler's promise settles, and after the cap's own reaction to it.
    setImmediate(returned);
    return { ok: true };
  });
  fastify.get('/fast', () => ({ ok: true }));
  fastify.get('/probe', () => ({ n: inFlight() }));
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = fastify.server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;

    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await handlerStarted;
    expect(inFlight()).toBe(1);
    socket.destroy();
    await responseClosed; // the server saw its client go away
    expect(inFlight()).toBe(1);
    expect((await fetch(`${url}/fast`)).status).toBe(503);
    expect(await (await fetch(`${url}/probe`)).json()).toEqual({ n: 1 });

    answer();
    await handlerReturned;
    expect(inFlight()).toBe(0);
    expect((await fetch(`${url}/fast`)).status).toBe(200);
    // A request that never reaches a handler frees its slot too.
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect(await (await fetch(`${url}/probe`)).json()).toEqual({ n: 0 });
  } finally {
    await fastify.close();
  }
});
