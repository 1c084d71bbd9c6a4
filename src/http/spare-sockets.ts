import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * At shutdown, no connection is left to hold the server open: those that carry no request (a
 * client's spare one, which fetch opens after an aborted stream before any request; one between
 * keep-alive requests) are closed at once, and those with a request in flight once it is answered.
 * Node's `server.close()` closes only sockets it has seen a request finish on, and Fastify keeps
 * connections alive 72 s: either would hold a graceful shutdown well past its 10 s deadline.
 */
export function closeSpareSockets(instance: FastifyInstance): void {
  const open = new Set<Socket>();
  const busy = new WeakSet<Socket>();
  let closing = false;
  instance.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  instance.addHook('onRequest', (request, reply, done) => {
    const socket = request.raw.socket;
    busy.add(socket);
    reply.raw.once('close', () => {
      busy.delete(socket);
      // Ended after what was written is flushed: the answer arrives whole.
      if (closing) socket.end();
    });
    done();
  });
  instance.addHook('preClose', (done) => {
    closing = true;
    for (const socket of open) if (!busy.has(socket)) socket.destroy();
    done();
  });
}
