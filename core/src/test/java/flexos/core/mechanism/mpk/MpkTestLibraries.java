package flexos.core.mechanism.mpk;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The libraries of the mpk image tests: a vault that keeps a secret in its private heap, an intruder with native
 * access (declared {@code Read(*)}/{@code Write(*)}, as a C library would), a worker that exercises what the JVM
 * needs on a thread with restricted rights, and a driver application that imports them all.
 */
public final class MpkTestLibraries {

    private MpkTestLibraries() {
    }

    public interface Secrets {
        void seal(long value);

        long secret();

        /** The address of the secret in the vault's private heap. */
        long address();
    }

    public interface Intruder {
        long readAt(long address);

        void writeAt(long address, long value);
    }

    public interface JvmWork {
        /** Does what a compartment's Java needs the JVM for; returns a line saying what it did. */
        String work();
    }

    static final class Vault implements Secrets {
        private final MemorySegment cell;

        Vault(MemorySegment heap) {
            cell = heap.asSlice(128, 8);
            cell.set(ValueLayout.JAVA_LONG, 0, -1);
        }

        @Override public void seal(long value) { cell.set(ValueLayout.JAVA_LONG, 0, value); }

        @Override public long secret() { return cell.get(ValueLayout.JAVA_LONG, 0); }

        @Override public long address() { return cell.address(); }
    }

    public static final class VaultLibrary implements Library {
        @Override public String name() { return "mpk-vault"; }

        @Override public Set<Class<?>> exports() { return Set.of(Secrets.class); }

        @Override public Set<Class<?>> imports() { return Set.of(); }

        @Override public LibraryInstance instantiate(LibraryContext context) {
            return LibraryInstance.of(Map.of(Secrets.class, new Vault(context.privateHeap())));
        }
    }

    public static final class IntruderLibrary implements Library {
        /** Nested in its library class, as a library's code is in its own module, so that crash reports name it. */
        static final class RawAccess implements Intruder {
            @Override public long readAt(long address) {
                return MemorySegment.ofAddress(address).reinterpret(8).get(ValueLayout.JAVA_LONG, 0);
            }

            @Override public void writeAt(long address, long value) {
                MemorySegment.ofAddress(address).reinterpret(8).set(ValueLayout.JAVA_LONG, 0, value);
            }
        }

        @Override public String name() { return "mpk-intruder"; }

        @Override public Set<Class<?>> exports() { return Set.of(Intruder.class); }

        @Override public Set<Class<?>> imports() { return Set.of(); }

        @Override public LibraryInstance instantiate(LibraryContext context) {
            return LibraryInstance.of(Map.of(Intruder.class, new RawAccess()));
        }
    }

    public static final class WorkerLibrary implements Library {
        @Override public String name() { return "mpk-worker"; }

        @Override public Set<Class<?>> exports() { return Set.of(JvmWork.class); }

        @Override public Set<Class<?>> imports() { return Set.of(); }

        @Override public LibraryInstance instantiate(LibraryContext context) {
            return LibraryInstance.of(Map.of(JvmWork.class, new JvmNeeds(context.privateHeap())));
        }
    }

    public static final class DriverLibrary implements Library {
        @Override public String name() { return "mpk-driver"; }

        @Override public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }

        @Override public Set<Class<?>> imports() { return Set.of(Secrets.class, Intruder.class, JvmWork.class); }

        @Override public LibraryInstance instantiate(LibraryContext context) {
            return LibraryInstance.of(Map.of(Entrypoint.class, new Entrypoint() {
                @Override public int run(List<String> args) { return 0; }

                @Override public void requestStop() { }
            }));
        }
    }

    static List<Library> all() {
        return List.of(new VaultLibrary(), new IntruderLibrary(), new WorkerLibrary(), new DriverLibrary());
    }
}
