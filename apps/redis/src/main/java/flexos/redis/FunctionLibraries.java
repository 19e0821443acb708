package flexos.redis;

import java.util.List;

/**
 * The function libraries as RDB snapshots see them: what a snapshot writes (each library's code, in FUNCTION2
 * records) and what loading one does with each record. The scripting commands own them; without scripting there are
 * none, and a snapshot that has some cannot be loaded.
 */
interface FunctionLibraries {

    /** Each library's code, {@code #!lua name=...} line included, in creation order. */
    List<byte[]> codes();

    /** Creates a library from a snapshot's record; returns null, or why it could not be created. */
    String restore(byte[] code);

    /** Deletes every library (before a snapshot replaces the dataset). */
    void clear();

    FunctionLibraries NONE = new FunctionLibraries() {
        @Override
        public List<byte[]> codes() {
            return List.of();
        }

        @Override
        public String restore(byte[] code) {
            return "this server has no scripting engine";
        }

        @Override
        public void clear() {
        }
    };
}
