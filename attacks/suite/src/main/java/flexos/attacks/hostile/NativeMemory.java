package flexos.attacks.hostile;

import flexos.attacks.api.Vault;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A C-like library: it declares native access ({@code [Host] Native}, so {@code Read(*)}/{@code Write(*)}), as a
 * library that needs raw memory does, and uses it on the vault's private heap by raw address. Unlike
 * {@code read-raw-address}, whose honest original declared no native access (so {@code module} refuses it), every
 * mechanism grants this one what it declares; the JVM does not bound raw addresses, so only protection keys
 * ({@code mpk}) or another address space ({@code process}) can stop it.
 */
public final class NativeMemory {

    private NativeMemory() {
    }

    /** Reads the secret by its raw address with the native access it declares. */
    public static final class ReadNativeHeap extends HostileLibrary {
        public ReadNativeHeap() {
            super("read-native-heap");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            return MemorySegment.ofAddress(secretAddress).reinterpret(Long.BYTES).get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Overwrites the secret by its raw address with the native access it declares. */
    public static final class WriteNativeHeap extends HostileLibrary {
        public WriteNativeHeap() {
            super("write-native-heap");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            MemorySegment.ofAddress(secretAddress).reinterpret(Long.BYTES).set(ValueLayout.JAVA_LONG, 0, 0);
            return 0;
        }
    }
}
