package flexos.core.mechanism.process.sandbox;

import flexos.core.component.Entrypoint;
import flexos.core.component.Library;
import flexos.core.component.LibraryContext;
import flexos.core.component.LibraryInstance;
import flexos.core.config.CompartmentSpec;
import flexos.core.config.ImageConfig;
import flexos.core.config.LibraryPlacement;
import flexos.core.config.SharingStrategy;
import flexos.core.image.Image;
import flexos.core.image.ImageBuilder;
import flexos.core.image.LibraryCatalog;
import flexos.core.mechanism.Mechanisms;
import flexos.core.mechanism.process.GateWait;
import flexos.core.mechanism.process.ProcessOptions;
import flexos.core.mechanism.process.RestartPolicy;
import flexos.core.mechanism.process.SandboxMode;
import flexos.core.metadata.SourceLocation;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The libraries of the sandbox tests: {@code left} and {@code right}, each in a sandboxed process compartment of its
 * own, try what a hostile library would and report what the kernel answered; {@code confiner} is the application.
 * {@code left} declares {@code Sockets(listen)} and reading {@link #GRANTED}; {@code right} declares nothing.
 */
public final class ConfinedLibraries {

    /** The directory {@code left} may read, relative to the image's working directory (as its metadata says). */
    public static final Path GRANTED = Path.of("target/sandbox-grant");

    /** What a compartment tries; every answer starts with {@code refused} or says what succeeded. */
    public interface Confined {
        long pid();

        long uid();

        boolean dumpable();

        /** The soft limit of rlimit {@code resource}. */
        long limit(int resource);

        String exec();

        String ptrace(long pid);

        String readMemoryOf(long pid);

        String signal(long pid);

        String open(String path, boolean write);

        String attach(long pid);

        String listen();
    }

    public interface LeftConfined extends Confined {
    }

    public interface RightConfined extends Confined {
    }

    static final class ConfinedService implements LeftConfined, RightConfined {
        private static final long NR_PTRACE = 101;
        private static final long NR_KILL = 62;
        private static final long NR_PROCESS_VM_READV = 310;
        private static final long NR_GETEUID = 107;

        @Override public long pid() { return ProcessHandle.current().pid(); }

        @Override public long uid() { return Linux.syscall("geteuid", NR_GETEUID, 0, 0, 0, 0, 0); }

        @Override public boolean dumpable() { return Sandbox.dumpable(); }

        @Override public long limit(int resource) { return ResourceLimits.current(resource); }

        @Override public String exec() {
            try {
                Process p = new ProcessBuilder("/bin/true").start();
                return "ran /bin/true, status " + p.waitFor();
            } catch (IOException e) {
                return "refused: " + e.getMessage();
            } catch (InterruptedException e) {
                return "interrupted";
            }
        }

        @Override public String ptrace(long pid) {
            try {
                Linux.syscall("ptrace(ATTACH)", NR_PTRACE, 16, pid, 0, 0, 0);
                Linux.syscall("ptrace(DETACH)", NR_PTRACE, 17, pid, 0, 0, 0);
                return "attached to " + pid;
            } catch (Linux.LinuxError e) {
                return "refused: " + e.getMessage();
            }
        }

        @Override public String readMemoryOf(long pid) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(8);
                MemorySegment local = arena.allocate(16, 8);
                local.set(ValueLayout.JAVA_LONG, 0, buffer.address());
                local.set(ValueLayout.JAVA_LONG, 8, 8);
                MemorySegment remote = arena.allocate(16, 8);
                remote.set(ValueLayout.JAVA_LONG, 0, 0x400000L);
                remote.set(ValueLayout.JAVA_LONG, 8, 8);
                long n = Linux.syscall("process_vm_readv", NR_PROCESS_VM_READV, pid, local.address(), 1,
                        remote.address(), 1);
                return "read " + n + " bytes of " + pid;
            } catch (Linux.LinuxError e) {
                return "refused: " + e.getMessage();
            }
        }

        @Override public String signal(long pid) {
            try {
                // Signal 0: the kernel checks the permission and delivers nothing, so a failure of the sandbox
                // cannot hurt the image.
                Linux.syscall("kill(" + pid + ", 0)", NR_KILL, pid, 0, 0, 0, 0);
                return "may signal " + pid;
            } catch (Linux.LinuxError e) {
                return "refused: " + e.getMessage();
            }
        }

        @Override public String open(String path, boolean write) {
            try (FileChannel channel = write
                    ? FileChannel.open(Path.of(path), StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                    : FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
                if (!write) {
                    channel.read(ByteBuffer.allocate(16));
                }
                return "opened " + path;
            } catch (IOException | RuntimeException e) {
                return "refused: " + e;
            }
        }

        /**
         * HotSpot's attach protocol, as {@code jcmd} runs it: create {@code .attach_pid<pid>} where the target looks
         * for it, then send it {@code SIGQUIT}; the target then opens {@code /tmp/.java_pid<pid>}.
         */
        @Override public String attach(long pid) {
            String file;
            try {
                Path trigger = Path.of("/tmp/.attach_pid" + pid);
                java.nio.file.Files.createFile(trigger);
                java.nio.file.Files.delete(trigger);
                file = "created " + trigger;
            } catch (IOException | RuntimeException e) {
                file = "refused: " + e;
            }
            String quit;
            try {
                Linux.syscall("kill(" + pid + ", SIGQUIT)", NR_KILL, pid, 3, 0, 0, 0);
                quit = "sent SIGQUIT to " + pid;
            } catch (Linux.LinuxError e) {
                quit = "refused: " + e.getMessage();
            }
            return file.startsWith("refused") && quit.startsWith("refused") ? "refused: " + file + "; " + quit
                    : "could attach: " + file + "; " + quit;
        }

        @Override public String listen() {
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress("127.0.0.1", 0));
                return "listening on " + server.getLocalAddress();
            } catch (IOException | RuntimeException e) {
                return "refused: " + e;
            }
        }
    }

    public static final class LeftLibrary implements Library {
        @Override public String name() { return "left"; }
        @Override public Set<Class<?>> exports() { return Set.of(LeftConfined.class); }
        @Override public Set<Class<?>> imports() { return Set.of(); }
        @Override public LibraryInstance instantiate(LibraryContext context) {
            return LibraryInstance.of(Map.of(LeftConfined.class, new ConfinedService()));
        }
    }

    public static final class RightLibrary implements Library {
        @Override public String name() { return "right"; }
        @Override public Set<Class<?>> exports() { return Set.of(RightConfined.class); }
        @Override public Set<Class<?>> imports() { return Set.of(); }
        @Override public LibraryInstance instantiate(LibraryContext context) {
            return LibraryInstance.of(Map.of(RightConfined.class, new ConfinedService()));
        }
    }

    public static final class ConfinerLibrary implements Library {
        @Override public String name() { return "confiner"; }
        @Override public Set<Class<?>> exports() { return Set.of(Entrypoint.class); }
        @Override public Set<Class<?>> imports() { return Set.of(LeftConfined.class, RightConfined.class); }
        @Override public LibraryInstance instantiate(LibraryContext context) {
            Entrypoint idle = new Entrypoint() {
                @Override public int run(List<String> args) { return 0; }
                @Override public void requestStop() { }
            };
            return LibraryInstance.of(Map.of(Entrypoint.class, idle));
        }
    }

    /** The image: {@code confiner} in an fcall compartment, {@code left} and {@code right} each in a process one. */
    public static Image start(boolean sandboxed) throws Exception {
        SourceLocation here = new SourceLocation(Path.of("sandbox-test.yaml"), 1, 1);
        ProcessOptions options = new ProcessOptions(SharingStrategy.COPY, 0, RestartPolicy.NEVER, GateWait.BLOCK,
                sandboxed ? SandboxMode.FULL : SandboxMode.NONE);
        Mechanisms mechanisms = Mechanisms.builtIn();
        List<CompartmentSpec> compartments = List.of(
                new CompartmentSpec("main", mechanisms.named("fcall"), true, 1 << 20, here),
                new CompartmentSpec("lefty", mechanisms.named("process"), false, 1 << 20, here, options),
                new CompartmentSpec("righty", mechanisms.named("process"), false, 1 << 20, here, options));
        ImageConfig config = new ImageConfig(Path.of("sandbox-test.yaml"), "sandbox-test", "confiner", compartments,
                Map.of("left", new LibraryPlacement("left", "lefty", List.of(), here),
                        "right", new LibraryPlacement("right", "righty", List.of(), here)), 1 << 20);
        LibraryCatalog catalog = LibraryCatalog.of(List.of(new LeftLibrary(), new RightLibrary(),
                new ConfinerLibrary()));
        return Image.start(new ImageBuilder(catalog, mechanisms).plan(config));
    }

    private ConfinedLibraries() {
    }
}
