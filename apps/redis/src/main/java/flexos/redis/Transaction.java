package flexos.redis;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A MULTI block being queued: each command with a copy of its arguments in one block of the compartment heap (the
 * query buffer they came from is reused as soon as they are queued), and whether queueing one of them failed, which
 * makes EXEC answer EXECABORT.
 */
final class Transaction {

    /** A command and a copy of its arguments, which {@link Client#runWith} executes later. */
    static final class Queued {
        final Command command;
        final MemorySegment args;
        final int argc;
        final int[] off;
        final int[] len;

        private Queued(Command command, MemorySegment args, int argc, int[] off, int[] len) {
            this.command = command;
            this.args = args;
            this.argc = argc;
            this.off = off;
            this.len = len;
        }

        /** A copy of the client's current arguments; throws {@link HeapExhausted} if they do not fit. */
        static Queued copyOf(Client c, Command command, Blocks blocks) {
            long total = 0;
            for (int i = 0; i < c.argc; i++) {
                total += c.argLen[i];
            }
            MemorySegment block = blocks.allocate(total);
            int[] off = new int[c.argc];
            int[] len = new int[c.argc];
            int at = 0;
            for (int i = 0; i < c.argc; i++) {
                blocks.copy(block, at, c.query, c.argOff[i], c.argLen[i]);
                off[i] = at;
                len[i] = c.argLen[i];
                at += c.argLen[i];
            }
            return new Queued(command, block, c.argc, off, len);
        }

        void free(Blocks blocks) {
            blocks.free(args);
        }
    }

    final List<Queued> queued = new ArrayList<>();
    boolean error;

    void free(Blocks blocks) {
        for (Queued q : queued) {
            q.free(blocks);
        }
        queued.clear();
    }
}
