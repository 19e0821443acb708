package flexos.core.mechanism.mpk;

import java.util.ArrayList;
import java.util.List;

/**
 * Values of the x86 PKRU register, which gives the running thread its rights on each of the 16 protection keys:
 * two bits per key, key {@code k} at bits {@code 2k} (AD, access disable: no reads or writes of data) and
 * {@code 2k + 1} (WD, write disable). A page's key is set by {@code pkey_mprotect}; instruction fetches ignore keys.
 *
 * <p>The mechanism's rights are:
 * <ul>
 *   <li>key 0 is always readable and writable: every page the image does not tag has it (the Java heap, thread
 *       stacks, metaspace, the code cache, the C heap) and so does the image's shared heap;</li>
 *   <li>a thread outside every mpk compartment has no other key ({@link #NO_COMPARTMENT}, the value Linux gives a
 *       new process, so threads the JVM made before the image started already have it);</li>
 *   <li>a thread in compartment {@code c} also has {@code c}'s key ({@link #compartment}), and no other.</li>
 * </ul>
 */
final class Pkru {

    /** Keys a CPU has; key 0 is the default key of every untagged page. */
    static final int KEYS = 16;
    /** Key 0 readable and writable, every other key access-disabled. */
    static final int NO_COMPARTMENT = 0x55555554;

    private Pkru() {
    }

    /** The rights of a thread in the compartment whose key is {@code key}: key 0 and {@code key}. */
    static int compartment(int key) {
        return allowing(NO_COMPARTMENT, key);
    }

    /** {@code pkru} with {@code key} readable and writable. */
    static int allowing(int pkru, int key) {
        checkKey(key);
        return pkru & ~(0b11 << (2 * key));
    }

    /** {@code pkru} with {@code key} access-disabled. */
    static int denying(int pkru, int key) {
        checkKey(key);
        return (pkru & ~(0b11 << (2 * key))) | (0b01 << (2 * key));
    }

    /** Whether a thread whose PKRU is {@code pkru} may read pages of {@code key}. */
    static boolean readable(int pkru, int key) {
        checkKey(key);
        return (pkru >>> (2 * key) & 0b01) == 0;
    }

    /** Whether a thread whose PKRU is {@code pkru} may write pages of {@code key}. */
    static boolean writable(int pkru, int key) {
        return readable(pkru, key) && (pkru >>> (2 * key + 1) & 0b01) == 0;
    }

    /** The keys {@code pkru} lets a thread read, in order. */
    static List<Integer> readableKeys(int pkru) {
        List<Integer> keys = new ArrayList<>();
        for (int key = 0; key < KEYS; key++) {
            if (readable(pkru, key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** For messages: {@code 0x55555514 (keys 0, 3)}. */
    static String describe(int pkru) {
        return String.format("0x%08x (keys %s)", pkru,
                String.join(", ", readableKeys(pkru).stream().map(String::valueOf).toList()));
    }

    private static void checkKey(int key) {
        if (key < 0 || key >= KEYS) {
            throw new IllegalArgumentException("protection key " + key + " is not between 0 and " + (KEYS - 1));
        }
    }
}
