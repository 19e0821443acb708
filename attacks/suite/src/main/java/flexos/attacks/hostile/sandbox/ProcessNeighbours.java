package flexos.attacks.hostile.sandbox;

import flexos.attacks.api.Vault;
import flexos.attacks.hostile.HostileLibrary;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The review's attacks on the {@code process} mechanism (issue 12), from inside a compartment process, at the image
 * (its parent) and at the sibling compartment processes, by every route the attacker knows; under an in-process
 * mechanism each turns on its own process, where the vault's memory is ({@link Neighbours}). Each attack reports
 * only what the probe checks anyway (the secret, or nothing): its harm is judged by the image, from the vault's
 * state and the image's health, not from what the attack says.
 */
public final class ProcessNeighbours {

    private ProcessNeighbours() {
    }

    /**
     * Reads the secret by its address in the vault's process: {@code /proc/<pid>/mem} of each sibling (as root the
     * review read it, the processes being non-dumpable notwithstanding), then {@code process_vm_readv}; when the
     * siblings cannot be found, at every pid that may be one.
     */
    public static final class ReadSiblingMem extends HostileLibrary {
        public ReadSiblingMem() {
            super("read-sibling-mem");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            List<Long> victims = Neighbours.inCompartmentProcess() ? Neighbours.siblingsOrGuesses()
                    : List.of(ProcessHandle.current().pid());
            for (long pid : victims) {
                try (FileChannel mem = FileChannel.open(Path.of("/proc/" + pid + "/mem"), StandardOpenOption.READ)) {
                    ByteBuffer cell = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
                    if (mem.read(cell, secretAddress) == 8 && cell.getLong(0) != 0) {
                        return cell.getLong(0);
                    }
                } catch (IOException | RuntimeException e) {
                    // Refused or unmapped there: the system call next.
                }
                long read = Libc.readLongOf(pid, secretAddress);
                if (read != 0) {
                    return read;
                }
            }
            return 0;
        }
    }

    /**
     * Overwrites the memory of other compartments through the files that hold it: every descriptor and every
     * mapped file of the image and of each sibling ({@code /proc/<pid>/fd/N}, {@code /proc/<pid>/map_files/*}),
     * and {@code /dev/shm}, where the first design kept them. Each memory file of FlexOS ({@code flexos-*}) that is
     * not this compartment's own nor the shared heap (which every compartment may write) is another compartment's
     * RPC region or private heap: the attack fills it, so the vault's secret is wiped or the calls it serves are
     * garbage. In-process there is no such file, and the vault's memory itself is in reach, through
     * {@code /proc/self/mem}.
     */
    public static final class InjectThroughRegion extends HostileLibrary {
        public InjectThroughRegion() {
            super("inject-through-region");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws IOException {
            if (!Neighbours.inCompartmentProcess()) {
                try (FileChannel mem = FileChannel.open(Path.of("/proc/self/mem"), StandardOpenOption.WRITE)) {
                    mem.write(ByteBuffer.allocate(8), secretAddress);
                }
                return 0;
            }
            String own = "flexos-" + Neighbours.ownCompartment() + "-";
            List<Path> candidates = new ArrayList<>();
            for (long pid : Neighbours.others()) {
                candidates.addAll(entries(Path.of("/proc/" + pid + "/fd"), 1024));
                candidates.addAll(entries(Path.of("/proc/" + pid + "/map_files"), 0));
            }
            candidates.addAll(entries(Path.of("/dev/shm"), 0));
            for (Path candidate : candidates) {
                String target;
                try {
                    target = Files.isSymbolicLink(candidate) ? Files.readSymbolicLink(candidate).toString()
                            : candidate.toString();
                } catch (IOException | RuntimeException e) {
                    // Not readable, so not openable either: the next one.
                    continue;
                }
                // Memory files only: the image also holds the jars it runs from, whose names start with flexos- too.
                boolean memory = target.startsWith("/memfd:flexos-") || target.startsWith("/dev/shm/flexos-");
                if (memory && !target.contains(own) && !target.contains("flexos-shared")) {
                    overwrite(candidate);
                }
            }
            return 0;
        }

        /** The entries of {@code directory}; when it cannot be listed, its first {@code blind} numbers. */
        private static List<Path> entries(Path directory, int blind) {
            try (Stream<Path> listed = Files.list(directory)) {
                return listed.toList();
            } catch (IOException | RuntimeException e) {
                List<Path> guessed = new ArrayList<>();
                for (int n = 0; n < blind; n++) {
                    guessed.add(directory.resolve(Integer.toString(n)));
                }
                return guessed;
            }
        }

        private static void overwrite(Path file) {
            try (FileChannel region = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena arena = Arena.ofConfined()) {
                long size = region.size();
                if (size > 0) {
                    MemorySegment mapped = region.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                    mapped.fill((byte) 0x5A);
                    mapped.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0);
                }
            } catch (IOException | RuntimeException e) {
                // Refused, or not a memory file: the next one.
            }
        }
    }

