/**
 * A mongoose connection with the driver's command monitoring on, for specs that check the
 * commands as sent (concerns, projections). Monitoring must be on before the driver connects,
 * hence a connection of the spec's own.
 */
import mongoose, { type Connection, type mongo } from 'mongoose';
import { mongodbUriFor } from './stack';

export interface SentCommand {
  readonly name: string;
  readonly collection: unknown;
  readonly writeConcern: unknown;
  readonly readConcern: unknown;
  readonly sessionId: string | undefined;
  /** The whole command, for what the fields above leave out (a projection, say). */
  readonly command: mongo.Document;
}

export interface MonitoredConnection {
  readonly connection: Connection;
  /** The commands `action` sends (only those), so each spec sees its own. */
  commandsOf: (action: () => Promise<unknown>) => Promise<SentCommand[]>;
}

export async function monitoredConnection(dbName: string): Promise<MonitoredConnection> {
  const connection = await mongoose
    .createConnection(mongodbUriFor(dbName), { monitorCommands: true, maxPoolSize: 1 })
    .asPromise();
  let sent: SentCommand[] = [];
  connection.getClient().on('commandStarted', (event: mongo.CommandStartedEvent) => {
    const lsid = event.command.lsid as { id?: mongo.Binary } | undefined;
    sent.push({
      name: event.commandName,
      collection: event.command[event.commandName],
      writeConcern: event.command.writeConcern,
      readConcern: event.command.readConcern,
      sessionId: lsid?.id?.toString('hex'),
      command: event.command,
    });
  });
  return {
    connection,
    commandsOf: async (action) => {
      sent = [];
      await action();
      return sent;
    },
  };
}
