package flexos.attacks;

import flexos.attacks.api.Vault;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an attack image can still do what any image must after an attack: allocate heap, a direct buffer, a file
 * descriptor and a thread; initialise a JDK class no compartment has used yet; and serve through the vault.
 *
 * <p>Memory checks are retried a few times with a collection in between, because a compartment the gate stopped
 * releases its memory only when the collector runs; everything else is checked once.
 */
final class ImageHealth {

    /**
     * A JDK class the probe never initialises before an attack: an attack that makes its initialiser fail (a stack
     * overflow inside it) makes it fail for every compartment, and this check sees it.
     */
    static final String SENTINEL_CLASS = "java.util.zip.CRC32C";
    private static final int MEMORY_CHECKS = 5;
    private static final long THREAD_JOIN_MILLIS = 5_000;

    /**
     * What the vault said when asked.
     *
     * @param alive  it answered
     * @param intact its memory and state are as it left them
     */
    record VaultState(boolean alive, boolean intact, String failure) {
    }

    private ImageHealth() {
    }

    /** Asks the vault whether it is intact and still holds {@code secret}. */
    static VaultState vault(Vault vault, long secret) {
        try {
            boolean intact = vault.intact() && vault.staticState() == secret;
            return new VaultState(true, intact, "");
        } catch (Throwable t) {
            return new VaultState(false, false, AttackProbe.describe(t));
        }
    }

    /** What the image can no longer do, one phrase each; empty when it is healthy. */
    static List<String> problems() {
        List<String> problems = new ArrayList<>();
        String memory = "";
        for (int check = 1; check <= MEMORY_CHECKS; check++) {
            memory = memory();
            if (memory.isEmpty()) {
                break;
            }
            pause();
        }
        if (!memory.isEmpty()) {
            problems.add(memory + " (" + MEMORY_CHECKS + " checks)");
        }
        try (FileChannel fd = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ)) {
            fd.size();
        } catch (IOException | RuntimeException e) {
            problems.add("cannot open a file descriptor (" + AttackProbe.describe(e) + ")");
        }
        try {
            Thread thread = new Thread(() -> { }, "flexos-probe-health");
            thread.start();
            thread.join(THREAD_JOIN_MILLIS);
            if (thread.isAlive()) {
                problems.add("a new thread did not run within " + THREAD_JOIN_MILLIS + " ms");
            }
        } catch (Throwable t) {
            problems.add("cannot start a thread (" + AttackProbe.describe(t) + ")");
        }
        try {
            Class.forName(SENTINEL_CLASS, true, ClassLoader.getPlatformClassLoader());
        } catch (Throwable t) {
            problems.add("the JDK class " + SENTINEL_CLASS + " no longer initialises (" + AttackProbe.describe(t) + ")");
        }
        return problems;
    }

    private static String memory() {
        try {
            long[] breath = new long[4 << 20];
            breath[breath.length - 1] = 1;
        } catch (Throwable t) {
            return "cannot allocate 32 MiB of heap (" + AttackProbe.describe(t) + ")";
        }
        try {
            ByteBuffer.allocateDirect(1 << 20).put(0, (byte) 1);
        } catch (Throwable t) {
            return "cannot allocate a 1 MiB direct buffer (" + AttackProbe.describe(t) + ")";
        }
        return "";
    }

    /** Gives a dying compartment thread time to end, and the collector a chance to reclaim what it held. */
    static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.gc();
    }
}
