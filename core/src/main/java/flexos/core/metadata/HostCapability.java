package flexos.core.metadata;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One entry of a library's {@code [Host]} clause: something the library needs from the host beyond its own memory
 * (SPEC §6, "host capabilities"). Isolating mechanisms grant exactly what is declared: {@code module} lets the
 * library's code reach the JDK members behind the capability, {@code process} turns it into sandbox rules. A
 * library that declares nothing gets none.
 *
 * <p>Each capability says whether it reaches the memory of the whole process ({@link #memoryReach()}): a library
 * that can open {@code /proc/self/mem}, start a debugger or take a heap dump can read or write every compartment's
 * memory, whatever its {@code [Memory access]} clause says, so the analysis treats it as {@code Read(*)} and/or
 * {@code Write(*)}.
 */
public sealed interface HostCapability {

    /** The capability as the metadata language writes it, for example {@code Sockets(listen)}. */
    String syntax();

    /** Whether, and how, this capability reaches every compartment's memory; empty when it does not. */
    default Optional<MemoryReach> memoryReach() {
        return Optional.empty();
    }

    /**
     * How a capability reaches the process's memory.
     *
     * @param reads  it can read every compartment's memory ({@code Read(*)})
     * @param writes it can write it ({@code Write(*)})
     * @param why    one sentence saying how, for the analysis's reasons
     */
    record MemoryReach(boolean reads, boolean writes, String why) {
    }

    /** TCP sockets through {@code java.nio.channels}: {@code Sockets(listen, connect)}. */
    record Sockets(Set<Use> uses) implements HostCapability {

        /** What the library does with sockets. */
        public enum Use {
            /** Bind a server socket and accept connections on it. */
            LISTEN("listen"),
            /** Open connections to other hosts or ports. */
            CONNECT("connect");

            private final String syntax;

            Use(String syntax) {
                this.syntax = syntax;
            }

            public String syntax() {
                return syntax;
            }
        }

        public Sockets {
            if (uses.isEmpty()) {
                throw new IllegalArgumentException("Sockets(...) needs at least one use");
            }
            uses = Set.copyOf(uses);
        }

        @Override
        public String syntax() {
            return "Sockets(" + List.of(Use.values()).stream().filter(uses::contains).map(Use::syntax)
                    .collect(Collectors.joining(", ")) + ")";
        }
    }

    /**
     * Files under the given paths: {@code Files(read: /var/lib/redis, write: ./data)}. Writing a path includes
     * reading it.
     */
    record Files(List<FileGrant> grants) implements HostCapability {

        public Files {
            if (grants.isEmpty()) {
                throw new IllegalArgumentException("Files(...) needs at least one grant");
            }
            grants = List.copyOf(grants);
        }

        @Override
        public String syntax() {
            return "Files(" + grants.stream().map(FileGrant::syntax).collect(Collectors.joining(", ")) + ")";
        }

        @Override
        public Optional<MemoryReach> memoryReach() {
            boolean reads = false;
            boolean writes = false;
            for (FileGrant grant : grants) {
                if (grant.reachesProcessMemory()) {
                    reads = true;
                    writes |= grant.access() == FileGrant.Access.WRITE;
                }
            }
            if (!reads) {
                return Optional.empty();
            }
            return Optional.of(new MemoryReach(true, writes, syntax() + " reaches /proc or /dev, where "
                    + "/proc/self/mem and the compartments' shared-memory files are the whole process's memory"));
        }
    }

    /**
     * One path of a {@link Files} capability.
     *
     * @param access whether the library only reads under the path, or also writes
     * @param path   as written: {@code *} (every file), an absolute path, or {@code .} or a path starting with
     *               {@code ./} (relative to the image's working directory); normalized, without a trailing {@code /}
     */
    record FileGrant(Access access, String path) {

        /** What a grant allows under its path. */
        public enum Access {
            READ("read"),
            WRITE("write");

            private final String syntax;

            Access(String syntax) {
                this.syntax = syntax;
            }

            public String syntax() {
                return syntax;
            }
        }

        /** The directories under which a file is a view of the process's memory (mem, maps, shared memory). */
        private static final List<Path> MEMORY_ROOTS = List.of(Path.of("/proc"), Path.of("/dev"));

        public FileGrant {
            if (!(path.equals("*") || path.startsWith("/") || path.equals(".") || path.startsWith("./"))) {
                throw new IllegalArgumentException("a file grant's path is *, absolute, or starts with ./: " + path);
            }
        }

        /** Whether the grant covers every file. */
        public boolean everything() {
            return path.equals("*");
        }

        /** Whether the path is relative to the image's working directory. */
        public boolean relative() {
            return path.startsWith(".");
        }

        /**
         * The directory or file the grant covers, for an image running in {@code workingDirectory}: absolute and
         * normalized. {@code *} resolves to {@code /}.
         */
        public Path resolve(Path workingDirectory) {
            if (everything()) {
                return Path.of("/");
            }
            return (relative() ? workingDirectory.resolve(path) : Path.of(path)).toAbsolutePath().normalize();
        }

        /**
         * Whether the grant, as written, covers a file that exposes the process's memory: it is {@code *}, or an
         * absolute path that contains or lies under {@code /proc} or {@code /dev}. A relative grant is judged when
         * it is used: a mechanism refuses a path under {@code /proc} or {@code /dev} to any grant that does not
         * reach memory here.
         */
        public boolean reachesProcessMemory() {
            if (everything()) {
                return true;
            }
            if (relative()) {
                return false;
            }
            Path granted = Path.of(path).normalize();
            return MEMORY_ROOTS.stream().anyMatch(root -> root.startsWith(granted) || granted.startsWith(root));
        }

        public String syntax() {
            return access.syntax() + ": " + path;
        }
    }

    /** Threads of its own, from a thread factory its compartment tracks (and stops with it). */
    record Threads() implements HostCapability {
        @Override
        public String syntax() {
            return "Threads";
        }
    }

    /** The wall clock and the monotonic clock ({@code System.currentTimeMillis}, {@code nanoTime}, {@code now()}). */
    record Clock() implements HostCapability {
        @Override
        public String syntax() {
            return "Clock";
        }
    }

    /** Writing to the process's standard output and error. */
    record Console() implements HostCapability {
        @Override
        public String syntax() {
            return "Console";
        }
    }

    /** Starting and signalling processes ({@code ProcessBuilder}, {@code ProcessHandle}). */
    record Processes() implements HostCapability {
        @Override
        public String syntax() {
            return "Processes";
        }

        @Override
        public Optional<MemoryReach> memoryReach() {
            return Optional.of(new MemoryReach(true, true, "Processes can start a debugger or a shell on the image "
                    + "and signal it"));
        }
    }

    /** The JVM's management interfaces ({@code java.lang.management}, heap dumps, diagnostic commands). */
    record Management() implements HostCapability {
        @Override
        public String syntax() {
            return "Management";
        }

        @Override
        public Optional<MemoryReach> memoryReach() {
            return Optional.of(new MemoryReach(true, true, "Management can dump the whole heap and change the "
                    + "JVM's flags"));
        }
    }

    /** Native access: raw addresses ({@code MemorySegment.reinterpret}), the linker, native libraries. */
    record Native() implements HostCapability {
        @Override
        public String syntax() {
            return "Native";
        }

        @Override
        public Optional<MemoryReach> memoryReach() {
            return Optional.of(new MemoryReach(true, true, "Native access reads and writes any address"));
        }
    }
}