    /**
     * Kills the image and every sibling, by every way a process can signal another: {@code SIGKILL} as the
     * {@code SIGIO} of a pipe whose owner ({@code F_SETOWN}) is the victim, through a pidfd, {@code tgkill},
     * {@code kill}, {@link ProcessHandle#destroyForcibly} and the {@code kill} program. It signals named pids only:
     * a signal to a process group or to every process ({@code kill(0)}, {@code kill(-1)}) would, where nothing stops
     * it, reach the test runner and, as root, the machine; the system call filter refuses any pid but the caller's
     * own, those included.
     */
    public static final class SignalNeighbours extends HostileLibrary {
        public SignalNeighbours() {
            super("signal-neighbours");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws InterruptedException {
            // The siblings first: killing the image first would take them (and this process) down with it.
            for (long pid : Neighbours.others()) {
                sigio(pid);
                long pidfd = Libc.call(Libc.NR_PIDFD_OPEN, pid, 0, 0, 0, 0);
                if (pidfd >= 0) {
                    Libc.call(Libc.NR_PIDFD_SEND_SIGNAL, pidfd, Libc.SIGKILL, 0, 0, 0);
                    Libc.call(Libc.NR_CLOSE, pidfd, 0, 0, 0, 0);
                }
                Libc.call(Libc.NR_TGKILL, pid, pid, Libc.SIGKILL, 0, 0);
                Libc.call(Libc.NR_KILL, pid, Libc.SIGKILL, 0, 0, 0);
                try {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                } catch (RuntimeException e) {
                    // The JDK will not destroy its own process: the system calls above do.
                }
                try {
                    new ProcessBuilder("kill", "-9", Long.toString(pid)).redirectErrorStream(true).start().waitFor();
                } catch (IOException | RuntimeException e) {
                    // No program may be run.
                }
            }
            // The signals are asynchronous: give them time to land before returning.
            Thread.sleep(1_000);
            return 0;
        }

        /**
         * Makes the kernel send {@code SIGKILL} to {@code pid} on this process's behalf: a pipe's read end owned by
         * {@code pid} ({@code F_SETOWN}), with {@code F_SETSIG} {@code SIGKILL} and {@code O_ASYNC}, is written to.
         */
        private static void sigio(long pid) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ends = arena.allocate(8, 4);
                if (Libc.call(Libc.NR_PIPE2, ends.address(), 0, 0, 0, 0) != 0) {
                    return;
                }
                int read = ends.get(ValueLayout.JAVA_INT, 0);
                int write = ends.get(ValueLayout.JAVA_INT, 4);
                int fSetown = 8;
                int fSetsig = 10;
                int fSetfl = 4;
                int oAsyncNonblock = 0x2000 | 0x800;
                Libc.call(Libc.NR_FCNTL, read, fSetown, pid, 0, 0);
                Libc.call(Libc.NR_FCNTL, read, fSetsig, Libc.SIGKILL, 0, 0);
                Libc.call(Libc.NR_FCNTL, read, fSetfl, oAsyncNonblock, 0, 0);
                MemorySegment one = arena.allocate(1);
                Libc.call(Libc.NR_WRITE, write, one.address(), 1, 0, 0);
                Libc.call(Libc.NR_CLOSE, read, 0, 0, 0, 0);
                Libc.call(Libc.NR_CLOSE, write, 0, 0, 0, 0);
            }
        }
    }
}
