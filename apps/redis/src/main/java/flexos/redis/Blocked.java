package flexos.redis;

import java.util.List;

/**
 * Why a client is blocked: the keys of its database it waits on, a copy of the blocking command (run again when one
 * of them becomes ready), and its timeout timer (-1 when it waits forever).
 */
final class Blocked {

    final int db;
    final List<ByteString> keys;
    final Transaction.Queued command;
    long timerId = -1;

    Blocked(int db, List<ByteString> keys, Transaction.Queued command) {
        this.db = db;
        this.keys = keys;
        this.command = command;
    }
}
