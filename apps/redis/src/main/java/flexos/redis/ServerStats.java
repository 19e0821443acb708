package flexos.redis;

/** The counters INFO reports; updated by the event loop only. */
final class ServerStats {
    long commandsProcessed;
    long connectionsReceived;
    long connectedClients;
    long rejectedConnections;
}
